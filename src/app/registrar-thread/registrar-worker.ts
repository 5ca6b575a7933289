/**
 * The registrar thread's entry (started by RegistrarThread, see core/thread-entry.ts): commands
 * arrive on parentPort in batches; what the runtime emits goes back as one message per loop turn.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { cryptoRandom, fullCollection, IdleCollector, systemClock } from '../../core/index.js';
import { forEachBatched, MessageBatch } from '../../core/message-batch.js';
import { THREAD_MESSAGE_HOLD_MS, type RegistrarCommand, type RegistrarEvent, type RegistrarStart } from './protocol.js';
import { RegistrarRuntime } from './registrar-runtime.js';

const port = parentPort;
if (!port) throw new Error('registrar-worker.ts must run in a worker thread');
const start = workerData as RegistrarStart;

const outbox = new MessageBatch<RegistrarEvent>((msg) => port.postMessage(msg), THREAD_MESSAGE_HOLD_MS);
const emit = (event: RegistrarEvent): void => outbox.add(event);
// Log lines go to the main thread's logger, which owns the destination.
const logger = pino({ level: start.logLevel, base: undefined }, { write: (line: string) => emit({ kind: 'log', line }) });
const runtime = new RegistrarRuntime({ start, clock: systemClock, random: cryptoRandom, logger, emit });

port.on('message', (message: RegistrarCommand | RegistrarCommand[]) => {
  forEachBatched(message, (command) => runtime.handle(command));
  runtime.reportTaken();
});
// Refreshed bindings replace older ones that have reached the old generation: collect when quiet.
new IdleCollector({ clock: systemClock, activity: () => runtime.handled, collect: fullCollection(), busy: () => false }).start();
await runtime.start();
