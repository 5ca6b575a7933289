import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/index.js';
import type { RandomSource } from '../../core/index.js';
import { cseq, getHeader } from '../message/index.js';
import { uacDialog, uasDialog } from './dialog-fixtures.js';
import { buildReInvite, buildUpdate, isTargetRefresh, retryAfterGlareMs } from './session-modification.js';

const fixed = (n: number): RandomSource => ({ ...seededRandom(), int: (max) => Math.min(n, max - 1) });

describe('re-INVITE and UPDATE', () => {
  it('re-INVITE carries Contact and SDP and marks our INVITE pending; a second one waits', () => {
    const first = buildReInvite(uacDialog(), { sdp: 'v=0\r\n' });
    if (first === undefined) throw new Error('refused');
    expect(first.request.method).toBe('INVITE');
    expect(getHeader(first.request, 'Contact')).toBe('<sip:alice@pc33.atlanta.example.com>');
    expect(getHeader(first.request, 'Content-Type')).toBe('application/sdp');
    expect(cseq(first.request)?.seq).toBe(314160);
    expect(first.dialog.pendingLocalInvite).toBe(314160);
    expect(buildReInvite(first.dialog)).toBeUndefined();
    expect(buildReInvite(uacDialog(180))).toBeUndefined();
  });

  it('UPDATE works in early dialogs; a second offer waits for the first answer', () => {
    const u = buildUpdate(uasDialog(180), { sdp: 'v=0\r\n' });
    if (u === undefined) throw new Error('refused');
    expect(u.request.method).toBe('UPDATE');
    expect(u.dialog.pendingLocalUpdate).toBe(1);
    expect(buildUpdate(u.dialog, { sdp: 'v=0\r\n' })).toBeUndefined();
    expect(buildUpdate(u.dialog)?.request.method).toBe('UPDATE');
  });

  it('target refresh methods', () => {
    expect(isTargetRefresh('invite')).toBe(true);
    expect(isTargetRefresh('UPDATE')).toBe(true);
    expect(isTargetRefresh('BYE')).toBe(false);
  });

  it('glare back-off (RFC 3261 14.1): owner 2.1..4 s, other 0..2 s, in 10 ms steps', () => {
    expect(retryAfterGlareMs(fixed(0), true)).toBe(2100);
    expect(retryAfterGlareMs(fixed(10_000), true)).toBe(4000);
    expect(retryAfterGlareMs(fixed(0), false)).toBe(0);
    expect(retryAfterGlareMs(fixed(10_000), false)).toBe(2000);
    const r = seededRandom(99);
    for (let i = 0; i < 200; i++) {
      const owner = retryAfterGlareMs(r, true);
      const other = retryAfterGlareMs(r, false);
      expect(owner % 10).toBe(0);
      expect(owner).toBeGreaterThanOrEqual(2100);
      expect(owner).toBeLessThanOrEqual(4000);
      expect(other).toBeGreaterThanOrEqual(0);
      expect(other).toBeLessThanOrEqual(2000);
    }
  });
});
