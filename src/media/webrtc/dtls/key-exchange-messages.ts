import { ByteReader, u16, vector16, vector24, vector8 } from './byte-reader.js';

/** ECCurveType named_curve (RFC 8422 5.4). */
const NAMED_CURVE = 3;
/** ClientCertificateType (RFC 5246 7.4.4, RFC 8422 5.5). */
export const ClientCertificateType = { rsaSign: 1, ecdsaSign: 64 } as const;

/** Certificate (RFC 5246 7.4.2): a chain of DER certificates, each behind a 24-bit length. */
export function serializeCertificate(chain: readonly Uint8Array[]): Buffer {
  return vector24(Buffer.concat(chain.map((c) => vector24(c))));
}

export function parseCertificate(body: Buffer): Buffer[] | undefined {
  const r = new ByteReader(body);
  const list = r.vector24();
  if (r.failed || r.remaining !== 0) return undefined;
  const lr = new ByteReader(list);
  const chain: Buffer[] = [];
  while (lr.remaining > 0) {
    const cert = lr.vector24();
    if (lr.failed || cert.length === 0) return undefined;
    chain.push(cert);
  }
  return chain;
}

/** ServerECDHParams (RFC 8422 5.4): curve type, named group, public point. */
export function serializeEcdhParams(group: number, publicKey: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([NAMED_CURVE]), u16(group), vector8(publicKey)]);
}

export interface ServerKeyExchange {
  /** The bytes the signature covers after the two randoms. */
  params: Buffer;
  group: number;
  publicKey: Buffer;
  signatureScheme: number;
  signature: Buffer;
}

export function serializeServerKeyExchange(params: Buffer, scheme: number, signature: Uint8Array): Buffer {
  return Buffer.concat([params, u16(scheme), vector16(signature)]);
}

export function parseServerKeyExchange(body: Buffer): ServerKeyExchange | undefined {
  const r = new ByteReader(body);
  const curveType = r.u8();
  const group = r.u16();
  const publicKey = r.vector8();
  const paramsEnd = r.offset;
  const signatureScheme = r.u16();
  const signature = r.vector16();
  if (r.failed || r.remaining !== 0 || curveType !== NAMED_CURVE) return undefined;
  return { params: body.subarray(0, paramsEnd), group, publicKey, signatureScheme, signature };
}

/** CertificateRequest (RFC 5246 7.4.4): types, signature schemes, no authorities. */
export function serializeCertificateRequest(types: readonly number[], schemes: readonly number[]): Buffer {
  const s = Buffer.allocUnsafe(schemes.length * 2);
  schemes.forEach((v, i) => s.writeUInt16BE(v, i * 2));
  return Buffer.concat([vector8(Buffer.from(types)), vector16(s), vector16(Buffer.alloc(0))]);
}

export function parseCertificateRequest(body: Buffer): { types: number[]; schemes: number[] } | undefined {
  const r = new ByteReader(body);
  const types = r.vector8();
  const schemes = r.vector16();
  r.vector16();
  if (r.failed || r.remaining !== 0 || schemes.length % 2 !== 0) return undefined;
  const list: number[] = [];
  for (let i = 0; i < schemes.length; i += 2) list.push(schemes.readUInt16BE(i));
  return { types: [...types], schemes: list };
}

/** ClientKeyExchange for ECDHE (RFC 8422 5.7): the client's public point. */
export function parseClientKeyExchange(body: Buffer): Buffer | undefined {
  const r = new ByteReader(body);
  const point = r.vector8();
  return r.failed || r.remaining !== 0 || point.length === 0 ? undefined : point;
}

export function serializeClientKeyExchange(publicKey: Uint8Array): Buffer {
  return vector8(publicKey);
}

/** CertificateVerify / digitally-signed (RFC 5246 4.7): scheme then signature. */
export function parseDigitallySigned(body: Buffer): { scheme: number; signature: Buffer } | undefined {
  const r = new ByteReader(body);
  const scheme = r.u16();
  const signature = r.vector16();
  return r.failed || r.remaining !== 0 ? undefined : { scheme, signature };
}

export function serializeDigitallySigned(scheme: number, signature: Uint8Array): Buffer {
  return Buffer.concat([u16(scheme), vector16(signature)]);
}
