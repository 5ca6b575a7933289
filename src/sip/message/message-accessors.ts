/** Typed shortcuts to the headers every layer reads: top Via, Call-ID, CSeq, tags. */
import { sharedCSeq } from './cseq.js';
import { firstListElement, getHeader } from './header-fields.js';
import { sharedNameAddr } from './name-addr.js';
import { parseVia } from './via.js';
import { isParseError } from './types.js';
import type { CSeq, SipMessage, Via } from './types.js';

/** The first Via value (the first entry of the first Via field), parsed. */
export function topVia(msg: SipMessage): Via | undefined {
  const field = getHeader(msg, 'Via');
  if (field === undefined) return undefined;
  const first = firstListElement(field);
  if (first === undefined) return undefined;
  const via = parseVia(first);
  return isParseError(via) ? undefined : via;
}

/** The Call-ID value. */
export function callId(msg: SipMessage): string | undefined {
  return getHeader(msg, 'Call-ID');
}

/** The parsed CSeq. */
export function cseq(msg: SipMessage): CSeq | undefined {
  const value = getHeader(msg, 'CSeq');
  if (value === undefined) return undefined;
  const c = sharedCSeq(value);
  return isParseError(c) ? undefined : { seq: c.seq, method: c.method };
}

function tagOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const n = sharedNameAddr(value);
  if (isParseError(n)) return undefined;
  const tag = n.params['tag'];
  return typeof tag === 'string' ? tag : undefined;
}

/** The tag parameter of From. */
export function fromTag(msg: SipMessage): string | undefined {
  return tagOf(getHeader(msg, 'From'));
}

/** The tag parameter of To. */
export function toTag(msg: SipMessage): string | undefined {
  return tagOf(getHeader(msg, 'To'));
}
