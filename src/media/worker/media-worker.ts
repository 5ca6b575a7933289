/**
 * The media worker thread's entry: commands arrive on parentPort, each answered by one reply;
 * endpoint events are posted as they happen. Started by MediaWorkerPool (see worker-entry.ts).
 */
import { parentPort } from 'node:worker_threads';
import { cryptoRandom, systemClock } from '../../core/index.js';
import { MediaWorkerRuntime } from './media-worker-runtime.js';
import type { MediaCommand, WorkerMessage } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('media-worker.ts must run in a worker thread');

const post = (msg: WorkerMessage): void => port.postMessage(msg);
const runtime = new MediaWorkerRuntime({ clock: systemClock, random: cryptoRandom, emit: post });

port.on('message', (command: MediaCommand) => {
  void runtime.handle(command).then(post);
});
post({ ev: 'ready' });
