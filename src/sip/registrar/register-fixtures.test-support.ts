/**
 * REGISTER fixtures and a location-service harness shared by the registrar's tests. The
 * REGISTER text is byte-exact SIP (CRLF line ends), parsed with the real parser.
 */
import { ManualClock } from '../../core/index.js';
import { isParseError, parseMessage } from '../message/index.js';
import type { HeaderField, SipRequest } from '../message/index.js';
import type { InboundMessage, TransportAddress } from '../transport/types.js';
import { MemoryBindingStore } from './binding-store.js';
import { LocationService } from './location-service.js';
import type { BindingChange, LocationServiceOptions } from './location-service.js';

const CRLF = '\r\n';

/** A Linphone-style REGISTER, byte-exact (CRLF); the mutable parts are filled from `o`. */
export function registerText(o: {
  callId?: string;
  cseq?: number;
  contacts?: string[];
  expires?: string;
  vias?: string[];
  extra?: string[];
}): string {
  const vias = o.vias ?? ['SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK-1;rport'];
  const lines = [
    'REGISTER sip:atende.local SIP/2.0',
    ...vias.map((v) => `Via: ${v}`),
    'Max-Forwards: 70',
    'From: <sip:1001@atende.local>;tag=a73kszlfl',
    'To: <sip:1001@atende.local>',
    `Call-ID: ${o.callId ?? '1j9FpLxk3uxtm8tn@192.168.1.20'}`,
    `CSeq: ${o.cseq ?? 1} REGISTER`,
    ...(o.contacts ?? []).map((c) => `Contact: ${c}`),
    ...(o.expires !== undefined ? [`Expires: ${o.expires}`] : []),
    'User-Agent: Linphone/5.2.0',
    ...(o.extra ?? []),
    'Content-Length: 0',
    '',
    '',
  ];
  return lines.join(CRLF);
}

export function parseRegister(text: string): SipRequest {
  const m = parseMessage(Buffer.from(text, 'utf8'));
  if (isParseError(m) || m.type !== 'request') throw new Error(`fixture does not parse: ${JSON.stringify(m)}`);
  return m;
}

export const NAT_UDP: TransportAddress = { protocol: 'udp', address: '203.0.113.7', port: 40123 };
export const LOCAL: TransportAddress = { protocol: 'udp', address: '198.51.100.1', port: 5060 };

export function inbound(req: SipRequest, source: TransportAddress = NAT_UDP, connectionId?: string): InboundMessage {
  const m: InboundMessage = { message: req, source, local: { ...LOCAL, protocol: source.protocol }, receivedAt: 0 };
  if (connectionId !== undefined) m.connectionId = connectionId;
  return m;
}

export interface Harness {
  clock: ManualClock;
  store: MemoryBindingStore;
  service: LocationService;
  changes: BindingChange[];
}

export async function harness(options: Partial<LocationServiceOptions> = {}, store = new MemoryBindingStore(), clock = new ManualClock()): Promise<Harness> {
  const service = new LocationService({ clock, store, ...options });
  await service.start();
  const changes: BindingChange[] = [];
  service.onChange((c) => changes.push(c));
  return { clock, store, service, changes };
}

export function register(h: Harness, o: Parameters<typeof registerText>[0], source?: TransportAddress, connectionId?: string) {
  const req = parseRegister(registerText(o));
  return h.service.processRegister(req, inbound(req, source, connectionId), '1001');
}

export function contacts(headers: HeaderField[]): string[] {
  return headers.filter((h) => h.name === 'Contact').map((h) => h.value);
}

export function header(headers: HeaderField[], name: string): string | undefined {
  return headers.find((h) => h.name === name)?.value;
}

