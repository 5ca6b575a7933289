import { ByteReader, u16, vector16, vector8 } from './byte-reader.js';

/** TLS extension code points we read or write. */
export const ExtensionType = {
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  useSrtp: 14,
  extendedMasterSecret: 23,
  renegotiationInfo: 0xff01,
} as const;

export const CipherSuite = {
  ecdheEcdsaAes128GcmSha256: 0xc02b,
  emptyRenegotiationInfoScsv: 0x00ff,
} as const;

export type Extensions = Map<number, Buffer>;

export interface ClientHello {
  clientVersion: number;
  random: Buffer;
  sessionId: Buffer;
  cookie: Buffer;
  cipherSuites: number[];
  compressionMethods: Buffer;
  extensions: Extensions;
}

export interface ServerHello {
  serverVersion: number;
  random: Buffer;
  sessionId: Buffer;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Extensions;
}

function parseExtensions(r: ByteReader): Extensions | undefined {
  const map: Extensions = new Map();
  if (r.remaining === 0) return map;
  const block = r.vector16();
  const er = new ByteReader(block);
  while (er.remaining > 0 && !er.failed) {
    const type = er.u16();
    const data = er.vector16();
    // A repeated extension is a decode_error (RFC 5246 7.4.1.4).
    if (map.has(type)) return undefined;
    map.set(type, data);
  }
  return er.failed || r.remaining !== 0 ? undefined : map;
}

function serializeExtensions(ext: Extensions): Buffer {
  const parts: Buffer[] = [];
  for (const [type, data] of ext) parts.push(u16(type), vector16(data));
  return vector16(Buffer.concat(parts));
}

/** RFC 6347 4.2.1: the DTLS ClientHello carries a cookie after the session id. */
export function parseClientHello(body: Buffer): ClientHello | undefined {
  const r = new ByteReader(body);
  const clientVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = r.vector8();
  const cookie = r.vector8();
  const suites = r.vector16();
  const compressionMethods = r.vector8();
  if (r.failed || suites.length % 2 !== 0 || sessionId.length > 32) return undefined;
  const extensions = parseExtensions(r);
  if (!extensions) return undefined;
  const cipherSuites: number[] = [];
  for (let i = 0; i < suites.length; i += 2) cipherSuites.push(suites.readUInt16BE(i));
  return { clientVersion, random, sessionId, cookie, cipherSuites, compressionMethods, extensions };
}

export function serializeClientHello(h: ClientHello): Buffer {
  const suites = Buffer.allocUnsafe(h.cipherSuites.length * 2);
  h.cipherSuites.forEach((s, i) => suites.writeUInt16BE(s, i * 2));
  return Buffer.concat([
    u16(h.clientVersion),
    h.random,
    vector8(h.sessionId),
    vector8(h.cookie),
    vector16(suites),
    vector8(h.compressionMethods),
    serializeExtensions(h.extensions),
  ]);
}

export function parseServerHello(body: Buffer): ServerHello | undefined {
  const r = new ByteReader(body);
  const serverVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = r.vector8();
  const cipherSuite = r.u16();
  const compressionMethod = r.u8();
  if (r.failed) return undefined;
  const extensions = parseExtensions(r);
  if (!extensions) return undefined;
  return { serverVersion, random, sessionId, cipherSuite, compressionMethod, extensions };
}

export function serializeServerHello(h: ServerHello): Buffer {
  return Buffer.concat([
    u16(h.serverVersion),
    h.random,
    vector8(h.sessionId),
    u16(h.cipherSuite),
    Buffer.from([h.compressionMethod]),
    serializeExtensions(h.extensions),
  ]);
}

/** HelloVerifyRequest (RFC 6347 4.2.1): server_version and the cookie. */
export function serializeHelloVerifyRequest(version: number, cookie: Uint8Array): Buffer {
  return Buffer.concat([u16(version), vector8(cookie)]);
}

export function parseHelloVerifyRequest(body: Buffer): { version: number; cookie: Buffer } | undefined {
  const r = new ByteReader(body);
  const version = r.u16();
  const cookie = r.vector8();
  return r.failed ? undefined : { version, cookie };
}

/** A list of 16-bit values behind a 16-bit length (supported_groups, signature_algorithms). */
export function parseU16List(data: Buffer): number[] | undefined {
  const r = new ByteReader(data);
  const list = r.vector16();
  if (r.failed || r.remaining !== 0 || list.length % 2 !== 0) return undefined;
  const out: number[] = [];
  for (let i = 0; i < list.length; i += 2) out.push(list.readUInt16BE(i));
  return out;
}

export function serializeU16List(values: readonly number[]): Buffer {
  const b = Buffer.allocUnsafe(values.length * 2);
  values.forEach((v, i) => b.writeUInt16BE(v, i * 2));
  return vector16(b);
}

/** use_srtp (RFC 5764 4.1.1): SRTPProtectionProfiles then srtp_mki. */
export function parseUseSrtp(data: Buffer): { profiles: number[]; mki: Buffer } | undefined {
  const r = new ByteReader(data);
  const list = r.vector16();
  const mki = r.vector8();
  if (r.failed || r.remaining !== 0 || list.length % 2 !== 0) return undefined;
  const profiles: number[] = [];
  for (let i = 0; i < list.length; i += 2) profiles.push(list.readUInt16BE(i));
  return { profiles, mki };
}

export function serializeUseSrtp(profiles: readonly number[], mki: Uint8Array = Buffer.alloc(0)): Buffer {
  return Buffer.concat([serializeU16List(profiles), vector8(mki)]);
}
