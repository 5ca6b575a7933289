// One-shot hash() avoids a Hash object per call: digest checks run on every REGISTER and INVITE.
import { hash } from 'node:crypto';

/** Digest algorithms we speak (RFC 7616 section 3.5, RFC 8760); the "-sess" variants are not offered in SIP. */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

export const digestAlgorithms: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

/** The algorithm named by a challenge or credentials; absent means MD5 (RFC 7616 section 3.3). */
export function parseDigestAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined) return 'MD5';
  const v = value.trim().toUpperCase();
  if (v === 'MD5') return 'MD5';
  if (v === 'SHA-256') return 'SHA-256';
  return undefined;
}

/** H(data) as lower-case hex. */
export function digestHash(algorithm: DigestAlgorithm, data: string): string {
  return hash(algorithm === 'MD5' ? 'md5' : 'sha256', data, 'hex');
}

/** HA1 = H(username:realm:password), what the store keeps instead of the password. */
export function digestHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return digestHash(algorithm, `${username}:${realm}:${password}`);
}

export interface DigestResponseInput {
  algorithm: DigestAlgorithm;
  ha1: string;
  nonce: string;
  method: string;
  uri: string;
  /** 'auth', 'auth-int', or undefined for the RFC 2069 form. */
  qop?: 'auth' | 'auth-int';
  /** Eight hex digits, as sent on the wire. */
  nc?: string;
  cnonce?: string;
  /** Message body, for qop=auth-int only. */
  body?: Buffer | string;
}

/** The request-digest (RFC 7616 section 3.4.1; RFC 2069 when qop is absent). */
export function digestResponse(input: DigestResponseInput): string {
  const { algorithm, nonce, method, uri, qop } = input;
  const ha1 = input.ha1.toLowerCase();
  const a2 =
    qop === 'auth-int'
      ? `${method}:${uri}:${hashBody(algorithm, input.body)}`
      : `${method}:${uri}`;
  const ha2 = qop === 'auth-int' ? digestHash(algorithm, a2) : ha2Of(algorithm, a2);
  if (qop === undefined) return digestHash(algorithm, `${ha1}:${nonce}:${ha2}`);
  return digestHash(algorithm, `${ha1}:${nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${qop}:${ha2}`);
}

// H(method:uri) is the same for every REGISTER to the registrar's URI (and every call to one
// number): the last few are kept, so a registration hashes once instead of twice.
const ha2Memo: { algorithm: DigestAlgorithm; a2: string; ha2: string }[] = [];
const HA2_MEMO_SIZE = 8;

function ha2Of(algorithm: DigestAlgorithm, a2: string): string {
  for (const m of ha2Memo) if (m.a2 === a2 && m.algorithm === algorithm) return m.ha2;
  const ha2 = digestHash(algorithm, a2);
  if (ha2Memo.length >= HA2_MEMO_SIZE) ha2Memo.pop();
  ha2Memo.unshift({ algorithm, a2, ha2 });
  return ha2;
}

function hashBody(algorithm: DigestAlgorithm, body: Buffer | string | undefined): string {
  return hash(algorithm === 'MD5' ? 'md5' : 'sha256', body ?? '', 'hex');
}
