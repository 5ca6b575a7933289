// Micro-benchmark of the SIP message parser: parses/s of a typical REGISTER and INVITE, and the
// whole message-layer work of one authenticated REGISTER as the registrar does it.
// Run: npx tsx bench/sip-parse.ts
import { performance } from 'node:perf_hooks';
import { parseDigestCredentials } from '../src/sip/auth/index.js';
import {
  callId, createResponse, cseq, fromTag, getHeader, getHeaderValues, isParseError, parseMessage,
  parseNameAddr, parseUri, serializeMessage, toTag, topVia,
} from '../src/sip/message/index.js';
import type { SipRequest } from '../src/sip/message/index.js';

const CRLF = '\r\n';
const register = Buffer.from([
  'REGISTER sip:pbx.atende.test SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bKPj3f8a9c2e1d',
  'Max-Forwards: 70',
  'From: "Ramal 1001" <sip:1001@pbx.atende.test>;tag=9f8e7d6c5b',
  'To: "Ramal 1001" <sip:1001@pbx.atende.test>',
  'Call-ID: 4c3b2a19-8f7e-6d5c-4b3a-291807f6e5d4',
  'CSeq: 27 REGISTER',
  'User-Agent: Yealink SIP-T46S 66.86.0.15',
  'Contact: <sip:1001@192.0.2.10:5060;transport=udp>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-001565a1b2c3>";reg-id=1',
  'Expires: 3600',
  'Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, OPTIONS, INFO, SUBSCRIBE, UPDATE, MESSAGE',
  'Supported: path, gruu, outbound',
  'Authorization: Digest username="1001", realm="pbx.atende.test", nonce="5f2b1c0d9e8a7b6c", uri="sip:pbx.atende.test", response="0123456789abcdef0123456789abcdef", algorithm=MD5, cseq=27',
  'Content-Length: 0',
  '', '',
].join(CRLF));
const sdp = [
  'v=0', 'o=- 2890844526 2890844526 IN IP4 192.0.2.10', 's=-', 'c=IN IP4 192.0.2.10', 't=0 0',
  'm=audio 40000 RTP/AVP 0 8 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=ptime:20', 'a=sendrecv', '',
].join(CRLF);
const invite = Buffer.from([
  'INVITE sip:5511955550100@pbx.atende.test SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bKPj77aa88bb99',
  'Max-Forwards: 70',
  'From: "Ramal 1001" <sip:1001@pbx.atende.test>;tag=a1b2c3d4',
  'To: <sip:5511955550100@pbx.atende.test>',
  'Contact: <sip:1001@192.0.2.10:5060;ob>',
  'Call-ID: 9a8b7c6d-5e4f-3a2b-1c0d-efab12345678',
  'CSeq: 1 INVITE',
  'Allow: PRACK, INVITE, ACK, BYE, CANCEL, UPDATE, INFO, SUBSCRIBE, NOTIFY, REFER, MESSAGE, OPTIONS',
  'Supported: replaces, 100rel, timer, norefersub',
  'Session-Expires: 1800',
  'Min-SE: 90',
  'User-Agent: Zoiper v2.10',
  'Content-Type: application/sdp',
  `Content-Length: ${Buffer.byteLength(sdp)}`,
  '', sdp,
].join(CRLF));

function bench(name: string, bytes: Buffer, typed: boolean): void {
  const first = parseMessage(bytes);
  if (isParseError(first)) throw new Error(`${name}: ${first.reason}`);
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += (parseMessage(bytes) as { headers: unknown[] }).headers.length; // warm-up
  const n = 200_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const m = parseMessage(bytes);
    if (typed && !isParseError(m)) sink += (topVia(m)?.params['branch']?.length ?? 0) + (fromTag(m)?.length ?? 0);
    else sink += isParseError(m) ? 0 : m.headers.length;
  }
  const ms = performance.now() - t0;
  console.log(`${name.padEnd(34)} ${Math.round((n / ms) * 1000).toLocaleString('en-US').padStart(10)} /s  (${bytes.length} bytes, sink ${sink % 7})`);
}

function benchSerialize(name: string, bytes: Buffer): void {
  const m = parseMessage(bytes);
  if (isParseError(m)) throw new Error(m.reason);
  const n = 200_000;
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sink += serializeMessage(m).length;
  const ms = performance.now() - t0;
  console.log(`${name.padEnd(34)} ${Math.round((n / ms) * 1000).toLocaleString('en-US').padStart(10)} /s  (sink ${sink % 7})`);
}

/**
 * What the edge, transaction layer, authenticator and registrar do with one authenticated
 * REGISTER: parse, the typed accessors, To/From/Contact name-addrs, Request-URI, credentials,
 * and a 200 carrying the binding, serialized.
 */
function registerPath(bytes: Buffer): number {
  const req = parseMessage(bytes) as SipRequest;
  let sink = (topVia(req)?.params['branch']?.length ?? 0) + (cseq(req)?.seq ?? 0) + (callId(req)?.length ?? 0);
  sink += (fromTag(req)?.length ?? 0) + (toTag(req)?.length ?? 0);
  const to = parseNameAddr(getHeader(req, 'To') ?? '');
  const from = parseNameAddr(getHeader(req, 'From') ?? '');
  if (!isParseError(to) && !isParseError(from)) sink += Object.keys(to.params).length + Object.keys(from.params).length;
  let contacts = '';
  for (const value of getHeaderValues(req, 'Contact')) {
    const c = parseNameAddr(value);
    if (!isParseError(c)) {
      sink += c.params['reg-id']?.length ?? 0;
      contacts = `${value};expires=3600`;
    }
  }
  const ruri = parseUri(req.uri);
  if (!isParseError(ruri) && 'host' in ruri) sink += ruri.host.length;
  const credentials = parseDigestCredentials(getHeader(req, 'Authorization') ?? '');
  if (!isParseError(credentials)) sink += credentials.response.length;
  const res = createResponse(req, 200, undefined, { toTag: 'a1b2c3', headers: [{ name: 'Contact', value: contacts }] });
  return sink + serializeMessage(res).length;
}

/** Wall-clock rate, and the rate per CPU-second (steadier when the machine is shared). */
function report(name: string, n: number, t0: number, cpu0: NodeJS.CpuUsage, sink: number): void {
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const rate = (x: number): string => Math.round((n / x) * 1000).toLocaleString('en-US').padStart(10);
  console.log(`${name.padEnd(34)} ${rate(ms)} /s  ${rate(cpuMs)} /cpu-s  (sink ${sink % 7})`);
}

function benchRegisterPath(name: string, bytes: Buffer): void {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += registerPath(bytes); // warm-up
  const n = 200_000;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) sink += registerPath(bytes);
  report(name, n, t0, cpu0, sink);
}

/** The same REGISTER from many different phones, so no per-value cache can hold all of them. */
function distinctRegisters(count: number): Buffer[] {
  const text = register.toString('utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const ext = String(2000 + i);
    out.push(Buffer.from(text.replaceAll('1001', ext).replace('z9hG4bKPj3f8a9c2e1d', `z9hG4bKPj${i}x`).replace('192.0.2.10', `198.51.${i >> 8}.${i & 255}`)));
  }
  return out;
}

function benchRegisterPathDistinct(name: string, messages: Buffer[]): void {
  let sink = 0;
  for (let i = 0; i < 20_000; i++) sink += registerPath(messages[i % messages.length] as Buffer); // warm-up
  const n = 200_000;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) sink += registerPath(messages[i % messages.length] as Buffer);
  report(name, n, t0, cpu0, sink);
}

const only = process.argv[2];
// Separate processes per case keep one case's JIT state from colouring the next.
if (only === 'register-same') {
  benchRegisterPath('REGISTER path (same message)', register);
  process.exit(0);
}
if (only === 'register-phones') {
  benchRegisterPathDistinct('REGISTER path (5,000 phones)', distinctRegisters(5000));
  process.exit(0);
}
bench('parse REGISTER', register, false);
bench('parse REGISTER + topVia + fromTag', register, true);
bench('parse INVITE (with SDP)', invite, false);
bench('parse INVITE + topVia + fromTag', invite, true);
benchSerialize('serialize INVITE', invite);
benchRegisterPath('REGISTER path (same message)', register);
benchRegisterPathDistinct('REGISTER path (5,000 phones)', distinctRegisters(5000));
