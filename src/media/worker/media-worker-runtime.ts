/**
 * What runs inside one media worker: the endpoints and relays it owns, the media graph
 * (players, echo, recorders, mixers on one 20 ms clock) and the handling of each command,
 * producing exactly one reply per command. Kept apart from the thread wiring
 * (media-worker.ts) so it can also run on the calling thread.
 */
import type { Clock, RandomSource } from '../../core/index.js';
import { BindError, RtpEndpoint, UdpRtpTransport, type EndpointEvent, type RtpTransport } from '../endpoint/index.js';
import { GraphError, MediaGraph } from '../graph/index.js';
import { RtpRelay } from '../relay/index.js';
import { openEndpointTransport, type OpenedTransport } from './endpoint-transport.js';
import type { CreateEndpointCommand, EndpointId, MediaCommand, MediaCommandResults, MediaErrorCode, MediaEvent, MediaReply } from './protocol.js';
import { SpareSockets } from './spare-sockets.js';

export interface MediaWorkerRuntimeOptions {
  clock: Clock;
  random: RandomSource;
  emit: (event: MediaEvent) => void;
}

/** A command failure with the code its reply carries. */
class CommandError extends Error {
  constructor(readonly code: MediaErrorCode | string, message: string) {
    super(message);
  }
}

const DEFAULT_LATCH_WINDOW_MS = 5_000;
const DEFAULT_LATCH_WINDOW_PACKETS = 20;

export class MediaWorkerRuntime {
  private readonly endpoints = new Map<EndpointId, RtpEndpoint>();
  private readonly relays = new Map<EndpointId, RtpRelay>();
  private readonly spares = new SpareSockets();
  /** Players, echo, recordings and mixes over this worker's endpoints. */
  readonly graph: MediaGraph;
  private closed = false;

  constructor(private readonly options: MediaWorkerRuntimeOptions) {
    this.graph = new MediaGraph({
      clock: options.clock,
      random: options.random,
      emit: options.emit,
      endpoint: (id) => this.endpoints.get(id),
    });
  }

  get endpointCount(): number {
    return this.endpoints.size;
  }
  get relayCount(): number {
    return this.relays.size / 2;
  }

  /** Runs one command; never rejects: failures become `{ ok: false }` replies. */
  async handle(command: MediaCommand): Promise<MediaReply> {
    try {
      const result = await this.run(command);
      return { id: command.id, ok: true, result } as MediaReply;
    } catch (err) {
      const code = err instanceof CommandError || err instanceof BindError || err instanceof GraphError ? err.code
        : err instanceof RangeError ? 'invalid_argument' : 'internal';
      return { id: command.id, ok: false, error: { code, message: err instanceof Error ? err.message : String(err) } };
    }
  }

  /** Destroys every endpoint and relay; safe to call twice. */
  close(): void {
    this.closed = true;
    this.spares.close();
    this.graph.close();
    for (const relay of this.relays.values()) relay.close();
    this.relays.clear();
    for (const endpoint of this.endpoints.values()) endpoint.close();
    this.endpoints.clear();
  }

  private async run(c: MediaCommand): Promise<MediaCommandResults[MediaCommand['op']]> {
    if (this.closed) throw new CommandError('pool_closed', 'media worker is closing');
    switch (c.op) {
      case 'createEndpoint':
        // A reserved pair makes the endpoint before this turn ends: the commands the main
        // thread sent right after (it did not wait for this reply) find it.
        return c.reserved === true ? this.adoptReserved(c) : this.createEndpoint(c);
      case 'reserve':
        return { bound: await this.spares.reserve(c.localAddress, c.ports) };
      case 'setRemote':
        this.get(c.endpoint).setRemote(c.remote);
        // In-band DTMF detection follows the (re)negotiated telephone-event.
        this.graph.endpointChanged(c.endpoint);
        return null;
      case 'connect': {
        const a = this.get(c.a);
        const b = this.get(c.b);
        if (this.relays.has(c.a) || this.relays.has(c.b)) throw new CommandError('already_connected', 'endpoint already connected');
        // Transcoded directions play out through a jitter buffer on this worker's media clock.
        const relay = new RtpRelay(a, b, this.options.random, { wake: (path) => this.graph.schedule(path) });
        this.relays.set(c.a, relay);
        this.relays.set(c.b, relay);
        return { transcoding: relay.transcoding };
      }
      case 'disconnect':
        this.get(c.endpoint);
        this.disconnect(c.endpoint);
        return null;
      case 'sendDtmf':
        await this.get(c.endpoint).sendDtmf(c.digit, c.durationMs ?? 100);
        return null;
      case 'destroy': {
        const endpoint = this.get(c.endpoint);
        this.graph.endpointDestroyed(c.endpoint);
        this.disconnect(c.endpoint);
        const last = endpoint.stats();
        endpoint.close();
        this.endpoints.delete(c.endpoint);
        return last;
      }
      case 'stats':
        return this.get(c.endpoint).stats();
      case 'play': {
        const spec = { playId: c.playId, sources: c.sources } as Parameters<MediaGraph['play']>[1];
        if (c.loop !== undefined) spec.loop = c.loop;
        if (c.bargeIn !== undefined) spec.bargeIn = c.bargeIn;
        this.graph.play(c.endpoint, spec);
        return null;
      }
      case 'stopPlay':
        return this.graph.stopPlay(c.endpoint, c.playId);
      case 'echo':
        this.graph.echo(c.endpoint, c.on === true);
        return null;
      case 'record': {
        const spec = { recId: c.recId, path: c.path, endpoints: c.endpoints } as Parameters<MediaGraph['record']>[0];
        if (c.layout !== undefined) spec.layout = c.layout;
        if (c.sampleRate !== undefined) spec.sampleRate = c.sampleRate;
        this.graph.record(spec);
        return null;
      }
      case 'stopRecord':
        return this.graph.stopRecord(c.recId);
      case 'pauseRecord':
        this.graph.pauseRecord(c.recId);
        return null;
      case 'resumeRecord':
        this.graph.resumeRecord(c.recId);
        return null;
      case 'mix':
        this.graph.mix(c.mixId, c.members);
        return null;
      case 'unmix':
        this.graph.unmix(c.mixId);
        return null;
      default:
        throw new CommandError('invalid_argument', `unknown command ${(c as { op?: unknown }).op as string}`);
    }
  }

  private async createEndpoint(c: CreateEndpointCommand): Promise<MediaCommandResults['createEndpoint']> {
    if (this.endpoints.has(c.endpoint)) throw new CommandError('endpoint_exists', `endpoint ${c.endpoint} exists`);
    const id = c.endpoint;
    const emit = this.options.emit;
    const opened = await openEndpointTransport(c, {
      clock: this.options.clock,
      random: this.options.random,
      latch: this.latchOf(c),
      // ICE and DTLS progress of a 'webrtc' endpoint, for the call layer to log or fail the call.
      emit: (event) => emit({ ...event, endpoint: id }),
    });
    if (this.closed || this.endpoints.has(c.endpoint)) {
      opened.transport.close();
      throw new CommandError('endpoint_exists', `endpoint ${c.endpoint} exists`);
    }
    return this.addEndpoint(c, opened);
  }

  /** A plain-RTP endpoint on a pair `reserve` bound: no await, so it exists once this returns. */
  private adoptReserved(c: CreateEndpointCommand): MediaCommandResults['createEndpoint'] {
    if (c.kind !== 'rtp') throw new CommandError('invalid_argument', `a ${c.kind} endpoint cannot take a reserved port`);
    if (this.endpoints.has(c.endpoint)) throw new CommandError('endpoint_exists', `endpoint ${c.endpoint} exists`);
    const pair = this.spares.take(c.localAddress, c.port);
    if (pair === undefined) throw new CommandError('unknown_reservation', `no reserved port ${c.port} on ${c.localAddress}`);
    const transport: RtpTransport = UdpRtpTransport.adopt(
      { localAddress: c.localAddress, rtcpMux: c.rtcpMux === true, clock: this.options.clock, latch: this.latchOf(c) },
      pair.rtp, pair.rtcp,
    );
    return this.addEndpoint(c, { transport, binding: {} });
  }

  private latchOf(c: CreateEndpointCommand): { windowMs: number; windowPackets: number } {
    return {
      windowMs: c.options?.latchWindowMs ?? DEFAULT_LATCH_WINDOW_MS,
      windowPackets: c.options?.latchWindowPackets ?? DEFAULT_LATCH_WINDOW_PACKETS,
    };
  }

  private addEndpoint(c: CreateEndpointCommand, { transport, binding }: OpenedTransport): MediaCommandResults['createEndpoint'] {
    const id = c.endpoint;
    const emit = this.options.emit;
    const endpoint = new RtpEndpoint({
      ...(c.options ?? {}),
      id,
      transport,
      clock: this.options.clock,
      random: this.options.random,
      emit: (event: EndpointEvent) => {
        // A digit (RFC 4733 or in-band) may end a play that allows barge-in; it is reported either way.
        if (event.ev === 'dtmf') this.graph.digit(id);
        emit({ ...event, endpoint: id } as MediaEvent);
      },
    });
    this.endpoints.set(id, endpoint);
    return { endpoint: id, localAddress: c.localAddress, port: endpoint.port, rtcpPort: endpoint.rtcpPort, ...binding };
  }

  private disconnect(id: EndpointId): void {
    const relay = this.relays.get(id);
    if (!relay) return;
    relay.close();
    this.relays.delete(relay.a.id);
    this.relays.delete(relay.b.id);
  }

  private get(id: EndpointId): RtpEndpoint {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) throw new CommandError('unknown_endpoint', `no endpoint ${String(id)} in this worker`);
    return endpoint;
  }
}
