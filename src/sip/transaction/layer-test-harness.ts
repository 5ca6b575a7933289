/** Test harness for the transaction layer: a ManualClock, a recording MessageSender and message builders. */
import { ManualClock } from '../../core/clock.js';
import { seededRandom } from '../../core/random.js';
import { createRequest, createResponse, isParseError, parseMessage, serializeMessage } from '../message/index.js';
import type { SipMessage, SipRequest, SipResponse } from '../message/types.js';
import type { InboundMessage, MessageSender, PreparedResponse, SendTarget, TransportProtocol } from '../transport/types.js';
import { TransportError } from '../transport/transport-error.js';
import type { ServerTransaction } from './server-transaction.js';
import { TransactionLayer } from './transaction-layer.js';

export interface SentRecord {
  message: SipMessage;
  /** The bytes, for a response sent prepared. */
  bytes?: Buffer;
  target?: SendTarget;
  inbound?: InboundMessage;
  at: number;
}

/** Records every message; `fail` makes the next sends reject with TransportError. */
export class RecordingSender implements MessageSender {
  readonly sent: SentRecord[] = [];
  fail = false;
  /** How many responses were serialized (prepareResponse calls). */
  prepared = 0;

  constructor(private readonly clock: ManualClock) {}

  send(message: SipMessage, target: SendTarget): Promise<void> {
    this.sent.push({ message, target, at: this.clock.now() });
    return this.fail ? Promise.reject(new TransportError('unreachable')) : Promise.resolve();
  }

  sendResponse(message: SipMessage, inbound?: InboundMessage): Promise<void> {
    this.sent.push({ message, inbound, at: this.clock.now() });
    return this.fail ? Promise.reject(new TransportError('connection closed')) : Promise.resolve();
  }

  /** Prepared bytes remember their message and inbound, so the record reads as sendResponse's. */
  private readonly preparedFrom = new WeakMap<Buffer, { message: SipMessage; inbound?: InboundMessage }>();

  prepareResponse(message: SipMessage, inbound?: InboundMessage): PreparedResponse | TransportError {
    this.prepared++;
    const bytes = serializeMessage(message);
    this.preparedFrom.set(bytes, inbound === undefined ? { message } : { message, inbound });
    return { bytes, target: { protocol: inbound?.source.protocol ?? 'udp', address: inbound?.source.address ?? '', port: inbound?.source.port ?? 0 } };
  }

  sendPrepared(prepared: PreparedResponse): Promise<void> {
    const from = this.preparedFrom.get(prepared.bytes);
    const message = from?.message ?? parseMessage(prepared.bytes);
    if (isParseError(message)) return Promise.reject(new TransportError('unparsable prepared response'));
    const sent = this.sendResponse(message, from?.inbound);
    this.sent[this.sent.length - 1]!.bytes = prepared.bytes;
    return sent;
  }

  isReliable(protocol: TransportProtocol): boolean {
    return protocol !== 'udp';
  }

  /** "INVITE", "ACK", "100", "486"... in order. */
  summary(): string[] {
    return this.sent.map((s) => (s.message.type === 'request' ? s.message.method : String(s.message.status)));
  }

  /** Times (ms from `start`) at which messages of this kind went out. */
  timesOf(kind: string, start: number): number[] {
    return this.sent
      .filter((s) => (s.message.type === 'request' ? s.message.method : String(s.message.status)) === kind)
      .map((s) => s.at - start);
  }
}

export interface TuRecord {
  req: SipRequest;
  tx: ServerTransaction | undefined;
  cancelled: ServerTransaction | undefined;
}

export function makeLayer(opts: { onRequest?: (r: TuRecord) => void } = {}) {
  const clock = new ManualClock();
  const sender = new RecordingSender(clock);
  const requests: TuRecord[] = [];
  const strays: SipResponse[] = [];
  const layer = new TransactionLayer({
    sender,
    clock,
    random: seededRandom(7),
    viaSentBy: () => ({ host: '192.0.2.1', port: 5060 }),
    onRequest: (req, tx, _inbound, cancelled) => {
      const r = { req, tx, cancelled };
      requests.push(r);
      opts.onRequest?.(r);
    },
    onStrayResponse: (res) => strays.push(res),
  });
  return { clock, sender, layer, requests, strays, start: clock.now() };
}

export const udpTarget: SendTarget = { protocol: 'udp', address: '198.51.100.7', port: 5060 };
export const tcpTarget: SendTarget = { protocol: 'tcp', address: '198.51.100.7', port: 5060, connectionId: 'c1' };

/** A request as a peer or our TU would build it. */
export function request(
  method: string,
  opts: { branch?: string | null; protocol?: TransportProtocol; cseq?: number; sentBy?: string; callId?: string } = {},
): SipRequest {
  const transport = (opts.protocol ?? 'udp').toUpperCase();
  const branch = opts.branch === null ? '' : `;branch=${opts.branch ?? 'z9hG4bKpeer1'}`;
  return createRequest({
    method,
    uri: 'sip:1002@atende.local',
    headers: [
      { name: 'Via', value: `SIP/2.0/${transport} ${opts.sentBy ?? '198.51.100.7:5060'}${branch}` },
      { name: 'Route', value: '<sip:proxy.example;lr>' },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: '<sip:1001@atende.local>;tag=from1' },
      { name: 'To', value: '<sip:1002@atende.local>' },
      { name: 'Call-ID', value: opts.callId ?? 'call-1@198.51.100.7' },
      { name: 'CSeq', value: `${opts.cseq ?? 1} ${method}` },
    ],
  });
}

/** A response to `req` with a To tag (none on 100). */
export function responseTo(req: SipRequest, status: number): SipResponse {
  return createResponse(req, status, undefined, { toTag: 'totag9' });
}

export function inbound(message: SipMessage, protocol: TransportProtocol = 'udp', at = 0): InboundMessage {
  return {
    message,
    source: { protocol, address: '198.51.100.7', port: 5060 },
    local: { protocol, address: '192.0.2.1', port: 5060 },
    ...(protocol === 'udp' ? {} : { connectionId: 'c1' }),
    receivedAt: at,
  };
}

/** Lets rejected sends reach the transaction (they settle on the microtask queue). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
