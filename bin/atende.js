#!/usr/bin/env node
// The CLI runs the compiled tree; `npm run build` (run by `npm start`) produces it.
import('../dist/app/cli.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : err); process.exit(1); },
);
