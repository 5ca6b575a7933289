import { describe, expect, it } from 'vitest';
import { cseq, fromTag, getHeader, getHeaderValues, serializeMessage, toTag } from '../message/index.js';
import { uacDialog, uasDialog } from './dialog-fixtures.js';
import { buildAck, buildInDialogRequest, nextInDialogRequest, routeRequest } from './in-dialog-request.js';
import type { Dialog } from './types.js';

describe('buildInDialogRequest (RFC 3261 12.2.1.1)', () => {
  it('UAC: Request-URI is the remote target, Route is the reversed Record-Route (loose routing)', () => {
    const bye = buildInDialogRequest(uacDialog(), 'BYE');
    expect(bye.method).toBe('BYE');
    expect(bye.uri).toBe('sip:bob@192.0.2.4');
    expect(getHeaderValues(bye, 'Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(getHeader(bye, 'Max-Forwards')).toBe('70');
    expect(getHeader(bye, 'Via')).toBeUndefined();
    expect(fromTag(bye)).toBe('1928301774');
    expect(toTag(bye)).toBe('bobtag');
    expect(getHeader(bye, 'From')).toBe('"Alice" <sip:alice@atlanta.example.com>;tag=1928301774');
    expect(getHeader(bye, 'Call-ID')).toBe('a84b4c76e66710@pc33.atlanta.example.com');
  });

  it('UAS: Route keeps the Record-Route order; From/To swap', () => {
    const bye = buildInDialogRequest(uasDialog(), 'BYE');
    expect(bye.uri).toBe('sip:alice@pc33.atlanta.example.com');
    expect(getHeaderValues(bye, 'Route')).toEqual(['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
    expect(fromTag(bye)).toBe('bobtag');
    expect(toTag(bye)).toBe('1928301774');
  });

  it('no route set: no Route header', () => {
    const d: Dialog = { ...uacDialog(), routeSet: [] };
    const r = buildInDialogRequest(d, 'INFO');
    expect(r.uri).toBe('sip:bob@192.0.2.4');
    expect(getHeader(r, 'Route')).toBeUndefined();
  });

  it('strict routing: first route becomes the Request-URI (method param stripped), remote target goes last', () => {
    const d: Dialog = {
      ...uacDialog(),
      routeSet: ['<sip:strict.example.com;method=INVITE;transport=udp>', '<sip:p2.example.com;lr>'],
    };
    expect(routeRequest(d)).toEqual({
      uri: 'sip:strict.example.com;transport=udp',
      routes: ['<sip:p2.example.com;lr>', '<sip:bob@192.0.2.4>'],
    });
    const r = buildInDialogRequest(d, 'BYE');
    expect(r.uri).toBe('sip:strict.example.com;transport=udp');
    expect(getHeaderValues(r, 'Route')).toEqual(['<sip:p2.example.com;lr>', '<sip:bob@192.0.2.4>']);
  });

  it('CSeq: one above the local sequence; UAS starts at 1; ACK and CANCEL do not increment', () => {
    expect(cseq(buildInDialogRequest(uacDialog(), 'BYE'))).toEqual({ seq: 314160, method: 'BYE' });
    expect(cseq(buildInDialogRequest(uasDialog(), 'bye'))).toEqual({ seq: 1, method: 'BYE' });
    expect(cseq(buildInDialogRequest(uacDialog(), 'ACK'))).toEqual({ seq: 314159, method: 'ACK' });
    expect(cseq(buildInDialogRequest(uacDialog(), 'CANCEL'))).toEqual({ seq: 314159, method: 'CANCEL' });
  });

  it('nextInDialogRequest records the send so numbers keep rising', () => {
    const first = nextInDialogRequest(uasDialog(), 'INFO');
    const second = nextInDialogRequest(first.dialog, 'INFO');
    expect(cseq(first.request)?.seq).toBe(1);
    expect(cseq(second.request)?.seq).toBe(2);
    expect(second.dialog.localSeq).toBe(2);
  });

  it('target refresh requests carry our Contact; others do not; body gets its Content-Type', () => {
    const reinvite = buildInDialogRequest(uacDialog(), 'INVITE', { body: 'v=0\r\n', contentType: 'application/sdp' });
    expect(getHeader(reinvite, 'Contact')).toBe('<sip:alice@pc33.atlanta.example.com>');
    expect(getHeader(reinvite, 'Content-Type')).toBe('application/sdp');
    expect(reinvite.body.toString()).toBe('v=0\r\n');
    expect(getHeader(buildInDialogRequest(uacDialog(), 'BYE'), 'Contact')).toBeUndefined();
    const custom = buildInDialogRequest(uacDialog(), 'UPDATE', { headers: [{ name: 'Contact', value: '<sip:x@y>' }] });
    expect(getHeaderValues(custom, 'Contact')).toEqual(['<sip:x@y>']);
  });

  it('serializes to a well-formed request', () => {
    const text = serializeMessage(buildInDialogRequest(uacDialog(), 'BYE')).toString();
    expect(text.startsWith('BYE sip:bob@192.0.2.4 SIP/2.0\r\nRoute: <sip:p1.example.com;lr>\r\n')).toBe(true);
    expect(text.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
  });
});

describe('buildAck', () => {
  it('ACK for a 2xx: INVITE CSeq number, method ACK, route set and remote target', () => {
    const ack = buildAck(uacDialog(), 314159);
    expect(ack.method).toBe('ACK');
    expect(ack.uri).toBe('sip:bob@192.0.2.4');
    expect(cseq(ack)).toEqual({ seq: 314159, method: 'ACK' });
    expect(getHeaderValues(ack, 'Route')).toHaveLength(2);
    expect(getHeader(ack, 'Contact')).toBeUndefined();
  });

  it('ACK can carry the answer when the 2xx carried the offer', () => {
    const ack = buildAck(uacDialog(), 7, { body: 'v=0\r\n', contentType: 'application/sdp' });
    expect(getHeader(ack, 'Content-Type')).toBe('application/sdp');
    expect(cseq(ack)?.seq).toBe(7);
  });
});
