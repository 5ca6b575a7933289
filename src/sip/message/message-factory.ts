/** Building requests and responses (RFC 3261 8.1.1, 8.2.6). */
import { canonicalHeaderName } from './header-names.js';
import { toTag } from './message-accessors.js';
import { EMPTY_BODY } from './message-body.js';
import { defaultReason } from './reason-phrases.js';
import type { HeaderField, SipRequest, SipResponse } from './types.js';


/** A request with the given start line, headers (copied, names canonical) and body. */
export function createRequest(init: {
  method: string;
  uri: string;
  headers?: HeaderField[];
  body?: Buffer;
}): SipRequest {
  return {
    type: 'request',
    method: init.method,
    uri: init.uri,
    version: 'SIP/2.0',
    headers: (init.headers ?? []).map((h) => ({ name: canonicalHeaderName(h.name), value: h.value })),
    body: init.body ?? EMPTY_BODY,
  };
}

const COPIED = new Set(['Via', 'From', 'To', 'Call-ID', 'CSeq']);

/**
 * A response to `req` (RFC 3261 8.2.6.2): every Via in order, From, To, Call-ID and CSeq
 * copied; `toTag` added to To when To has none (never on 100 Trying); then `opts.headers`.
 */
export function createResponse(
  req: SipRequest,
  status: number,
  reason?: string,
  opts: { toTag?: string; headers?: HeaderField[]; body?: Buffer } = {},
): SipResponse {
  const addTag = opts.toTag !== undefined && status !== 100 && toTag(req) === undefined;
  const headers: HeaderField[] = [];
  for (const h of req.headers) {
    // canonicalHeaderName spells known names one way, so no lower-casing is needed to match.
    const name = canonicalHeaderName(h.name);
    if (!COPIED.has(name)) continue;
    if (name === 'To' && addTag) headers.push({ name, value: `${h.value};tag=${opts.toTag}` });
    else headers.push({ name, value: h.value });
  }
  for (const h of opts.headers ?? []) headers.push({ name: canonicalHeaderName(h.name), value: h.value });
  return {
    type: 'response',
    version: 'SIP/2.0',
    status,
    reason: reason ?? defaultReason(status),
    headers,
    body: opts.body ?? EMPTY_BODY,
  };
}
