import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/index.js';
import { createResponse } from '../message/index.js';
import type { SipRequest } from '../message/index.js';
import { dialogFromUacResponse } from './dialog-creation.js';
import { fixtureInvite, fixtureResponse, parseFixture, requestFromAlice, uacDialog, uasDialog } from './dialog-fixtures.js';
import { nextInDialogRequest } from './in-dialog-request.js';
import { processInDialogRequest, processInDialogResponse, processOutgoingResponse } from './in-dialog-processing.js';
import { isDialogError } from './types.js';
import type { Dialog } from './types.js';

const random = seededRandom(7);

function accepted(d: Dialog, r: SipRequest): Dialog {
  const res = processInDialogRequest(d, r, { random });
  if (!res.accept) throw new Error(`rejected ${res.status}`);
  return res.dialog;
}

describe('processInDialogRequest (RFC 3261 12.2.2)', () => {
  it('records the remote CSeq and answers 500 to a lower one', () => {
    const d = accepted(uasDialog(), requestFromAlice('INFO', 314200));
    expect(d.remoteSeq).toBe(314200);
    const res = processInDialogRequest(d, requestFromAlice('INFO', 314199), { random });
    expect(res).toMatchObject({ accept: false, status: 500 });
  });

  it('UAC side: the first request from the peer fills the empty remote sequence', () => {
    const d = uacDialog();
    expect(d.remoteSeq).toBeNull();
    const fromBob = parseFixture([
      'INFO sip:alice@pc33.atlanta.example.com SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKbob1',
      'From: Bob <sip:bob@biloxi.example.com>;tag=bobtag',
      'To: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774',
      'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
      'CSeq: 5 INFO',
    ]) as SipRequest;
    expect(accepted(d, fromBob).remoteSeq).toBe(5);
  });

  it('ACK with the INVITE number is accepted without moving the sequence', () => {
    const d = accepted(uasDialog(), requestFromAlice('INFO', 314300));
    const after = accepted(d, requestFromAlice('ACK', 314159));
    expect(after.remoteSeq).toBe(314300);
  });

  it('481 for another dialog (wrong tag) or a terminated dialog', () => {
    const other = { ...uasDialog(), id: { ...uasDialog().id, localTag: 'other' } };
    expect(processInDialogRequest(other, requestFromAlice('BYE', 314160))).toMatchObject({ accept: false, status: 481 });
    const ended = accepted(uasDialog(), requestFromAlice('BYE', 314160));
    expect(ended.state).toBe('terminated');
    expect(processInDialogRequest(ended, requestFromAlice('INFO', 314161))).toMatchObject({ accept: false, status: 481 });
  });

  it('target refresh: re-INVITE and UPDATE with Contact replace the remote target; INFO does not', () => {
    const r1 = processInDialogRequest(uasDialog(), requestFromAlice('INVITE', 314160, ['Contact: <sip:alice@198.51.100.7:5070>']));
    if (!r1.accept) throw new Error('rejected');
    expect(r1.dialog.remoteTarget).toBe('sip:alice@198.51.100.7:5070');
    expect(r1.effects).toEqual([{ type: 'remote-target-changed', remoteTarget: 'sip:alice@198.51.100.7:5070' }]);
    const d2 = accepted(uasDialog(), requestFromAlice('UPDATE', 314160, ['Contact: <sip:alice@198.51.100.8>']));
    expect(d2.remoteTarget).toBe('sip:alice@198.51.100.8');
    const d3 = accepted(uasDialog(), requestFromAlice('INFO', 314160, ['Contact: <sip:alice@198.51.100.9>']));
    expect(d3.remoteTarget).toBe('sip:alice@pc33.atlanta.example.com');
  });

  it('BYE terminates an early or confirmed dialog', () => {
    const res = processInDialogRequest(uasDialog(), requestFromAlice('BYE', 314160));
    expect(res).toMatchObject({ accept: true, effects: [{ type: 'terminated', reason: 'bye-received' }] });
  });

  it('491 to a re-INVITE while our re-INVITE is pending (RFC 3261 14.2 glare)', () => {
    const ours = nextInDialogRequest(uasDialog(), 'INVITE', { body: 'v=0\r\n', contentType: 'application/sdp' });
    expect(ours.dialog.pendingLocalInvite).toBe(1);
    const res = processInDialogRequest(ours.dialog, requestFromAlice('INVITE', 314160, [], 'v=0\r\n'));
    expect(res).toMatchObject({ accept: false, status: 491 });
    // After the final response to ours, a re-INVITE is accepted again.
    const reply = processInDialogResponse(ours.dialog, createResponse(ours.request, 200)).dialog;
    expect(reply.pendingLocalInvite).toBeNull();
    expect(processInDialogRequest(reply, requestFromAlice('INVITE', 314160)).accept).toBe(true);
  });

  it('500 with Retry-After 0..10 to a second INVITE while the first is unanswered (RFC 3261 14.2)', () => {
    const d = accepted(uasDialog(), requestFromAlice('INVITE', 314160));
    expect(d.pendingRemoteInvite).toBe(314160);
    const res = processInDialogRequest(d, requestFromAlice('INVITE', 314161), { random });
    if (res.accept) throw new Error('accepted');
    expect(res.status).toBe(500);
    const ra = Number(res.headers.find((h) => h.name === 'Retry-After')?.value);
    expect(ra).toBeGreaterThanOrEqual(0);
    expect(ra).toBeLessThanOrEqual(10);
    // Our final answer to the first clears it.
    const answered = processOutgoingResponse(d, createResponse(requestFromAlice('INVITE', 314160), 200, undefined, { toTag: 'bobtag' }));
    expect(answered.dialog.pendingRemoteInvite).toBeNull();
  });

  it('UPDATE glare (RFC 3311 5.2): 491 against our pending offer, 500 against an unanswered one of theirs', () => {
    const ours = nextInDialogRequest(uasDialog(), 'UPDATE', { body: 'v=0\r\n', contentType: 'application/sdp' });
    expect(processInDialogRequest(ours.dialog, requestFromAlice('UPDATE', 314160, [], 'v=0\r\n'))).toMatchObject({ status: 491 });
    // An UPDATE without an offer is no glare.
    expect(processInDialogRequest(ours.dialog, requestFromAlice('UPDATE', 314160)).accept).toBe(true);
    const theirs = accepted(uasDialog(), requestFromAlice('UPDATE', 314160, [], 'v=0\r\n'));
    expect(processInDialogRequest(theirs, requestFromAlice('UPDATE', 314161, [], 'v=0\r\n'), { random })).toMatchObject({ status: 500 });
  });
});

describe('processInDialogResponse (RFC 3261 12.2.1.2, 13.2.2.4)', () => {
  it('2xx to the initial INVITE confirms an early UAC dialog and recomputes the route set', () => {
    const early = uacDialog(180);
    const ok = fixtureResponse(200, 'bobtag', 'sip:bob@192.0.2.99');
    ok.headers = ok.headers.filter((h) => h.name !== 'Record-Route');
    ok.headers.push({ name: 'Record-Route', value: '<sip:only.example.com;lr>' });
    const t = processInDialogResponse(early, ok);
    expect(t.dialog.state).toBe('confirmed');
    expect(t.dialog.routeSet).toEqual(['<sip:only.example.com;lr>']);
    expect(t.dialog.remoteTarget).toBe('sip:bob@192.0.2.99');
    expect(t.dialog.pendingLocalInvite).toBeNull();
    expect(t.effects.map((e) => e.type)).toEqual(['confirmed', 'remote-target-changed']);
  });

  it('a non-2xx final to the initial INVITE ends the early dialog', () => {
    const t = processInDialogResponse(uacDialog(180), fixtureResponse(486, 'bobtag', 'sip:bob@192.0.2.4'));
    expect(t.dialog.state).toBe('terminated');
  });

  it('a response with another To tag (another fork) leaves the dialog alone', () => {
    const t = processInDialogResponse(uacDialog(180, 'fork-a'), fixtureResponse(200, 'fork-b', 'sip:b@h'));
    expect(t.dialog.state).toBe('early');
    expect(t.effects).toEqual([]);
  });

  it('481 and 408 to an in-dialog request terminate the dialog', () => {
    for (const status of [481, 408]) {
      const { dialog, request } = nextInDialogRequest(uacDialog(), 'INFO');
      const res = createResponse(request, status);
      expect(processInDialogResponse(dialog, res).dialog.state).toBe('terminated');
    }
  });

  it('2xx to a re-INVITE refreshes the remote target; the route set stays', () => {
    const { dialog, request } = nextInDialogRequest(uacDialog(), 'INVITE');
    const res = createResponse(request, 200, undefined, {
      headers: [{ name: 'Contact', value: '<sip:bob@203.0.113.5>' }, { name: 'Record-Route', value: '<sip:x;lr>' }],
    });
    const t = processInDialogResponse(dialog, res);
    expect(t.dialog.remoteTarget).toBe('sip:bob@203.0.113.5');
    expect(t.dialog.routeSet).toEqual(dialog.routeSet);
    expect(t.dialog.pendingLocalInvite).toBeNull();
  });

  it('UAS: sending 2xx confirms the early dialog, sending 487 ends it', () => {
    const early = uasDialog(180);
    expect(processOutgoingResponse(early, fixtureResponse(200, 'bobtag', 'sip:bob@192.0.2.4')).dialog.state).toBe('confirmed');
    expect(processOutgoingResponse(early, fixtureResponse(487, 'bobtag', 'sip:bob@192.0.2.4')).dialog.state).toBe('terminated');
  });

  it('forked 2xx responses create separate confirmed dialogs', () => {
    const a = dialogFromUacResponse(fixtureInvite(), fixtureResponse(200, 'a', 'sip:a@h'));
    const b = dialogFromUacResponse(fixtureInvite(), fixtureResponse(200, 'b', 'sip:b@h'));
    if (isDialogError(a) || isDialogError(b)) throw new Error('no dialog');
    expect(a.state).toBe('confirmed');
    expect(b.state).toBe('confirmed');
    expect(a.id.remoteTag).not.toBe(b.id.remoteTag);
  });
});
