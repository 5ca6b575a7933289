/**
 * Building requests inside a dialog (RFC 3261 12.2.1.1): Request-URI and Route from the
 * remote target and the route set (loose or strict routing), From/To with the dialog tags,
 * CSeq one above the last, Max-Forwards 70. No Via: the transaction layer's caller adds it.
 */
import { createRequest, EMPTY_BODY, formatNameAddr, formatUri, isParseError, ownedBody, parseNameAddr } from '../message/index.js';
import type { HeaderField, NameAddr, SipRequest } from '../message/index.js';
import { TARGET_REFRESH_METHODS, transition } from './dialog-state.js';
import type { Dialog } from './types.js';

export interface InDialogRequestOptions {
  body?: Buffer | string;
  /** Content-Type of the body (e.g. application/sdp); required when `body` is not empty. */
  contentType?: string;
  /** Extra header fields, written after the dialog's own headers. */
  headers?: HeaderField[];
}

/** Request-URI and Route values for a dialog's route set (RFC 3261 12.2.1.1). */
export function routeRequest(dialog: Dialog): { uri: string; routes: string[] } {
  const [first, ...rest] = dialog.routeSet;
  if (first === undefined) return { uri: dialog.remoteTarget, routes: [] };
  const parsed = parseNameAddr(first);
  // An unparsable or non-SIP first route is passed along unchanged: loose routing is the safe guess.
  if (isParseError(parsed) || !('host' in parsed.uri) || 'lr' in parsed.uri.params) {
    return { uri: dialog.remoteTarget, routes: [...dialog.routeSet] };
  }
  // Strict routing (RFC 2543 proxy): the first route becomes the Request-URI, stripped of
  // parameters not allowed there (method, headers; RFC 3261 19.1.1), and the remote target
  // goes last in Route.
  const params = { ...parsed.uri.params };
  delete params['method'];
  const uri = formatUri({ ...parsed.uri, params, headers: {} });
  return { uri, routes: [...rest, `<${dialog.remoteTarget}>`] };
}

function withTag(address: NameAddr, tag: string): string {
  return formatNameAddr({ ...address, params: { ...address.params, tag } });
}

function build(dialog: Dialog, method: string, seq: number, opts: InDialogRequestOptions): SipRequest {
  const { uri, routes } = routeRequest(dialog);
  const headers: HeaderField[] = routes.map((value) => ({ name: 'Route', value }));
  headers.push(
    { name: 'Max-Forwards', value: '70' },
    { name: 'From', value: withTag(dialog.localAddress, dialog.id.localTag) },
    { name: 'To', value: withTag(dialog.remoteAddress, dialog.id.remoteTag) },
    { name: 'Call-ID', value: dialog.id.callId },
    { name: 'CSeq', value: `${seq} ${method}` },
  );
  const extra = opts.headers ?? [];
  const hasContact = extra.some((h) => h.name.toLowerCase() === 'contact' || h.name.toLowerCase() === 'm');
  // RFC 3261 12.2.1.1 / RFC 3311 5.1: target refresh requests carry our Contact.
  if (TARGET_REFRESH_METHODS.has(method) && dialog.localTarget !== undefined && !hasContact) {
    headers.push({ name: 'Contact', value: `<${dialog.localTarget}>` });
  }
  headers.push(...extra);
  const body = typeof opts.body === 'string' ? ownedBody(opts.body) : (opts.body ?? EMPTY_BODY);
  if (body.length > 0 && opts.contentType !== undefined) headers.push({ name: 'Content-Type', value: opts.contentType });
  return createRequest({ method, uri, headers, body });
}

/**
 * A request within the dialog. CSeq is the local sequence number plus one (1 when we have
 * not sent any yet), except ACK and CANCEL which reuse it. Pure: record the send with
 * `transition(dialog, { type: 'request-sent', ... })`, or use `nextInDialogRequest`.
 */
export function buildInDialogRequest(dialog: Dialog, method: string, opts: InDialogRequestOptions = {}): SipRequest {
  const m = method.toUpperCase();
  return build(dialog, m, nextSeq(dialog, m), opts);
}

function nextSeq(dialog: Dialog, method: string): number {
  const last = dialog.localSeq ?? 0;
  return method === 'ACK' || method === 'CANCEL' ? Math.max(last, 1) : last + 1;
}

/** The ACK for a 2xx to the INVITE numbered `inviteSeq` (RFC 3261 13.2.2.4): same CSeq number, method ACK. */
export function buildAck(dialog: Dialog, inviteSeq: number, opts: InDialogRequestOptions = {}): SipRequest {
  return build(dialog, 'ACK', inviteSeq, opts);
}

/** Builds the request and returns the dialog with the send recorded (CSeq, pending re-INVITE/UPDATE, BYE). */
export function nextInDialogRequest(
  dialog: Dialog,
  method: string,
  opts: InDialogRequestOptions = {},
): { dialog: Dialog; request: SipRequest } {
  const m = method.toUpperCase();
  const seq = nextSeq(dialog, m);
  const request = build(dialog, m, seq, opts);
  const next = transition(dialog, { type: 'request-sent', method: m, seq, hasBody: request.body.length > 0 });
  return { dialog: next.dialog, request };
}
