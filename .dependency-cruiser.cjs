// The direction of imports (docs/architecture.md): app -> api -> {cc, pbx, sbc, cdr, auth}
// -> call -> {sip, sdp, media} -> core; store sits beside core.
const layers = {
  core: [],
  store: ['core'],
  sip: ['core'],
  sdp: ['core'],
  media: ['core'],
  call: ['core', 'sip', 'sdp', 'media'],
  pbx: ['core', 'store', 'call', 'sip', 'sdp', 'media'],
  cc: ['core', 'store', 'call', 'pbx', 'sip', 'sdp', 'media'],
  sbc: ['core', 'store', 'call', 'sip', 'sdp', 'media'],
  cdr: ['core', 'store', 'call'],
  auth: ['core', 'store'],
  api: ['core', 'store', 'call', 'pbx', 'cc', 'sbc', 'cdr', 'auth', 'sip', 'sdp', 'media'],
  app: ['core', 'store', 'call', 'pbx', 'cc', 'sbc', 'cdr', 'auth', 'api', 'sip', 'sdp', 'media'],
};
const forbidden = Object.entries(layers).map(([layer, allowed]) => ({
  name: `layer-${layer}`,
  comment: `src/${layer} may import only from: ${allowed.join(', ') || 'nothing but itself'}`,
  severity: 'error',
  from: { path: `^src/${layer}/` },
  to: {
    path: '^src/([^/]+)/',
    pathNot: [`^src/(${[layer, ...allowed].join('|')})/`],
  },
}));
module.exports = {
  forbidden: [
    ...forbidden,
    { name: 'no-circular', severity: 'error', from: { path: '^src/' }, to: { circular: true } },
    {
      name: 'tests-not-from-src', severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' }, to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
