import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { createResponse, getHeader } from '../message/index.js';
import { requestFromAlice } from './dialog-fixtures.js';
import {
  DEFAULT_SESSION_TIMER_CONFIG,
  negotiateSessionTimerAsUac,
  negotiateSessionTimerAsUas,
  parseMinSE,
  parseSessionExpires,
  retryAfter422,
  sessionTimerRequestHeaders,
} from './session-timer-negotiation.js';
import { SessionTimer } from './session-timer.js';

const invite = (extra: string[]) => requestFromAlice('INVITE', 314160, extra);

describe('session timer negotiation (RFC 4028)', () => {
  it('parses Session-Expires and Min-SE', () => {
    expect(parseSessionExpires('1800;refresher=uac')).toEqual({ deltaS: 1800, refresher: 'uac' });
    expect(parseSessionExpires(' 90 ; Refresher = UAS')).toEqual({ deltaS: 90, refresher: 'uas' });
    expect(parseSessionExpires('soon')).toBeUndefined();
    expect(parseMinSE('90;x=y')).toBe(90);
    expect(parseMinSE(undefined)).toBeUndefined();
  });

  it('request headers: Supported timer, Session-Expires 1800, Min-SE 90 by default', () => {
    expect(sessionTimerRequestHeaders()).toEqual([
      { name: 'Supported', value: 'timer' },
      { name: 'Session-Expires', value: '1800' },
      { name: 'Min-SE', value: '90' },
    ]);
    expect(sessionTimerRequestHeaders(DEFAULT_SESSION_TIMER_CONFIG, { refresher: 'uac', sessionExpiresS: 600 })[1]!.value).toBe('600;refresher=uac');
  });

  it('UAS: 422 with our Min-SE when the interval asked is too small', () => {
    const d = negotiateSessionTimerAsUas(invite(['Supported: timer', 'Session-Expires: 60']));
    expect(d).toEqual({ type: 'reject', status: 422, reason: 'Session Interval Too Small', headers: [{ name: 'Min-SE', value: '90' }] });
  });

  it('UAS: keeps the asked interval and refresher, adds Require: timer', () => {
    const d = negotiateSessionTimerAsUas(invite(['Supported: timer', 'Session-Expires: 600;refresher=uas', 'Min-SE: 90']));
    expect(d).toEqual({
      type: 'accept',
      intervalS: 600,
      refresher: 'uas',
      weRefresh: true,
      responseHeaders: [
        { name: 'Session-Expires', value: '600;refresher=uas' },
        { name: 'Require', value: 'timer' },
      ],
    });
  });

  it('UAS: reduces a too long interval to ours but never below their Min-SE', () => {
    const cfg = { ...DEFAULT_SESSION_TIMER_CONFIG, sessionExpiresS: 300 };
    const d = negotiateSessionTimerAsUas(invite(['Supported: timer', 'Session-Expires: 3600']), cfg);
    expect(d).toMatchObject({ type: 'accept', intervalS: 300, refresher: 'uac', weRefresh: false });
    const d2 = negotiateSessionTimerAsUas(invite(['Supported: timer', 'Session-Expires: 3600', 'Min-SE: 1000']), cfg);
    expect(d2).toMatchObject({ intervalS: 1000 });
  });

  it('UAS: a UAC without timer support leaves the refreshing to us and gets no Require', () => {
    const d = negotiateSessionTimerAsUas(invite(['Session-Expires: 1800']));
    expect(d).toMatchObject({ type: 'accept', refresher: 'uas', weRefresh: true });
    if (d.type !== 'accept') throw new Error('not accepted');
    expect(d.responseHeaders.some((h) => h.name === 'Require')).toBe(false);
  });

  it('UAS: no Session-Expires asked: impose ours (default) or none', () => {
    expect(negotiateSessionTimerAsUas(invite([]))).toMatchObject({ type: 'accept', intervalS: 1800, refresher: 'uas' });
    expect(negotiateSessionTimerAsUas(invite([]), { ...DEFAULT_SESSION_TIMER_CONFIG, imposeWhenAbsent: false })).toEqual({ type: 'none' });
  });

  it('UAC: reads the 2xx; no Session-Expires means no timer', () => {
    const req = invite(sessionTimerRequestHeaders().map((h) => `${h.name}: ${h.value}`));
    const ok = createResponse(req, 200, undefined, { headers: [{ name: 'Session-Expires', value: '1800;refresher=uac' }] });
    expect(negotiateSessionTimerAsUac(ok)).toEqual({ type: 'accept', intervalS: 1800, refresher: 'uac', weRefresh: true });
    const theyRefresh = createResponse(req, 200, undefined, { headers: [{ name: 'Session-Expires', value: '900;refresher=uas' }] });
    expect(negotiateSessionTimerAsUac(theyRefresh)).toMatchObject({ weRefresh: false, intervalS: 900 });
    expect(negotiateSessionTimerAsUac(createResponse(req, 200))).toEqual({ type: 'none' });
  });

  it('UAC: after 422 retries with at least the Min-SE named', () => {
    const req = invite(['Session-Expires: 60']);
    const res = createResponse(req, 422, undefined, { headers: [{ name: 'Min-SE', value: '120' }] });
    expect(retryAfter422(res, 60)).toEqual({ sessionExpiresS: 120, minSES: 120 });
    expect(retryAfter422(createResponse(req, 422), 60)).toBeUndefined();
    expect(getHeader(res, 'Min-SE')).toBe('120');
  });
});

describe('SessionTimer (RFC 4028 10)', () => {
  function setup() {
    const clock = new ManualClock(0);
    const events: string[] = [];
    const timer = new SessionTimer({
      clock,
      onRefresh: () => events.push(`refresh@${clock.now()}`),
      onExpired: () => events.push(`expired@${clock.now()}`),
    });
    return { clock, events, timer };
  }

  it('as refresher: refresh at half the interval; re-armed by the refresh it causes', () => {
    const { clock, events, timer } = setup();
    timer.start(1800, true);
    clock.advance(899_999);
    expect(events).toEqual([]);
    clock.advance(1);
    expect(events).toEqual(['refresh@900000']);
    timer.refreshed(1800, true);
    clock.advance(900_000);
    expect(events).toEqual(['refresh@900000', 'refresh@1800000']);
    timer.close();
    expect(clock.pending).toBe(0);
  });

  it('as refresher whose refresh never succeeds: expires at the full interval', () => {
    const { clock, events, timer } = setup();
    timer.start(90, true);
    clock.advance(90_000);
    expect(events).toEqual(['refresh@45000', 'expired@90000']);
    expect(clock.pending).toBe(0);
  });

  it('not refresher: expires at interval - min(32, interval/3) without a refresh', () => {
    const { clock, events, timer } = setup();
    timer.start(1800, false);
    clock.advance(1_768_000 - 1);
    expect(events).toEqual([]);
    clock.advance(1);
    expect(events).toEqual(['expired@1768000']);
    expect(SessionTimer.expiryDelayMs(90)).toBe(60_000);
  });

  it('not refresher: each refresh received pushes the expiry out', () => {
    const { clock, events, timer } = setup();
    timer.start(90, false);
    clock.advance(50_000);
    timer.refreshed(90, false);
    clock.advance(50_000);
    expect(events).toEqual([]);
    clock.advance(10_000);
    expect(events).toEqual(['expired@110000']);
  });

  it('close is safe twice and stops everything; start after close is ignored', () => {
    const { clock, events, timer } = setup();
    timer.start(90, true);
    timer.close();
    timer.close();
    timer.start(90, true);
    clock.advance(1_000_000);
    expect(events).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});
