/**
 * The media worker thread's entry: commands arrive on parentPort, each answered by one reply;
 * endpoint events are posted as they happen. Started by MediaWorkerPool (see core/thread-entry.ts).
 */
import { parentPort } from 'node:worker_threads';
import { cryptoRandom, fullCollection, IdleCollector, systemClock } from '../../core/index.js';
import { forEachBatched, MessageBatch } from '../../core/message-batch.js';
import { MediaWorkerRuntime } from './media-worker-runtime.js';
import type { MediaCommand, WorkerMessage } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('media-worker.ts must run in a worker thread');

// Replies and events of one loop turn go as one message (and keep their order).
const outbox = new MessageBatch<WorkerMessage>((msg) => port.postMessage(msg));
const post = (msg: WorkerMessage): void => outbox.add(msg);
const runtime = new MediaWorkerRuntime({ clock: systemClock, random: cryptoRandom, emit: post });

let commands = 0;
port.on('message', (message: MediaCommand | MediaCommand[]) => {
  forEachBatched(message, (command) => {
    commands++;
    void runtime.handle(command).then(post);
  });
});
// The endpoints of calls that came and went stay in this worker's old generation until V8's
// next limit: collect once the commands stop and no endpoint is left (see IdleCollector).
new IdleCollector({
  clock: systemClock, activity: () => commands, collect: fullCollection(), busy: () => runtime.endpointCount > 0,
}).start();
port.postMessage({ ev: 'ready' } satisfies WorkerMessage);
