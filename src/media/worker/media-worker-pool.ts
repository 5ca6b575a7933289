/**
 * The main thread's handle on the media workers: starts N worker threads (default one per
 * CPU), places endpoints on them (everything connected to an endpoint lives in its worker:
 * `near` co-locates), allocates their RTP ports, turns commands into promises and routes
 * events to subscribers. A worker that dies is not restarted behind anyone's back: its
 * endpoints get an `error` event and their ports are freed.
 */
import { availableParallelism } from 'node:os';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { silentLogger, type Logger } from '../../core/index.js';
import { RtpPortAllocator } from './rtp-port-allocator.js';
import type {
  CreateEndpointCommand, EndpointBinding, EndpointId, EndpointStats, MediaCommand, MediaCommandOp,
  MediaCommandResults, MediaEvent, RecordResult, RemoteDescription,
} from './protocol.js';
import { threadEntry } from '../../core/thread-entry.js';
import { MediaWorkerError } from './media-worker-error.js';
import { WorkerSlot } from './media-worker-slot.js';
import { MediaEventRouter, type MediaEventListener } from './media-event-router.js';
import { SparePorts } from './spare-ports.js';
import type { CreateEndpointRequest, MediaWorkerPoolOptions, MixMemberRequest, PlayRequestSpec, RecordRequest } from './media-pool-requests.js';

export type { CreateEndpointRequest, MediaWorkerPoolOptions, MixMemberRequest, PlayRequestSpec, RecordRequest } from './media-pool-requests.js';

/** A failed media command, with the worker's error code (or a pool one). */
export { MediaWorkerError };

/** A command without its request id (the pool assigns it). */
type Unsent<C> = C extends MediaCommand ? Omit<C, 'id'> : never;

interface EndpointRecord {
  slot: WorkerSlot;
  port: number;
}

function endpointCommand(endpoint: EndpointId, request: CreateEndpointRequest, port: number): Unsent<CreateEndpointCommand> {
  const command: Unsent<CreateEndpointCommand> = { op: 'createEndpoint', endpoint, kind: request.kind ?? 'rtp', localAddress: request.localAddress, port };
  if (request.rtcpMux) command.rtcpMux = true;
  if (request.srtpSuite !== undefined) command.srtpSuite = request.srtpSuite;
  if (request.options) command.options = request.options;
  return command;
}

export class MediaWorkerPool {
  private readonly slots: WorkerSlot[] = [];
  private readonly endpoints = new Map<EndpointId, EndpointRecord>();
  private readonly events: MediaEventRouter;
  // Where each live recording and mix runs (they are named by id, not by endpoint).
  private readonly recordings = new Map<string, { slot: WorkerSlot; path: string }>();
  private readonly mixes = new Map<string, WorkerSlot>();
  private readonly allocator: RtpPortAllocator;
  private readonly spares: SparePorts;
  private readonly bindAttempts: number;
  private readonly logger: Logger;
  private nextCommandId = 1;
  private nextEndpoint = 1;
  private closing: Promise<void> | undefined;

  private constructor(options: MediaWorkerPoolOptions) {
    const ports = options.ports ?? '20000-29999';
    this.allocator = ports instanceof RtpPortAllocator ? ports : new RtpPortAllocator(ports);
    this.bindAttempts = options.bindAttempts ?? 16;
    this.logger = options.logger ?? silentLogger();
    this.events = new MediaEventRouter(this.logger);
    this.spares = new SparePorts(options.spareEndpoints ?? 0, this.allocator, (slot, localAddress, ports) => this.send(slot, { op: 'reserve', localAddress, ports }), this.logger);
  }

  /** Starts the workers and resolves once every one is ready. */
  static async start(options: MediaWorkerPoolOptions = {}): Promise<MediaWorkerPool> {
    const pool = new MediaWorkerPool(options);
    const count = Math.max(1, options.workers ?? availableParallelism());
    const entry = threadEntry(import.meta.url, 'media-worker');
    try {
      await Promise.all(Array.from({ length: count }, (_, i) => pool.startWorker(i, entry.url)));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** The port allocator (tests and metrics read `inUse`). */
  get ports(): RtpPortAllocator {
    return this.allocator;
  }
  /** Port pairs bound ahead for endpoints to come (counted in `ports.inUse`). */
  get sparePorts(): number {
    return this.spares.count;
  }
  get endpointCount(): number {
    return this.endpoints.size;
  }
  /** Worker threads that have not exited. */
  get liveWorkers(): number {
    return this.slots.filter((s) => s.alive).length;
  }
  /** Endpoints per worker, in worker order. */
  get load(): number[] {
    return this.slots.map((s) => s.endpoints.size);
  }
  /** Each live worker's event loop time (ms active/idle since it started): its share of a core. */
  eventLoopUtilization(): EventLoopUtilization[] {
    return this.slots.filter((s) => s.alive).map((s) => s.eventLoopUtilization());
  }
  /** Index of the worker holding `endpoint`. */
  workerOf(endpoint: EndpointId): number | undefined {
    return this.endpoints.get(endpoint)?.slot.index;
  }

  /** Creates an endpoint on an RTP port from the range, retrying the next port on EADDRINUSE. */
  async createEndpoint(request: CreateEndpointRequest): Promise<EndpointBinding> {
    const slot = this.placeEndpoint(request.near, request.worker);
    const endpoint = `ep${this.nextEndpoint++}`;
    const plain = (request.kind ?? 'rtp') === 'rtp';
    const spare = plain ? this.spares.take(slot, request.localAddress) : undefined;
    if (spare !== undefined) return this.adoptSpare(slot, endpoint, spare, request);
    for (let attempt = 1; ; attempt++) {
      const port = this.allocator.allocate();
      try {
        const created = this.send(slot, endpointCommand(endpoint, request, port));
        if (plain && attempt === 1) this.spares.refill(slot, request.localAddress);
        const binding = await created;
        if (!slot.alive) throw new MediaWorkerError('worker_crashed', 'media worker died');
        this.endpoints.set(endpoint, { slot, port });
        slot.endpoints.add(endpoint);
        return binding;
      } catch (err) {
        this.allocator.release(port);
        if (err instanceof MediaWorkerError && err.code === 'EADDRINUSE' && attempt < this.bindAttempts) {
          this.logger.debug({ port }, 'RTP port in use, trying the next one');
          continue;
        }
        throw err;
      }
    }
  }

  /** A plain-RTP endpoint on a pair its worker bound ahead: answered now, adopted by the worker before later commands. */
  private adoptSpare(slot: WorkerSlot, endpoint: EndpointId, port: number, request: CreateEndpointRequest): EndpointBinding {
    const command = { ...endpointCommand(endpoint, request, port), reserved: true as const };
    this.endpoints.set(endpoint, { slot, port });
    slot.endpoints.add(endpoint);
    // Nobody waits for the reply: a failure ends the endpoint as a worker's error event does.
    this.send(slot, command).catch((err: unknown) => {
      if (!this.endpoints.has(endpoint)) return;
      this.forget(endpoint);
      const error = err instanceof MediaWorkerError ? { code: err.code, message: err.message } : { code: 'internal', message: String(err) };
      this.events.dispatch({ ev: 'error', endpoint, error });
    });
    this.spares.refill(slot, request.localAddress);
    return { endpoint, localAddress: request.localAddress, port, rtcpPort: request.rtcpMux === true ? undefined : port + 1 };
  }

  /** Applies the far end's description (first answer or a re-INVITE). */
  async setRemote(endpoint: EndpointId, remote: RemoteDescription): Promise<void> {
    await this.sendTo(endpoint, { op: 'setRemote', endpoint, remote });
  }

  /** Relays media both ways between two endpoints of the same worker. */
  async connect(a: EndpointId, b: EndpointId): Promise<{ transcoding: boolean }> {
    const ra = this.recordOf(a);
    const rb = this.recordOf(b);
    if (ra.slot !== rb.slot) throw new MediaWorkerError('not_same_worker', `endpoints ${a} and ${b} live in different workers (use near)`);
    return this.send(ra.slot, { op: 'connect', a, b });
  }

  async disconnect(endpoint: EndpointId): Promise<void> {
    await this.sendTo(endpoint, { op: 'disconnect', endpoint });
  }

  /** Sends a digit (RFC 4733, or in-band tones when telephone-event was not negotiated); resolves when it was sent. */
  async sendDtmf(endpoint: EndpointId, digit: string, durationMs?: number): Promise<void> {
    const command: Unsent<MediaCommand> = { op: 'sendDtmf', endpoint, digit };
    if (durationMs !== undefined) command.durationMs = durationMs;
    await this.sendTo(endpoint, command);
  }

  stats(endpoint: EndpointId): Promise<EndpointStats> {
    return this.sendTo(endpoint, { op: 'stats', endpoint });
  }

  /**
   * Plays to the endpoint, replacing its current play (which ends 'stopped'); resolves once
   * queued. The end comes as a `playDone` event with this playId.
   */
  async play(endpoint: EndpointId, spec: PlayRequestSpec): Promise<void> {
    const command: Unsent<MediaCommand> = { op: 'play', endpoint, playId: spec.playId, sources: spec.sources };
    if (spec.loop !== undefined) command.loop = spec.loop;
    if (spec.bargeIn !== undefined) command.bargeIn = spec.bargeIn;
    await this.sendTo(endpoint, command);
  }

  /** Stops `playId`, or whatever plays on the endpoint. */
  stopPlay(endpoint: EndpointId, playId?: string): Promise<{ stopped: boolean }> {
    const command: Unsent<MediaCommand> = { op: 'stopPlay', endpoint };
    if (playId !== undefined) command.playId = playId;
    return this.sendTo(endpoint, command);
  }

  /** Sends the endpoint's own audio back to it (echo test), or stops doing so. */
  async echo(endpoint: EndpointId, on: boolean): Promise<void> {
    await this.sendTo(endpoint, { op: 'echo', endpoint, on });
  }

  /** Starts recording what the endpoints receive; ends with a `recordDone` event. */
  async record(request: RecordRequest): Promise<void> {
    const slot = this.sameSlot(request.endpoints);
    if (this.recordings.has(request.recId)) throw new MediaWorkerError('recording_exists', `recording ${request.recId} exists`);
    const command: Unsent<MediaCommand> = { op: 'record', recId: request.recId, path: request.path, endpoints: request.endpoints };
    if (request.layout !== undefined) command.layout = request.layout;
    if (request.sampleRate !== undefined) command.sampleRate = request.sampleRate;
    this.recordings.set(request.recId, { slot, path: request.path });
    try {
      await this.send(slot, command);
    } catch (err) {
      if (this.recordings.get(request.recId)?.slot === slot) this.recordings.delete(request.recId);
      throw err;
    }
  }

  /** Stops a recording and returns its file (a `recordDone` event is raised too). */
  async stopRecord(recId: string): Promise<RecordResult> {
    const rec = this.recordings.get(recId);
    if (!rec) throw new MediaWorkerError('unknown_recording', `no recording ${recId}`);
    try {
      return await this.send(rec.slot, { op: 'stopRecord', recId });
    } finally {
      this.recordings.delete(recId);
    }
  }

  /** Pauses a recording: silence is written until resumeRecord, so the file keeps the call's length. */
  async pauseRecord(recId: string): Promise<void> {
    await this.sendToRecording(recId, { op: 'pauseRecord', recId });
  }

  /** Records again after pauseRecord (nothing when not paused). */
  async resumeRecord(recId: string): Promise<void> {
    await this.sendToRecording(recId, { op: 'resumeRecord', recId });
  }

  /** Creates or updates a mix of endpoints of one worker. */
  async mix(mixId: string, members: MixMemberRequest[]): Promise<void> {
    const current = this.mixes.get(mixId);
    const slot = members.length > 0 ? this.sameSlot(members.map((m) => m.endpoint)) : current;
    if (!slot) throw new MediaWorkerError('invalid_argument', 'a new mix needs members');
    if (current && current !== slot) throw new MediaWorkerError('not_same_worker', `mix ${mixId} lives in another worker`);
    await this.send(slot, { op: 'mix', mixId, members });
    this.mixes.set(mixId, slot);
  }

  /** Ends a mix (members go back to their relays); unknown mixes are already gone. */
  async unmix(mixId: string): Promise<void> {
    const slot = this.mixes.get(mixId);
    if (!slot) return;
    this.mixes.delete(mixId);
    if (!slot.alive) return;
    await this.send(slot, { op: 'unmix', mixId });
  }

  /** Destroys the endpoint (frees its port); resolves with its last counters, if it still had any. */
  async destroy(endpoint: EndpointId): Promise<EndpointStats | undefined> {
    const record = this.endpoints.get(endpoint);
    if (!record) return undefined;
    try {
      return await this.send(record.slot, { op: 'destroy', endpoint });
    } catch (err) {
      if (!(err instanceof MediaWorkerError) || (err.code !== 'unknown_endpoint' && err.code !== 'worker_crashed')) throw err;
      return undefined;
    } finally {
      this.forget(endpoint);
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  on(listener: MediaEventListener): () => void {
    return this.events.on(listener);
  }

  /** Subscribes to one endpoint's events. */
  onEndpoint(endpoint: EndpointId, listener: MediaEventListener): () => void {
    return this.events.onEndpoint(endpoint, listener);
  }

  /** Terminates every worker (their sockets close with them) and frees all ports; safe twice. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const err = new MediaWorkerError('pool_closed', 'media worker pool closed');
    for (const slot of this.slots) {
      slot.failPending(err);
      this.spares.drop(slot);
    }
    for (const id of [...this.endpoints.keys()]) this.forget(id);
    this.recordings.clear();
    this.mixes.clear();
    await Promise.all(this.slots.map((slot) => slot.terminate()));
    this.events.clear();
  }

  private startWorker(index: number, url: URL): Promise<void> {
    const { slot, ready } = WorkerSlot.start(index, url, this.logger, {
      onEvent: (_slot, event) => this.onWorkerEvent(event),
      onExit: (dead, code) => {
        if (!this.closing) this.onWorkerDeath(dead, code);
      },
    });
    this.slots.push(slot);
    return ready;
  }

  private onWorkerEvent(msg: MediaEvent): void {
    if (msg.ev === 'recordDone') this.recordings.delete(msg.recId);
    this.events.dispatch(msg);
    // An endpoint that reports an error is gone in its worker.
    if (msg.ev === 'error') this.forget(msg.endpoint);
  }

  private onWorkerDeath(slot: WorkerSlot, code: number): void {
    this.logger.error({ worker: slot.index, code }, 'media worker exited; its endpoints are lost');
    const err = new MediaWorkerError('worker_crashed', `media worker ${slot.index} exited with code ${code}`);
    slot.failPending(err);
    this.spares.drop(slot);
    for (const endpoint of [...slot.endpoints]) {
      this.forget(endpoint);
      this.events.dispatch({ ev: 'error', endpoint, error: { code: 'worker_crashed', message: err.message } });
    }
    // Recordings die with their worker: what reached the disk stays, but nobody closes the file.
    for (const [recId, rec] of [...this.recordings]) {
      if (rec.slot !== slot) continue;
      this.recordings.delete(recId);
      this.events.dispatch({ ev: 'recordDone', recId, path: rec.path, durationMs: 0, bytes: 0, error: err.message });
    }
    for (const [mixId, s] of [...this.mixes]) if (s === slot) this.mixes.delete(mixId);
  }

  private forget(endpoint: EndpointId): void {
    const record = this.endpoints.get(endpoint);
    if (!record) return;
    this.endpoints.delete(endpoint);
    record.slot.endpoints.delete(endpoint);
    this.allocator.release(record.port);
  }

  /** The worker a new endpoint would go to now (the least loaded live one), for `worker`. */
  pickWorker(): number {
    return this.placeEndpoint(undefined, undefined).index;
  }

  private placeEndpoint(near: EndpointId | undefined, worker: number | undefined): WorkerSlot {
    if (this.closing) throw new MediaWorkerError('pool_closed', 'media worker pool closed');
    if (near !== undefined) return this.recordOf(near).slot;
    const chosen = worker === undefined ? undefined : this.slots[worker];
    if (chosen?.alive === true) return chosen;
    let best: WorkerSlot | undefined;
    for (const slot of this.slots) if (slot.alive && (!best || slot.endpoints.size < best.endpoints.size)) best = slot;
    if (!best) throw new MediaWorkerError('worker_crashed', 'no media worker is running');
    return best;
  }

  /** The worker holding every one of `endpoints`. */
  private sameSlot(endpoints: readonly EndpointId[]): WorkerSlot {
    if (endpoints.length === 0) throw new MediaWorkerError('invalid_argument', 'no endpoints');
    const slot = this.recordOf(endpoints[0]!).slot;
    for (const id of endpoints) {
      if (this.recordOf(id).slot !== slot) throw new MediaWorkerError('not_same_worker', `endpoints ${endpoints.join(', ')} live in different workers (use near)`);
    }
    return slot;
  }

  private recordOf(endpoint: EndpointId): EndpointRecord {
    const record = this.endpoints.get(endpoint);
    if (!record) throw new MediaWorkerError('unknown_endpoint', `no endpoint ${endpoint}`);
    return record;
  }

  private sendToRecording<C extends Unsent<MediaCommand>>(recId: string, command: C): Promise<MediaCommandResults[C['op']]> {
    const rec = this.recordings.get(recId);
    if (!rec) return Promise.reject(new MediaWorkerError('unknown_recording', `no recording ${recId}`));
    return this.send(rec.slot, command);
  }

  private sendTo<C extends Unsent<MediaCommand>>(endpoint: EndpointId, command: C): Promise<MediaCommandResults[C['op']]> {
    const record = this.endpoints.get(endpoint);
    if (!record) return Promise.reject(new MediaWorkerError('unknown_endpoint', `no endpoint ${endpoint}`));
    return this.send(record.slot, command);
  }

  private send<C extends Unsent<MediaCommand>>(slot: WorkerSlot, command: C): Promise<MediaCommandResults[C['op'] & MediaCommandOp]> {
    if (this.closing) return Promise.reject(new MediaWorkerError('pool_closed', 'media worker pool closed'));
    if (!slot.alive) return Promise.reject(new MediaWorkerError('worker_crashed', `media worker ${slot.index} is not running`));
    const id = this.nextCommandId++;
    // The worker's reply to an `op` command carries that op's result type.
    return slot.request({ ...command, id } as MediaCommand) as Promise<MediaCommandResults[C['op'] & MediaCommandOp]>;
  }
}
