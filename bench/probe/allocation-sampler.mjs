// Where the main thread allocates, garbage included: V8's sampling heap profiler with the
// objects that minor and major collections already freed kept in the profile, so it reads as
// bytes allocated per call site over a window (not what is still live). Load it into the server:
//   ATENDE_BENCH_NODE_ARGS="--import ./bench/probe/allocation-sampler.mjs" \
//     ALLOC_START_MS=30000 ALLOC_WINDOW_MS=8000 ALLOC_OUT=/tmp/alloc.heapprofile
// and open the .heapprofile in Chrome DevTools (Memory tab), or sum it by function.
// ALLOC_SURVIVORS=1 leaves out what scavenges freed: what remains is what lived long enough to be
// copied or promoted (the scavenges' cost), plus what old-generation collections freed since.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const session = new Session();
  session.connect();
  const post = (method, params = {}) =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  await post('HeapProfiler.enable');
  setTimeout(() => {
    void (async () => {
      await post('HeapProfiler.startSampling', {
        samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.ALLOC_SURVIVORS !== '1',
      });
      setTimeout(() => {
        void (async () => {
          const { profile } = await post('HeapProfiler.getSamplingProfile');
          await post('HeapProfiler.stopSampling');
          writeFileSync(process.env.ALLOC_OUT ?? '/tmp/alloc.heapprofile', JSON.stringify(profile));
        })();
      }, Number(process.env.ALLOC_WINDOW_MS ?? 8000)).unref();
    })();
  }, Number(process.env.ALLOC_START_MS ?? 30000)).unref();
}
