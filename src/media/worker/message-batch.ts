/**
 * What one thread posts to another in one stretch of work, sent as one message: a call setup
 * issues several media commands at once (two endpoints, two reservations...), and each
 * postMessage costs both threads a fixed price (serialization, a wake-up, an event dispatch)
 * that a list pays once. Messages keep their order; a lone one goes as itself.
 */
export class MessageBatch<T extends object> {
  private queued: T[] = [];

  constructor(
    private readonly post: (message: T | T[]) => void,
    /** When the batch is sent: queueMicrotask (end of this job) or setImmediate (end of this loop turn). */
    private readonly schedule: (flush: () => void) => void,
  ) {}

  add(message: T): void {
    if (this.queued.length === 0) this.schedule(this.flush);
    this.queued.push(message);
  }

  private readonly flush = (): void => {
    const queued = this.queued;
    this.queued = [];
    if (queued.length === 1) this.post(queued[0]!);
    else if (queued.length > 1) this.post(queued);
  };
}

/** Handles what a MessageBatch sent, one message at a time, in order. */
export function forEachBatched<T extends object>(message: T | T[], handle: (one: T) => void): void {
  if (Array.isArray(message)) for (const one of message) handle(one);
  else handle(message);
}
