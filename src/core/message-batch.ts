/**
 * What one thread posts to another in one loop turn, sent as one message at the turn's end: a
 * call setup issues several media commands (two endpoints, two reservations, remote descriptions
 * and a bridge), other calls handled in the same turn add theirs, and each postMessage costs
 * both threads a fixed price (serialization, a wake-up, an event dispatch) that a list pays once.
 * Messages keep their order; a lone one goes as itself.
 */
export class MessageBatch<T extends object> {
  private queued: T[] = [];

  /**
   * `holdMs` > 0 keeps messages up to that long, so that traffic arriving one message per loop
   * turn still travels in lists (the registrar's REGISTERs: a millisecond is nothing to a phone).
   */
  constructor(
    private readonly post: (message: T | T[]) => void,
    private readonly holdMs = 0,
  ) {}

  add(message: T): void {
    if (this.queued.length === 0) {
      if (this.holdMs > 0) setTimeout(this.flush, this.holdMs);
      else setImmediate(this.flush);
    }
    this.queued.push(message);
  }

  /** Posts what is queued now (also called at the turn's end or after the hold). */
  readonly flush = (): void => {
    // Called before every datagram that is not bulk: nothing to post is the common case.
    if (this.queued.length === 0) return;
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
