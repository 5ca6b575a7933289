/**
 * Transaction matching keys.
 * Responses (RFC 3261 17.1.3): top Via branch + CSeq method.
 * Requests (RFC 3261 17.2.3): branch (with the z9hG4bK cookie) + top Via sent-by + method,
 * ACK counting as INVITE. Without the cookie (RFC 2543 peers) a simplified key from
 * Request-URI, Call-ID, CSeq number, From tag and top Via sent-by stands in.
 */
import { callId, cseq, fromTag, topVia } from '../message/index.js';
import type { SipRequest, SipResponse, Via } from '../message/types.js';
import type { RandomSource } from '../../core/random.js';
import { BRANCH_MAGIC_COOKIE } from './types.js';

/** Key of a client transaction we created. */
export function clientKey(branch: string, method: string): string {
  return `${branch}|${method}`;
}

/** The client transaction a response belongs to, or undefined when it lacks Via branch or CSeq. */
export function responseKey(res: SipResponse): string | undefined {
  const branch = topVia(res)?.params['branch'];
  const c = cseq(res);
  if (typeof branch !== 'string' || branch === '' || c === undefined) return undefined;
  return clientKey(branch, c.method);
}

function sentBy(via: Via): string {
  return `${via.host.toLowerCase()}:${via.port ?? ''}`;
}

/**
 * The server transaction key of a request; `method` overrides the request's method (a
 * CANCEL looks up the INVITE it cancels). ACK maps to INVITE. Undefined when Via or CSeq is missing.
 */
export function requestKey(req: SipRequest, method: string = req.method): string | undefined {
  const via = topVia(req);
  const c = cseq(req);
  if (via === undefined || c === undefined) return undefined;
  const m = method === 'ACK' ? 'INVITE' : method;
  const branch = via.params['branch'];
  if (typeof branch === 'string' && branch.startsWith(BRANCH_MAGIC_COOKIE)) {
    return `${branch}|${sentBy(via)}|${m}`;
  }
  // RFC 2543 fallback (17.2.3, simplified: no To tag, which differs between INVITE and ACK).
  return `2543|${req.uri}|${callId(req) ?? ''}|${c.seq}|${fromTag(req) ?? ''}|${sentBy(via)}|${m}`;
}

/** A new RFC 3261 branch: the magic cookie and at least 96 bits of randomness. */
export function newBranch(random: RandomSource): string {
  return `${BRANCH_MAGIC_COOKIE}${random.token(12)}`;
}
