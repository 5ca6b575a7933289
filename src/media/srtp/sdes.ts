import type { RandomSource } from '../../core/index.js';
import { srtpProfile } from './srtp-profile.js';
import { SrtpSession, srtpKeyProblem, type SrtpMasterKey } from './srtp-session.js';

/** One `inline:` key parameter of an `a=crypto:` line (RFC 4568 6.1). */
export interface SdesKeyParam {
  /** Master key followed by master salt. */
  readonly keySalt: Buffer;
  /** Key lifetime in packets, when given (`2^31` or decimal). */
  readonly lifetime?: number;
  /** Master key identifier and the number of bytes it takes in each packet. */
  readonly mki?: { readonly value: number; readonly length: number };
}

/** The value of an `a=crypto:` attribute: `tag suite key-params [session-params]`. */
export interface SdesCrypto {
  readonly tag: number;
  readonly suite: string;
  readonly keys: readonly SdesKeyParam[];
  readonly sessionParams: readonly string[];
}

export interface SdesParseError {
  readonly type: 'parse-error';
  readonly reason: string;
}

const fail = (reason: string): SdesParseError => ({ type: 'parse-error', reason });
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function isSdesParseError(x: SdesCrypto | SdesParseError): x is SdesParseError {
  return (x as SdesParseError).type === 'parse-error';
}

function parseKeyParam(text: string): SdesKeyParam | SdesParseError {
  if (!text.toLowerCase().startsWith('inline:')) return fail(`unsupported key method in "${text}"`);
  const parts = text.slice(7).split('|');
  const b64 = parts[0] ?? '';
  if (!BASE64.test(b64)) return fail('key is not base64');
  const keySalt = Buffer.from(b64, 'base64');
  let lifetime: number | undefined;
  let mki: SdesKeyParam['mki'];
  for (const part of parts.slice(1)) {
    const m = /^(\d{1,10}):(\d{1,3})$/.exec(part);
    if (m !== null) {
      const length = Number(m[2]);
      if (length < 1 || length > 128 || mki !== undefined) return fail(`bad MKI "${part}"`);
      mki = { value: Number(m[1]), length };
      continue;
    }
    const l = /^(2\^)?(\d{1,16})$/.exec(part);
    if (l === null || lifetime !== undefined) return fail(`bad lifetime "${part}"`);
    lifetime = l[1] !== undefined ? 2 ** Number(l[2]) : Number(l[2]);
  }
  return { keySalt, ...(lifetime !== undefined ? { lifetime } : {}), ...(mki !== undefined ? { mki } : {}) };
}

/** Parses an `a=crypto:` value (without `a=crypto:`); never throws. */
export function parseSdesCrypto(value: string): SdesCrypto | SdesParseError {
  const fields = value.trim().split(/[ \t]+/);
  if (fields.length < 3) return fail('crypto attribute needs tag, suite and key params');
  const [tagText, suite, keyText, ...sessionParams] = fields as [string, string, string, ...string[]];
  if (!/^\d{1,9}$/.test(tagText)) return fail(`bad tag "${tagText}"`);
  const keys: SdesKeyParam[] = [];
  for (const k of keyText.split(';')) {
    const parsed = parseKeyParam(k);
    if ('type' in parsed) return parsed;
    keys.push(parsed);
  }
  return { tag: Number(tagText), suite, keys, sessionParams };
}

function formatLifetime(n: number): string {
  const log = Math.log2(n);
  return Number.isInteger(log) && log > 0 ? `2^${log}` : String(n);
}

/** Serializes an `a=crypto:` value (without `a=crypto:`). */
export function formatSdesCrypto(c: SdesCrypto): string {
  const keys = c.keys.map((k) => {
    let s = `inline:${k.keySalt.toString('base64')}`;
    if (k.lifetime !== undefined) s += `|${formatLifetime(k.lifetime)}`;
    if (k.mki !== undefined) s += `|${k.mki.value}:${k.mki.length}`;
    return s;
  });
  return [String(c.tag), c.suite, keys.join(';'), ...c.sessionParams].join(' ');
}

/** A fresh crypto attribute for `suite` with a new random key and salt, or undefined if unknown. */
export function generateSdesCrypto(tag: number, suite: string, random: RandomSource): SdesCrypto | undefined {
  const p = srtpProfile(suite);
  if (p === undefined) return undefined;
  return { tag, suite, keys: [{ keySalt: random.bytes(p.keyLength + p.saltLength) }], sessionParams: [] };
}

// Session parameters that change the transform itself; we offer and accept none of them.
const UNSUPPORTED_PARAMS = /^(UNENCRYPTED_SRTP|UNENCRYPTED_SRTCP|UNAUTHENTICATED_SRTP|KDR=(?!0$))/;

function masterKeyOf(c: SdesCrypto): SrtpMasterKey | string {
  const p = srtpProfile(c.suite);
  if (p === undefined) return `unsupported suite ${c.suite}`;
  // Several keys only matter with MKI-driven rekeying; the first one keys the session.
  const k = c.keys[0];
  if (k === undefined) return 'no key';
  if (c.sessionParams.some((s) => UNSUPPORTED_PARAMS.test(s))) return 'unsupported session parameter';
  const key: SrtpMasterKey = {
    masterKey: k.keySalt.subarray(0, p.keyLength),
    masterSalt: k.keySalt.subarray(p.keyLength),
    ...(k.mki !== undefined ? { mki: mkiBytes(k.mki.value, k.mki.length) } : {}),
  };
  return srtpKeyProblem(p, key) ?? key;
}

function mkiBytes(value: number, length: number): Buffer {
  const b = Buffer.alloc(length);
  let v = value;
  for (let i = length - 1; i >= 0 && v > 0; i--) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return b;
}

/** Whether we can use an offered crypto line (known suite, usable key, no exotic params). */
export function isSdesCryptoSupported(c: SdesCrypto): boolean {
  return typeof masterKeyOf(c) !== 'string';
}

/**
 * An SRTP session from our crypto line and the peer's (RFC 4568 6.1: each side sends with its
 * own key). A string saying why when they cannot make one.
 */
export function srtpSessionFromSdes(local: SdesCrypto, remote: SdesCrypto): SrtpSession | string {
  if (local.suite !== remote.suite) return `suites differ: ${local.suite} / ${remote.suite}`;
  const profile = srtpProfile(local.suite);
  if (profile === undefined) return `unsupported suite ${local.suite}`;
  const l = masterKeyOf(local);
  if (typeof l === 'string') return `local: ${l}`;
  const r = masterKeyOf(remote);
  if (typeof r === 'string') return `remote: ${r}`;
  return new SrtpSession({ profile, local: l, remote: r });
}

/**
 * Answers an SDES offer (RFC 4568 7.1.2): picks the first offered line we support and returns it
 * with our fresh line under the same tag and suite; undefined when none is usable.
 */
export function answerSdesOffer(
  offered: readonly string[],
  random: RandomSource,
): { remote: SdesCrypto; local: SdesCrypto } | undefined {
  for (const value of offered) {
    const remote = parseSdesCrypto(value);
    if (isSdesParseError(remote) || !isSdesCryptoSupported(remote)) continue;
    const local = generateSdesCrypto(remote.tag, remote.suite, random);
    if (local !== undefined) return { remote, local };
  }
  return undefined;
}
