/**
 * Test fixtures for the dialog unit tests (imported only by *.test.ts): a byte-exact INVITE
 * that crossed two record-routing proxies, and dialogs built from it on either side.
 */
import { createResponse, isParseError, parseMessage } from '../message/index.js';
import type { HeaderField, SipMessage, SipRequest, SipResponse } from '../message/index.js';
import { dialogFromUacResponse, dialogFromUasResponse } from './dialog-creation.js';
import { isDialogError } from './types.js';
import type { Dialog } from './types.js';

export const INVITE_LINES = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP p2.example.com;branch=z9hG4bKp2',
  'Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bKp1',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds',
  'Max-Forwards: 68',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@pc33.atlanta.example.com>',
  'Record-Route: <sip:p2.example.com;lr>',
  'Record-Route: <sip:p1.example.com;lr>',
];

/** Parses CRLF-joined lines (plus an optional body); throws on a parse error since fixtures must parse. */
export function parseFixture(lines: string[], body = ''): SipMessage {
  const text = lines.join('\r\n') + `\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` + body;
  const m = parseMessage(Buffer.from(text));
  if (isParseError(m)) throw new Error(m.reason);
  return m;
}

export function fixtureInvite(): SipRequest {
  return parseFixture(INVITE_LINES) as SipRequest;
}

/** A response to the fixture INVITE with a To tag, Contact and both Record-Routes. */
export function fixtureResponse(status: number, tag: string, contact: string, headers: HeaderField[] = []): SipResponse {
  return createResponse(fixtureInvite(), status, undefined, {
    toTag: tag,
    headers: [
      { name: 'Contact', value: `<${contact}>` },
      { name: 'Record-Route', value: '<sip:p2.example.com;lr>, <sip:p1.example.com;lr>' },
      ...headers,
    ],
  });
}

/** Our dialog as Alice (UAC) after Bob's response. */
export function uacDialog(status = 200, tag = 'bobtag'): Dialog {
  const d = dialogFromUacResponse(fixtureInvite(), fixtureResponse(status, tag, 'sip:bob@192.0.2.4'));
  if (isDialogError(d)) throw new Error(d.reason);
  return d;
}

/** Our dialog as Bob (UAS) after sending a response. */
export function uasDialog(status = 200, tag = 'bobtag'): Dialog {
  const d = dialogFromUasResponse(fixtureInvite(), fixtureResponse(status, tag, 'sip:bob@192.0.2.4'));
  if (isDialogError(d)) throw new Error(d.reason);
  return d;
}

/** An in-dialog request from Alice to Bob (arriving at Bob, the UAS). */
export function requestFromAlice(method: string, seq: number, extra: string[] = [], body = ''): SipRequest {
  return parseFixture(
    [
      `${method} sip:bob@192.0.2.4 SIP/2.0`,
      'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK' + method + seq,
      'Max-Forwards: 70',
      'To: Bob <sip:bob@biloxi.example.com>;tag=bobtag',
      'From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
      `CSeq: ${seq} ${method}`,
      ...extra,
    ],
    body,
  ) as SipRequest;
}
