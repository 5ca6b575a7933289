/**
 * One media worker thread as the pool sees it: the commands awaiting its replies, the endpoints
 * it holds, whether it still runs. Replies settle their command's promise here; events go to the
 * pool. Its young generation is kept small: a relay's garbage (one Buffer per received packet)
 * dies young, and V8 would otherwise grow it to 3x16 MB per worker under RTP load
 * (bench/RESULTS.md, "RSS per call") at the price of more, still cheap, scavenges.
 */
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/index.js';
import { MediaWorkerError } from './media-worker-error.js';
import { forEachBatched, MessageBatch } from '../../core/message-batch.js';
import { isMediaReply, type EndpointId, type MediaCommand, type MediaEvent, type WorkerMessage } from './protocol.js';

const WORKER_YOUNG_GENERATION_MB = 4;

interface Pending {
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
}

export interface WorkerSlotHooks {
  /** An event from the worker (all but its start-up 'ready'). */
  onEvent(slot: WorkerSlot, event: MediaEvent): void;
  /** The worker exited after it was ready. */
  onExit(slot: WorkerSlot, code: number): void;
}

export class WorkerSlot {
  readonly endpoints = new Set<EndpointId>();
  alive = true;
  private readonly pending = new Map<number, Pending>();
  /**
   * The commands of one loop turn go as one message: a call's endpoints and reservations, the
   * remote descriptions and the bridge its answer brings, its two destroys, and those of other
   * calls handled in the same turn. At 250 calls/s that is ~1.3 messages a call instead of 6 (one
   * per job), each a wake-up of the worker. A command waits at most for the rest of the turn.
   */
  private readonly outbox: MessageBatch<MediaCommand>;
  private markExited!: () => void;
  /** Resolves once the thread has exited. */
  readonly exited = new Promise<void>((resolve) => (this.markExited = resolve));

  private constructor(
    readonly index: number,
    private readonly worker: Worker,
  ) {
    this.outbox = new MessageBatch((msg) => worker.postMessage(msg));
  }

  /** Starts worker `index` from `url`; `ready` resolves when it said so, rejects if it failed first. */
  static start(index: number, url: URL, logger: Logger, hooks: WorkerSlotHooks): { slot: WorkerSlot; ready: Promise<void> } {
    const worker = new Worker(url, { name: `media-${index}`, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    const slot = new WorkerSlot(index, worker);
    const ready = new Promise<void>((resolve, reject) => {
      let started = false;
      worker.on('message', (message: WorkerMessage | WorkerMessage[]) => forEachBatched(message, (msg) => {
        if (isMediaReply(msg)) return slot.settle(msg);
        if (msg.ev === 'ready') {
          started = true;
          resolve();
          return;
        }
        hooks.onEvent(slot, msg);
      }));
      worker.on('error', (err) => {
        logger.error({ err, worker: index }, 'media worker failed');
        if (!started) reject(new MediaWorkerError('worker_crashed', `media worker ${index} failed to start: ${err.message}`, { cause: err }));
      });
      worker.on('exit', (code) => {
        slot.alive = false;
        slot.markExited();
        if (!started) reject(new MediaWorkerError('worker_crashed', `media worker ${index} exited (${code}) before it was ready`));
        else hooks.onExit(slot, code);
      });
    });
    return { slot, ready };
  }

  /** Sends a command (with its id) and resolves with the worker's result. */
  request(command: MediaCommand): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.set(command.id, { resolve, reject });
      this.outbox.add(command);
    });
  }

  /** Rejects every command still waiting for a reply. */
  failPending(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  eventLoopUtilization(): EventLoopUtilization {
    return this.worker.performance.eventLoopUtilization();
  }

  async terminate(): Promise<void> {
    if (this.alive) await this.worker.terminate();
    await this.exited;
  }

  private settle(reply: Extract<WorkerMessage, { ok: boolean }>): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.result);
    else pending.reject(new MediaWorkerError(reply.error.code, reply.error.message));
  }
}
