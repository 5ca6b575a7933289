// Event-loop stalls and GC pauses of a server under load, one line a second, for finding what
// makes latency tails. Load it into the server with
//   ATENDE_BENCH_NODE_ARGS="--import ./bench/probe/event-loop-probe.mjs" PROBE_OUT=/tmp/probe.log
// Lines: loop delay p50/p99/max (ms), turns blocked over 10 ms, GC pauses over 2 ms by kind
// (1 scavenge, 2 minor mark-sweep, 4 mark-compact, 8 incremental, 16 weak callbacks), heap used.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const out = process.env.PROBE_OUT ?? '/tmp/event-loop-probe.log';
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let gcs = [];
  let gcTotal = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcTotal += e.duration;
      if (e.duration > 2) gcs.push(`${e.detail?.kind ?? '?'}:${e.duration.toFixed(1)}`);
    }
  }).observe({ entryTypes: ['gc'] });
  let blocks = [];
  let previous = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (now - previous > 15) blocks.push((now - previous - 5).toFixed(0));
    previous = now;
  }, 5).unref();
  setInterval(() => {
    const ms = (ns) => (ns / 1e6).toFixed(1);
    appendFileSync(out, `${new Date().toISOString()} delay p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)}`
      + ` blocked>10ms [${blocks.join(' ')}] gc ${gcTotal.toFixed(0)} ms, >2ms [${gcs.join(' ')}]`
      + ` heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB\n`);
    gcs = []; blocks = []; gcTotal = 0;
    delay.reset();
  }, 1000).unref();
}
