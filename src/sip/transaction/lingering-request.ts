/**
 * What a transaction keeps of its request once only retransmissions can reach it: the start
 * line and the headers that identify it and its dialog (the top Via only), body dropped. At
 * hundreds of calls and thousands of registrations a second, transactions lingering for 64*T1
 * with whole parsed requests were most of the live heap, and what made collections costly.
 */
import { EMPTY_BODY } from '../message/index.js';
import type { HeaderField, SipRequest } from '../message/types.js';

const IDENTIFYING = new Set(['Via', 'From', 'To', 'Call-ID', 'CSeq']);

/** The slim copy. Its values still point into the message text (~0.5 KB); the rest goes. */
export function lingeringRequest(req: SipRequest): SipRequest {
  const headers: HeaderField[] = [];
  let via = false;
  for (const h of req.headers) {
    if (!IDENTIFYING.has(h.name)) continue;
    if (h.name === 'Via') {
      if (via) continue;
      via = true;
    }
    headers.push({ name: h.name, value: h.value });
  }
  return { type: 'request', method: req.method, uri: req.uri, version: req.version, headers, body: EMPTY_BODY };
}
