/**
 * Shared by the registrar thread's tests: the start data, handed-over REGISTERs (byte-exact,
 * CRLF, from the registrar's fixtures) and the phone's side of the digest exchange.
 */
import { createHash } from 'node:crypto';
import type { DirectorySnapshot } from '../../pbx/index.js';
import { digestClientAuthorization, parseDigestChallenge } from '../../sip/auth/index.js';
import { getHeader, isParseError, parseMessage, type SipMessage, type SipResponse } from '../../sip/message/index.js';
import type { Binding } from '../../sip/registrar/index.js';
import { registerText } from '../../sip/registrar/register-fixtures.test-support.js';
import type { TransportAddress } from '../../sip/transport/index.js';
import type { HandedInbound, RegistrarSettings, RegistrarStart } from './protocol.js';

export { registerText };

export const SOURCE: TransportAddress = { protocol: 'udp', address: '192.168.1.20', port: 5060 };
export const LOCAL: TransportAddress = { protocol: 'udp', address: '127.0.0.1', port: 5060 };
/** Fixed, so nonces minted in one test process verify in another holder of the same secret. */
export const SECRET = Buffer.from('0123456789abcdef0123456789abcdef', 'latin1');
export const PASSWORDS: Record<string, string> = { '1001': 's3cret-1001', '1002': 's3cret-1002' };

/** HA1 for MD5 written out by hand (not via the code under test). */
export function md5Ha1(user: string, realm: string, password: string): string {
  return createHash('md5').update(`${user}:${realm}:${password}`).digest('hex');
}

/** A directory of the given extensions, each with an MD5 credential for `realm`. */
export function directorySnapshot(numbers: string[], realm = 'atende.local'): DirectorySnapshot {
  return numbers.map((n) => [n, `Extension ${n}`, 'never', [[`MD5\u0000${realm}`, md5Ha1(n, realm, PASSWORDS[n]!)]]]);
}

export function registrarSettings(domain = 'atende.local'): RegistrarSettings {
  return {
    identity: { domain, bindAddress: '127.0.0.1', ports: [5060], extraHosts: [] },
    algorithms: ['MD5'],
    scannerUserAgents: ['friendly-scanner'],
  };
}

export function registrarStart(o: { bindings?: Binding[]; numbers?: string[] } = {}): RegistrarStart {
  return {
    settings: registrarSettings(),
    directory: directorySnapshot(o.numbers ?? ['1001']),
    secret: SECRET,
    bindings: o.bindings ?? [],
    maxMessageBytes: 65535,
    logLevel: 'silent',
  };
}

/** A REGISTER as the main thread hands it over. */
export function handed(text: string, source: TransportAddress = SOURCE, connectionId?: string): HandedInbound {
  const raw: HandedInbound = {
    data: new Uint8Array(Buffer.from(text, 'utf8')),
    source,
    local: { ...LOCAL, protocol: source.protocol },
    warningHost: '127.0.0.1',
  };
  if (connectionId !== undefined) raw.connectionId = connectionId;
  return raw;
}

export function parseBytes(bytes: Uint8Array): SipMessage {
  const m = parseMessage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if (isParseError(m)) throw new Error(`response does not parse: ${m.reason}`);
  return m;
}

export function parseResponse(bytes: Uint8Array): SipResponse {
  const m = parseBytes(bytes);
  if (m.type !== 'response') throw new Error('expected a response');
  return m;
}

/** The Authorization a phone sends back for a 401 (first WWW-Authenticate). */
export function answerChallenge(challenge401: SipMessage, user = '1001', password = PASSWORDS[user]!): string {
  const value = getHeader(challenge401, 'WWW-Authenticate');
  if (value === undefined) throw new Error('no WWW-Authenticate');
  const challenge = parseDigestChallenge(value);
  if (isParseError(challenge)) throw new Error(challenge.reason);
  return digestClientAuthorization({ challenge, method: 'REGISTER', uri: 'sip:atende.local', username: user, password, cnonce: 'c0ffee', nc: 1 });
}

/** A REGISTER for `user` (the fixture's text is for 1001), one branch per transaction. */
export function userRegister(o: {
  user?: string;
  branch: string;
  cseq?: number;
  contact?: string;
  authorization?: string;
  expires?: string;
  via?: string;
  domain?: string;
}): string {
  const user = o.user ?? '1001';
  const text = registerText({
    cseq: o.cseq ?? 1,
    contacts: [o.contact ?? `<sip:${user}@192.168.1.20:5060>`],
    ...(o.expires !== undefined ? { expires: o.expires } : {}),
    // A sent-by that is not the source: answers must go to received/rport, not here.
    vias: [o.via ?? `SIP/2.0/UDP 10.0.0.5:5070;branch=${o.branch};rport`],
    extra: o.authorization !== undefined ? [`Authorization: ${o.authorization}`] : [],
  });
  const forUser = text.replaceAll('sip:1001@atende.local', `sip:${user}@atende.local`);
  return o.domain !== undefined ? forUser.replaceAll('atende.local', o.domain) : forUser;
}
