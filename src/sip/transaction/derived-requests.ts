/**
 * Requests a client transaction derives from its INVITE: the ACK for a non-2xx final
 * response (RFC 3261 17.1.1.3) and the CANCEL (RFC 3261 9.1). Both carry the INVITE's top
 * Via (same branch), Request-URI, Call-ID, From, CSeq number and Route set.
 */
import { createRequest, cseq, getHeader, getHeaderValues } from '../message/index.js';
import type { HeaderField, SipRequest, SipResponse } from '../message/types.js';

function derived(invite: SipRequest, method: 'ACK' | 'CANCEL', to: string | undefined): SipRequest {
  const headers: HeaderField[] = [];
  const via = getHeaderValues(invite, 'Via')[0];
  if (via !== undefined) headers.push({ name: 'Via', value: via });
  for (const route of getHeaderValues(invite, 'Route')) headers.push({ name: 'Route', value: route });
  headers.push({ name: 'Max-Forwards', value: '70' });
  const from = getHeader(invite, 'From');
  if (from !== undefined) headers.push({ name: 'From', value: from });
  if (to !== undefined) headers.push({ name: 'To', value: to });
  const id = getHeader(invite, 'Call-ID');
  if (id !== undefined) headers.push({ name: 'Call-ID', value: id });
  headers.push({ name: 'CSeq', value: `${cseq(invite)?.seq ?? 1} ${method}` });
  return createRequest({ method, uri: invite.uri, headers });
}

/** 17.1.1.3: the ACK for a 300-699, with To taken from the response (it carries the tag). */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  return derived(invite, 'ACK', getHeader(response, 'To') ?? getHeader(invite, 'To'));
}

/** 9.1: the CANCEL for a pending INVITE, To exactly as in the INVITE. */
export function buildCancel(invite: SipRequest): SipRequest {
  return derived(invite, 'CANCEL', getHeader(invite, 'To'));
}
