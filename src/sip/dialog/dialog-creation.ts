/**
 * Creating dialogs from the INVITE and the response that establishes them (RFC 3261 12.1).
 * A 101-199 with a To tag creates an early dialog, a 2xx a confirmed one. On the UAC side
 * each distinct To tag (forking, RFC 3261 12.1.2 and 13.2.2.4) yields its own dialog.
 */
import { callId, cseq, formatUri, getHeader } from '../message/index.js';
import type { CSeq, SipRequest, SipResponse } from '../message/index.js';
import { contactUri, isSipsUri, readTaggedAddress, recordRoutes, type TaggedAddress } from './dialog-message-fields.js';
import { dialogError, isDialogError } from './types.js';
import type { Dialog, DialogError, DialogState } from './types.js';

function stateFor(status: number): DialogState | undefined {
  if (status > 100 && status < 200) return 'early';
  if (status >= 200 && status < 300) return 'confirmed';
  return undefined;
}

interface DialogFields {
  state: DialogState;
  id: string;
  seq: CSeq;
  from: TaggedAddress & { tag: string };
  to: TaggedAddress & { tag: string };
}

/** What both sides read to create a dialog: state from the status, Call-ID, CSeq, tagged From and To. */
function readDialogFields(request: SipRequest, response: SipResponse, checkResponseCallId: boolean): DialogFields | DialogError {
  const state = stateFor(response.status);
  if (state === undefined) return dialogError(`status ${response.status} does not create a dialog`);
  const id = callId(request);
  const seq = cseq(request);
  const from = readTaggedAddress(request, 'From');
  const to = readTaggedAddress(response, 'To');
  if (id === undefined || seq === undefined) return dialogError('request lacks Call-ID or CSeq');
  if (checkResponseCallId && callId(response) !== id) return dialogError('response Call-ID does not match the request');
  if (from === undefined || from.tag === undefined) return dialogError('request From has no tag');
  if (to === undefined || to.tag === undefined) return dialogError('response To has no tag');
  return { state, id, seq, from: { ...from, tag: from.tag }, to: { ...to, tag: to.tag } };
}

/**
 * UAS side (RFC 3261 12.1.1): we are sending `response` (1xx with a To tag, or 2xx) to `request`.
 * Route set = Record-Route of the request in order; remote target = the request's Contact.
 */
export function dialogFromUasResponse(request: SipRequest, response: SipResponse): Dialog | DialogError {
  const fields = readDialogFields(request, response, false);
  if (isDialogError(fields)) return fields;
  const { state, id, seq, from, to } = fields;
  const ourContact = contactUri(response);
  return {
    id: { callId: id, localTag: to.tag, remoteTag: from.tag },
    role: 'uas',
    state,
    localAddress: to.address,
    remoteAddress: from.address,
    localUri: formatUri(to.address.uri),
    remoteUri: formatUri(from.address.uri),
    // RFC 3261 12.1.1: the local sequence number is empty until we send a request.
    localSeq: null,
    remoteSeq: seq.seq,
    // A peer omitting the mandatory Contact is still reachable at its From URI.
    remoteTarget: contactUri(request) ?? formatUri(from.address.uri),
    ...(ourContact !== undefined ? { localTarget: ourContact } : {}),
    routeSet: recordRoutes(request),
    secure: isSipsUri(request.uri),
    inviteSeq: seq.seq,
    pendingLocalInvite: null,
    pendingRemoteInvite: state === 'early' && request.method === 'INVITE' ? seq.seq : null,
    pendingLocalUpdate: null,
    pendingRemoteUpdate: null,
    remoteRSeq: null,
  };
}

/**
 * UAC side (RFC 3261 12.1.2): `response` (101-199 with a To tag, or 2xx) arrived for our
 * `request`. Route set = Record-Route of the response reversed; remote target = its Contact.
 */
export function dialogFromUacResponse(request: SipRequest, response: SipResponse): Dialog | DialogError {
  const fields = readDialogFields(request, response, true);
  if (isDialogError(fields)) return fields;
  const { state, id, seq, from, to } = fields;
  const ourContact = contactUri(request);
  return {
    id: { callId: id, localTag: from.tag, remoteTag: to.tag },
    role: 'uac',
    state,
    localAddress: from.address,
    remoteAddress: to.address,
    localUri: formatUri(from.address.uri),
    remoteUri: formatUri(to.address.uri),
    localSeq: seq.seq,
    // RFC 3261 12.1.2: the remote sequence number is empty until the peer sends a request.
    remoteSeq: null,
    // A 1xx may omit Contact; the Request-URI is where the INVITE went until we learn better.
    remoteTarget: contactUri(response) ?? request.uri,
    ...(ourContact !== undefined ? { localTarget: ourContact } : {}),
    routeSet: recordRoutes(response).reverse(),
    secure: isSipsUri(request.uri),
    inviteSeq: seq.seq,
    pendingLocalInvite: state === 'early' && request.method === 'INVITE' ? seq.seq : null,
    pendingRemoteInvite: null,
    pendingLocalUpdate: null,
    pendingRemoteUpdate: null,
    remoteRSeq: null,
  };
}

/** True when the response can create a dialog (101-299 with a To tag). */
export function createsDialog(response: SipResponse): boolean {
  if (response.status <= 100 || response.status >= 300) return false;
  const to = getHeader(response, 'To');
  return to !== undefined && readTaggedAddress(response, 'To')?.tag !== undefined;
}
