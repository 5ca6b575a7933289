// Retained sizes in a V8 heap snapshot, from its dominator tree: what each kind of object keeps
// alive on its own. Used to find what a held call costs (bench/RESULTS.md, SIP run 6).
//   node --max-old-space-size=8000 bench/probe/heap-retained.mjs FILE.heapsnapshot
//       -> the classes (object:Name) that retain the most, with count and bytes each
//   node --max-old-space-size=8000 bench/probe/heap-retained.mjs FILE.heapsnapshot InboundLeg [depth]
//       -> for all instances of that class: bytes per instance kept by each field path
// Snapshots: ATENDE_BENCH_NODE_ARGS="--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=DIR" and
// `kill -USR2 <server pid>` while the calls are held; workers: see worker-heap-snapshot.mjs.
import { readFileSync } from 'node:fs';

const [file, cls, depthArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: heap-retained.mjs FILE.heapsnapshot [ClassName [depth]]');
  process.exit(2);
}
const snap = JSON.parse(readFileSync(file, 'utf8'));
const meta = snap.snapshot.meta;
const N = meta.node_fields.length;
const E = meta.edge_fields.length;
const TYPE = meta.node_fields.indexOf('type');
const NAME = meta.node_fields.indexOf('name');
const EDGES = meta.node_fields.indexOf('edge_count');
const SIZE = meta.node_fields.indexOf('self_size');
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const { nodes, edges, strings } = snap;
const n = nodes.length / N;

const first = new Uint32Array(n + 1);
for (let i = 0, e = 0; i < n; i++) {
  first[i] = e;
  e += nodes[i * N + EDGES] * E;
}
first[n] = edges.length;
const WEAK = edgeTypes.indexOf('weak');
const SHORTCUT = edgeTypes.indexOf('shortcut');
const strong = (k) => edges[k] !== WEAK && edges[k] !== SHORTCUT;
const target = (k) => edges[k + 2] / N;

// Postorder from the synthetic root (node 0), iteratively.
const post = new Int32Array(n).fill(-1);
const order = new Uint32Array(n);
let reached = 0;
const seen = new Uint8Array(n);
const stack = [0];
const cursor = [first[0]];
seen[0] = 1;
while (stack.length > 0) {
  const v = stack[stack.length - 1];
  let k = cursor[cursor.length - 1];
  let descended = false;
  for (; k < first[v + 1]; k += E) {
    const t = target(k);
    if (!strong(k) || seen[t]) continue;
    seen[t] = 1;
    cursor[cursor.length - 1] = k + E;
    stack.push(t);
    cursor.push(first[t]);
    descended = true;
    break;
  }
  if (!descended) {
    stack.pop();
    cursor.pop();
    post[v] = reached;
    order[reached++] = v;
  }
}

// Predecessors, then immediate dominators (Cooper, Harvey and Kennedy's iterative algorithm).
const predStart = new Uint32Array(n + 1);
for (let i = 0; i < n; i++) if (post[i] >= 0) for (let k = first[i]; k < first[i + 1]; k += E) if (strong(k)) predStart[target(k) + 1]++;
for (let i = 0; i < n; i++) predStart[i + 1] += predStart[i];
const preds = new Uint32Array(predStart[n]);
const fill = predStart.slice();
for (let i = 0; i < n; i++) if (post[i] >= 0) for (let k = first[i]; k < first[i + 1]; k += E) if (strong(k)) preds[fill[target(k)]++] = i;
const idom = new Int32Array(n).fill(-1);
idom[0] = 0;
const intersect = (a, b) => {
  while (a !== b) {
    while (post[a] < post[b]) a = idom[a];
    while (post[b] < post[a]) b = idom[b];
  }
  return a;
};
for (let changed = true; changed;) {
  changed = false;
  for (let j = reached - 1; j >= 0; j--) {
    const v = order[j];
    if (v === 0) continue;
    let d = -1;
    for (let r = predStart[v]; r < predStart[v + 1]; r++) {
      const p = preds[r];
      if (idom[p] >= 0) d = d < 0 ? p : intersect(p, d);
    }
    if (d >= 0 && idom[v] !== d) {
      idom[v] = d;
      changed = true;
    }
  }
}
const retained = new Float64Array(n);
for (let i = 0; i < n; i++) retained[i] = nodes[i * N + SIZE];
for (let j = 0; j < reached; j++) {
  const v = order[j];
  if (v !== 0 && idom[v] >= 0) retained[idom[v]] += retained[v];
}

const label = (i) => `${nodeTypes[nodes[i * N + TYPE]]}:${strings[nodes[i * N + NAME]].slice(0, 40)}`;
const edgeName = (k) => {
  const t = edgeTypes[edges[k]];
  return t === 'element' || t === 'hidden' ? `[${edges[k + 1]}]` : strings[edges[k + 1]];
};
const kb = (b) => (b / 1e3).toFixed(1).padStart(9);
console.log(`reachable ${reached} nodes, ${(retained[0] / 1e6).toFixed(1)} MB`);

const rows = new Map();
const add = (key, bytes) => {
  const r = rows.get(key) ?? { count: 0, bytes: 0 };
  r.count++;
  r.bytes += bytes;
  rows.set(key, r);
};
let instances = 0;
if (cls === undefined) {
  for (let i = 0; i < n; i++) if (/^object:[A-Z]/.test(label(i))) add(label(i), retained[i]);
} else {
  const depth = Number(depthArg ?? 2);
  const walk = (v, path, d) => {
    for (let k = first[v]; k < first[v + 1]; k += E) {
      const t = target(k);
      if (!strong(k) || idom[t] !== v) continue;
      const key = `${path}.${edgeName(k)}(${label(t)})`;
      add(key, retained[t]);
      if (d < depth) walk(t, key, d + 1);
    }
  };
  for (let i = 0; i < n; i++) {
    if (label(i) !== `object:${cls}`) continue;
    instances++;
    add('(whole)', retained[i]);
    walk(i, '', 1);
  }
  console.log(`${instances} instances of ${cls}; bytes are per instance`);
}
const sorted = [...rows].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 40);
for (const [key, r] of sorted) {
  const shown = cls === undefined ? `${kb(r.bytes)} KB ${String(r.count).padStart(7)} x ${(r.bytes / r.count).toFixed(0).padStart(7)} B` : `${(r.bytes / instances).toFixed(0).padStart(7)} B ${String(r.count).padStart(7)}`;
  console.log(shown, key);
}
