import { describe, expect, it } from 'vitest';
import { createResponse } from '../message/index.js';
import type { SipResponse } from '../message/index.js';
import { fixtureResponse, requestFromAlice, uacDialog, uasDialog } from './dialog-fixtures.js';
import { DialogRegistry } from './dialog-registry.js';
import { processInDialogRequest } from './in-dialog-processing.js';
import { transition } from './dialog-state.js';

describe('DialogRegistry', () => {
  it('finds the dialog of an incoming request by Call-ID, To tag (ours) and From tag (theirs)', () => {
    const reg = new DialogRegistry();
    const d = uasDialog();
    reg.put(d);
    expect(reg.findForRequest(requestFromAlice('BYE', 314160))).toBe(d);
    const stranger = requestFromAlice('BYE', 314160);
    stranger.headers = stranger.headers.map((h) => (h.name === 'To' ? { ...h, value: 'Bob <sip:bob@biloxi.example.com>;tag=nope' } : h));
    // Unknown dialog: the caller answers 481 (RFC 3261 12.2.2).
    expect(reg.findForRequest(stranger)).toBeUndefined();
  });

  it('finds forked early dialogs by the response To tag, and drops the early ones together', () => {
    const reg = new DialogRegistry();
    reg.put(uacDialog(180, 'fork-a'));
    reg.put(uacDialog(183, 'fork-b'));
    expect(reg.count()).toBe(2);
    const resB: SipResponse = fixtureResponse(200, 'fork-b', 'sip:b@h');
    expect(reg.findForResponse(resB)?.id.remoteTag).toBe('fork-b');
    expect(reg.forks('a84b4c76e66710@pc33.atlanta.example.com', '1928301774')).toHaveLength(2);
    reg.put(transition(reg.findForResponse(resB)!, { type: 'response-received', method: 'INVITE', seq: 314159, status: 200 }).dialog);
    const dropped = reg.dropEarly('a84b4c76e66710@pc33.atlanta.example.com', '1928301774');
    expect(dropped.map((d) => d.id.remoteTag)).toEqual(['fork-a']);
    expect(reg.count()).toBe(1);
  });

  it('removes a dialog when it is stored terminated; count returns to zero', () => {
    const reg = new DialogRegistry();
    const d = uasDialog();
    reg.put(d);
    const bye = requestFromAlice('BYE', 314160);
    const res = processInDialogRequest(reg.findForRequest(bye)!, bye);
    if (!res.accept) throw new Error('rejected');
    reg.put(res.dialog);
    expect(reg.count()).toBe(0);
    expect(reg.findForRequest(bye)).toBeUndefined();
  });

  it('a response without a To tag finds nothing', () => {
    const reg = new DialogRegistry();
    reg.put(uacDialog());
    const trying = createResponse(requestFromAlice('INVITE', 1), 100);
    trying.headers = trying.headers.filter((h) => h.name !== 'To');
    expect(reg.findForResponse(trying)).toBeUndefined();
    expect(reg.remove(uacDialog().id)).toBe(true);
    expect(reg.all()).toEqual([]);
  });
});
