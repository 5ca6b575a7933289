import { describe, expect, it } from 'vitest';
import { createResponse, getHeader, getHeaderValues } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';
import { dialogFromUacResponse, dialogFromUasResponse, createsDialog } from './dialog-creation.js';
import { isDialogError } from './types.js';
import type { Dialog } from './types.js';
import { fixtureResponse, INVITE_LINES as INVITE, parseFixture } from './dialog-fixtures.js';

const parse = parseFixture;
const response = (status: number, tag: string, contact: string): SipResponse => fixtureResponse(status, tag, contact);

function ok(d: Dialog | { type: 'dialog-error'; reason: string }): Dialog {
  if (isDialogError(d)) throw new Error(d.reason);
  return d;
}

describe('dialogFromUasResponse (RFC 3261 12.1.1)', () => {
  const req = parse(INVITE) as SipRequest;

  it('creates an early dialog from a 180 with a To tag, route set in Record-Route order', () => {
    const d = ok(dialogFromUasResponse(req, response(180, 'a6c85cf', 'sip:bob@192.0.2.4')));
    expect(d.state).toBe('early');
    expect(d.role).toBe('uas');
    expect(d.id).toEqual({ callId: 'a84b4c76e66710@pc33.atlanta.example.com', localTag: 'a6c85cf', remoteTag: '1928301774' });
    expect(d.routeSet).toEqual(['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>']);
    expect(d.remoteTarget).toBe('sip:alice@pc33.atlanta.example.com');
    expect(d.localTarget).toBe('sip:bob@192.0.2.4');
    expect(d.remoteSeq).toBe(314159);
    expect(d.localSeq).toBeNull();
    expect(d.localUri).toBe('sip:bob@biloxi.example.com');
    expect(d.remoteUri).toBe('sip:alice@atlanta.example.com');
    expect(d.remoteAddress.displayName).toBe('Alice');
    expect(d.remoteAddress.params['tag']).toBeUndefined();
    expect(d.secure).toBe(false);
    expect(d.pendingRemoteInvite).toBe(314159);
  });

  it('creates a confirmed dialog from a 2xx', () => {
    const d = ok(dialogFromUasResponse(req, response(200, 'a6c85cf', 'sip:bob@192.0.2.4')));
    expect(d.state).toBe('confirmed');
    expect(d.pendingRemoteInvite).toBeNull();
  });

  it('refuses 100, final failures and responses without a To tag', () => {
    expect(isDialogError(dialogFromUasResponse(req, createResponse(req, 100)))).toBe(true);
    expect(isDialogError(dialogFromUasResponse(req, response(486, 'x', 'sip:b@h')))).toBe(true);
    expect(isDialogError(dialogFromUasResponse(req, createResponse(req, 180)))).toBe(true);
  });

  it('sets the secure flag for a SIPS Request-URI', () => {
    const sips = parse(INVITE.map((l) => l.replace('INVITE sip:bob', 'INVITE sips:bob'))) as SipRequest;
    const d = ok(dialogFromUasResponse(sips, createResponse(sips, 200, undefined, { toTag: 't' })));
    expect(d.secure).toBe(true);
  });
});

describe('dialogFromUacResponse (RFC 3261 12.1.2)', () => {
  const req = parse(INVITE) as SipRequest;

  it('reverses the Record-Route of the response into the route set', () => {
    const d = ok(dialogFromUacResponse(req, response(200, 'a6c85cf', 'sip:bob@192.0.2.4')));
    expect(d.state).toBe('confirmed');
    expect(d.role).toBe('uac');
    expect(d.routeSet).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(d.id).toEqual({ callId: 'a84b4c76e66710@pc33.atlanta.example.com', localTag: '1928301774', remoteTag: 'a6c85cf' });
    expect(d.remoteTarget).toBe('sip:bob@192.0.2.4');
    expect(d.localTarget).toBe('sip:alice@pc33.atlanta.example.com');
    expect(d.localSeq).toBe(314159);
    expect(d.remoteSeq).toBeNull();
  });

  it('forking: two 180s with different To tags make two early dialogs', () => {
    const a = ok(dialogFromUacResponse(req, response(180, 'fork-a', 'sip:bob@192.0.2.4')));
    const b = ok(dialogFromUacResponse(req, response(183, 'fork-b', 'sip:bob@192.0.2.5')));
    expect(a.state).toBe('early');
    expect(b.state).toBe('early');
    expect(a.id.remoteTag).toBe('fork-a');
    expect(b.id.remoteTag).toBe('fork-b');
    expect(a.id.localTag).toBe(b.id.localTag);
    expect(a.remoteTarget).not.toBe(b.remoteTarget);
    expect(a.pendingLocalInvite).toBe(314159);
  });

  it('falls back to the Request-URI when a 1xx has no Contact', () => {
    const r = createResponse(req, 180, undefined, { toTag: 'x' });
    expect(ok(dialogFromUacResponse(req, r)).remoteTarget).toBe('sip:bob@biloxi.example.com');
  });

  it('refuses a 100 and a 180 without tag', () => {
    expect(isDialogError(dialogFromUacResponse(req, createResponse(req, 100)))).toBe(true);
    expect(isDialogError(dialogFromUacResponse(req, createResponse(req, 180)))).toBe(true);
    expect(createsDialog(createResponse(req, 180))).toBe(false);
    expect(createsDialog(response(180, 't', 'sip:b@h'))).toBe(true);
  });

  it('the fixture itself has the expected shape', () => {
    expect(getHeaderValues(req, 'Record-Route')).toHaveLength(2);
    expect(getHeader(req, 'Call-ID')).toContain('a84b4c76');
  });
});
