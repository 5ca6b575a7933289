// Logs the main thread's V8 heap spaces (physical size = memory the space holds) and the RSS
// every 2 s, to see which part of a server's memory moves with held calls.
//   ATENDE_BENCH_NODE_ARGS="--import ./bench/probe/heap-space-probe.mjs" HEAP_PROBE_OUT=FILE
import { appendFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const out = process.env.HEAP_PROBE_OUT ?? '/tmp/heap-space-probe.jsonl';
const mb = (n) => Math.round(n / 104857.6) / 10;
setInterval(() => {
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, { physical: mb(s.physical_space_size), used: mb(s.space_used_size) }]));
  appendFileSync(out, `${JSON.stringify({ at: Date.now(), rss: mb(process.memoryUsage().rss), spaces })}\n`);
}, 2000).unref();
