// Heap snapshots of the server's media workers on demand, for heap-retained.mjs. Load it into
// the server and send SIGUSR1 while the calls are held:
//   ATENDE_BENCH_NODE_ARGS="--import ./bench/probe/worker-heap-snapshot.mjs" WORKER_SNAPSHOT_DIR=/tmp/ws
//   kill -USR1 <server pid>     -> /tmp/ws/worker-0.heapsnapshot, worker-1...
// (The main thread's own: --heapsnapshot-signal=SIGUSR2.) A snapshot collects garbage first, so it
// shows what is live; for garbage waiting in the old generation use --trace-gc.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const workers = [];
  process.on('worker', (worker) => workers.push(worker));
  process.on('SIGUSR1', () => {
    const dir = process.env.WORKER_SNAPSHOT_DIR ?? '/tmp';
    void (async () => {
      for (const [i, worker] of workers.entries()) {
        await pipeline(await worker.getHeapSnapshot(), createWriteStream(`${dir}/worker-${i}.heapsnapshot`));
      }
    })();
  });
}
