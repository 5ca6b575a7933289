import { describe, expect, it } from 'vitest';
import { cseq, getHeader } from '../message/index.js';
import { uacDialog, uasDialog } from './dialog-fixtures.js';
import { endDialog } from './dialog-termination.js';
import { transition } from './dialog-state.js';

describe('endDialog (RFC 3261 15)', () => {
  it('confirmed: BYE with the next CSeq, dialog terminated at once', () => {
    const e = endDialog(uacDialog(), { headers: [{ name: 'Reason', value: 'Q.850;cause=16' }] });
    if (e.action !== 'bye') throw new Error(e.action);
    expect(e.request.method).toBe('BYE');
    expect(cseq(e.request)).toEqual({ seq: 314160, method: 'BYE' });
    expect(getHeader(e.request, 'Reason')).toBe('Q.850;cause=16');
    expect(e.dialog.state).toBe('terminated');
  });

  it('UAS confirmed: BYE waits for the ACK when asked', () => {
    expect(endDialog(uasDialog(), { ackReceived: false })).toEqual({ action: 'bye-after-ack' });
    expect(endDialog(uasDialog(), { ackReceived: true }).action).toBe('bye');
  });

  it('UAC early: CANCEL by default, BYE on the fork when asked', () => {
    expect(endDialog(uacDialog(180))).toEqual({ action: 'cancel' });
    const e = endDialog(uacDialog(180), { byeOnEarly: true });
    expect(e.action).toBe('bye');
  });

  it('UAS early: never BYE; reject the INVITE', () => {
    expect(endDialog(uasDialog(180))).toEqual({ action: 'reject-invite', status: 480 });
    expect(endDialog(uasDialog(180), { rejectStatus: 487 })).toEqual({ action: 'reject-invite', status: 487 });
  });

  it('terminated: nothing', () => {
    const ended = transition(uacDialog(), { type: 'terminate', reason: 'session-expired' });
    expect(ended.effects).toEqual([{ type: 'terminated', reason: 'session-expired' }]);
    expect(endDialog(ended.dialog)).toEqual({ action: 'none' });
    // A terminated dialog ignores further events.
    expect(transition(ended.dialog, { type: 'request-sent', method: 'INFO', seq: 9, hasBody: false }).dialog).toBe(ended.dialog);
  });
});
