/** CSeq header values (RFC 3261 20.16): a sequence number below 2^31 and a method. */
import { ParseCache } from './parse-cache.js';
import { parseError } from './types.js';
import type { CSeq, ParseError } from './types.js';

const CSEQ = /^(\d{1,10})[ \t]+([A-Za-z0-9\-.!%*_+`'~]+)$/;

/** Parses `4711 INVITE`. */
export function parseCSeq(input: string): CSeq | ParseError {
  const hit = cache.lookup(input);
  return hit === undefined ? parseCSeqText(input) : { seq: hit.seq, method: hit.method };
}

const cache = new ParseCache<CSeq>(parseCSeqText);

/** parseCSeq without the copy, for read-only use inside this folder. */
export function sharedCSeq(input: string): CSeq | ParseError {
  return cache.lookup(input) ?? parseCSeqText(input);
}

/** sharedCSeq, remembering the result: parseMessage's validation of the core headers. */
export function rememberedCSeq(input: string): CSeq | ParseError {
  return cache.remember(input);
}

function parseCSeqText(input: string): CSeq | ParseError {
  const m = CSEQ.exec(input.trim());
  if (m === null) return parseError('bad CSeq');
  const seq = Number(m[1]);
  if (seq > 0x7fffffff) return parseError('CSeq number out of range');
  return { seq, method: m[2] as string };
}

/** Writes `4711 INVITE`. */
export function formatCSeq(c: CSeq): string {
  return `${c.seq} ${c.method}`;
}
