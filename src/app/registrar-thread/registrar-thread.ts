/**
 * The main thread's side of the registrar thread: hands it every REGISTER unparsed, sends what
 * it answers on the socket or connection the request came on, keeps the replica of its
 * bindings that calls are routed with, persists its binding writes, and feeds its
 * authentication failures and scanners to the edge. REGISTER floods then load the main thread
 * with little more than the socket work (bench/RESULTS.md, SIP run 12).
 */
import { Worker } from 'node:worker_threads';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { forEachBatched, MessageBatch } from '../../core/message-batch.js';
import { threadEntry } from '../../core/thread-entry.js';
import type { DirectorySnapshot } from '../../pbx/index.js';
import { BindingReplica, type Binding, type BindingStore } from '../../sip/registrar/index.js';
import type { PreparedResponse, RawInbound } from '../../sip/transport/index.js';
import { THREAD_MESSAGE_HOLD_MS, type RegistrarCommand, type RegistrarEvent, type RegistrarSettings, type RegistrarStart } from './protocol.js';
import { isRegisterRequest } from './register-request-line.js';

/** What the registrar thread's reports go to on the main thread. */
export interface RegistrarThreadDeps {
  clock: Clock;
  logger: Logger;
  sendPrepared(prepared: PreparedResponse): Promise<void>;
  /** The database store its binding writes are queued on. */
  store: BindingStore;
  /** REGISTERs handed over and not yet taken up beyond which new ones are dropped; default 2,000. */
  maxQueued?: number;
  /** A REGISTER handed over that the thread could not parse (the transport counts it). */
  rejected(answered: boolean): void;
  edge: {
    authFailed(address: string, detail: { reason: string; username?: string; method?: string }): void;
    inspectRequest(request: { address: string; userAgent?: string }): unknown;
  };
}

/** The bindings of `next` that are new or differ from the one with the same contact in `previous`. */
function changedBindings(previous: readonly Binding[], next: readonly Binding[]): Binding[] {
  return next.filter((b) => {
    const before = previous.find((p) => p.contact === b.contact);
    return (
      before === undefined ||
      before.updatedAt !== b.updatedAt ||
      before.expiresAt !== b.expiresAt ||
      before.cseq !== b.cseq ||
      before.callId !== b.callId ||
      before.connectionId !== b.connectionId
    );
  });
}

/** A young generation like the main thread's: each registration's garbage dies there (4,500/s clean with 48 MB, not with V8's default). */
const YOUNG_GENERATION_MB = 48;
/** ~0.4 s of the thread's work at 5,000/s: answers later than SIP's T1 (500 ms) are retransmitted anyway. */
const DEFAULT_MAX_QUEUED = 2000;

const LEVELS: Record<number, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'> = {
  10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal',
};

export class RegistrarThread {
  /** The bindings as the registrar thread last reported them. */
  readonly bindings: BindingReplica;
  private readonly outbox: MessageBatch<RegistrarCommand>;
  private worker: Worker | undefined;
  /** Threads started after one died. */
  restarts = 0;
  /** REGISTERs dropped because the thread was that far behind. */
  dropped = 0;
  /** Handed over, not yet reported taken. */
  private queued = 0;
  private alive = false;
  private closing: Promise<void> | undefined;
  private markClosed: (() => void) | undefined;

  private constructor(
    /** What a thread starts with, kept current: a replacement starts from it. */
    private startData: RegistrarStart,
    private readonly deps: RegistrarThreadDeps,
  ) {
    this.bindings = new BindingReplica(deps.clock);
    this.outbox = new MessageBatch((msg) => this.worker?.postMessage(msg), THREAD_MESSAGE_HOLD_MS);
  }

  /** Starts the thread; resolves once it has reported every binding it loaded. */
  static async start(start: RegistrarStart, deps: RegistrarThreadDeps): Promise<RegistrarThread> {
    const thread = new RegistrarThread(start, deps);
    await thread.spawn();
    return thread;
  }

  private spawn(): Promise<void> {
    const entry = threadEntry(import.meta.url, 'registrar-worker');
    const worker = new Worker(entry.url, { name: 'registrar', workerData: this.startData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: RegistrarEvent | RegistrarEvent[]) =>
        forEachBatched(message, (event) => {
          if (event.kind === 'ready') {
            ready = true;
            this.alive = true;
            resolve();
          } else this.onEvent(event);
        }),
      );
      worker.on('error', (err) => {
        this.deps.logger.error({ err }, 'registrar thread failed');
        if (!ready) reject(err);
      });
      worker.on('exit', (code) => {
        this.alive = false;
        if (this.closing !== undefined) this.markClosed?.();
        if (!ready) reject(new Error(`registrar thread exited (${code}) before it was ready`));
        else if (this.closing === undefined) this.replace(code);
      });
    });
  }

  /**
   * A thread died: another starts from the bindings last reported, so phones stay reachable and
   * their next REGISTERs are answered; only the REGISTERs in flight are lost (phones retransmit).
   */
  private replace(code: number): void {
    this.deps.logger.error({ code }, 'registrar thread exited; starting another');
    this.restarts++;
    this.queued = 0;
    this.startData = { ...this.startData, bindings: this.bindings.all() };
    this.spawn().catch((err: unknown) => this.deps.logger.fatal({ err }, 'registrar thread could not be restarted: REGISTERs go unanswered'));
  }

  /** The transport's divert hook: takes every REGISTER. */
  divert(raw: RawInbound): boolean {
    if (this.closing !== undefined || !isRegisterRequest(raw.data)) return false;
    if (this.queued >= (this.deps.maxQueued ?? DEFAULT_MAX_QUEUED)) {
      // The thread is behind by more than its answers are worth (a phone retransmits after T1):
      // dropped here, as a full socket buffer drops them when REGISTERs share the main thread.
      if (this.dropped++ % 1000 === 0) this.deps.logger.warn({ dropped: this.dropped, queued: this.queued }, 'registrar thread behind: REGISTERs dropped');
      return true;
    }
    this.queued++;
    // An exact-size copy: a datagram's or a stream's buffer may be a view of a larger one.
    this.outbox.add({ kind: 'inbound', raw: { ...raw, data: new Uint8Array(raw.data) } });
    return true;
  }

  flowClosed(connectionId: string): void {
    this.outbox.add({ kind: 'flow-closed', connectionId });
  }

  updateDirectory(directory: DirectorySnapshot): void {
    this.startData = { ...this.startData, directory };
    this.outbox.add({ kind: 'directory', directory });
  }

  updateSettings(settings: RegistrarSettings): void {
    this.startData = { ...this.startData, settings };
    this.outbox.add({ kind: 'settings', settings });
  }

  /** Stops taking REGISTERs, waits for the thread's last binding writes, ends it. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.alive) {
        const closed = new Promise<void>((resolve) => (this.markClosed = resolve));
        this.outbox.add({ kind: 'close' });
        await closed;
      }
      await this.worker?.terminate();
    })();
    return this.closing;
  }

  private onEvent(event: RegistrarEvent): void {
    switch (event.kind) {
      case 'send': {
        const { kind: _send, bytes: posted, ...routing } = event;
        const prepared: PreparedResponse = { ...routing, bytes: Buffer.from(posted.buffer, posted.byteOffset, posted.byteLength) };
        this.deps.sendPrepared(prepared).catch((err: unknown) => this.deps.logger.debug({ err, target: event.target }, 'registrar response not sent'));
        return;
      }
      case 'bindings':
        for (const b of changedBindings(this.bindings.bindingsOf(event.aor), event.bindings)) void this.deps.store.save(b);
        this.bindings.replace(event.aor, event.bindings);
        return;
      case 'store-remove':
        void this.deps.store.remove(event.aor, event.contact);
        return;
      case 'auth-failed':
        this.deps.edge.authFailed(event.address, event.detail);
        return;
      case 'taken':
        this.queued = Math.max(0, this.queued - event.count);
        return;
      case 'rejected':
        this.deps.rejected(event.answered);
        return;
      case 'scanner':
        this.deps.edge.inspectRequest({ address: event.address, userAgent: event.userAgent });
        return;
      case 'log':
        this.log(event.line);
        return;
      case 'closed':
        this.markClosed?.();
        return;
      case 'ready':
        return;
    }
  }

  private log(line: string): void {
    try {
      const { level, msg, time: _time, ...fields } = JSON.parse(line) as { level: number; msg?: string; time?: number };
      this.deps.logger[LEVELS[level] ?? 'info']({ thread: 'registrar', ...fields }, msg ?? '');
    } catch {
      this.deps.logger.warn({ line }, 'unreadable log line from the registrar thread');
    }
  }
}
