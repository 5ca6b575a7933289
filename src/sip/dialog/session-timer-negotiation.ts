/**
 * Session timer negotiation (RFC 4028): Session-Expires and Min-SE on requests, the UAS
 * choice of interval and refresher (or 422 when the interval is too small), the UAC reading
 * of the 2xx, and the retry after a 422. Pure functions over messages.
 */
import { getHeader } from '../message/index.js';
import type { HeaderField, SipRequest, SipResponse } from '../message/index.js';
import { supportsExtension } from './reliable-provisional.js';

/** RFC 4028 recommends 1800 s; 90 s is the smallest Min-SE allowed (RFC 4028 4). */
export const DEFAULT_SESSION_EXPIRES_S = 1800;
export const DEFAULT_MIN_SE_S = 90;

/** Which side of the refresh transaction refreshes the session. */
export type Refresher = 'uac' | 'uas';

export interface SessionExpires {
  deltaS: number;
  refresher?: Refresher;
}

export interface SessionTimerConfig {
  /** Interval we ask for and the largest we grant. */
  sessionExpiresS: number;
  /** Smallest interval we accept; requests below it get 422. */
  minSES: number;
  /** Use a timer even when the peer's request did not ask for one (hung-call detection). */
  imposeWhenAbsent: boolean;
}

export const DEFAULT_SESSION_TIMER_CONFIG: SessionTimerConfig = {
  sessionExpiresS: DEFAULT_SESSION_EXPIRES_S,
  minSES: DEFAULT_MIN_SE_S,
  imposeWhenAbsent: true,
};

/** Parses `1800;refresher=uac`; undefined when malformed. */
export function parseSessionExpires(value: string | undefined): SessionExpires | undefined {
  if (value === undefined) return undefined;
  const [delta, ...params] = value.split(';');
  const d = (delta ?? '').trim();
  if (!/^\d{1,10}$/.test(d)) return undefined;
  const out: SessionExpires = { deltaS: Number(d) };
  for (const p of params) {
    const [k, v] = p.split('=').map((s) => s.trim().toLowerCase());
    if (k === 'refresher' && (v === 'uac' || v === 'uas')) out.refresher = v;
  }
  return out;
}

export function formatSessionExpires(se: SessionExpires): string {
  return se.refresher === undefined ? String(se.deltaS) : `${se.deltaS};refresher=${se.refresher}`;
}

/** Parses a Min-SE value (delta-seconds, parameters ignored). */
export function parseMinSE(value: string | undefined): number | undefined {
  const d = value?.split(';')[0]?.trim();
  return d !== undefined && /^\d{1,10}$/.test(d) ? Number(d) : undefined;
}

/** Headers a UAC puts on an INVITE or UPDATE to ask for a session timer (RFC 4028 7.1). */
export function sessionTimerRequestHeaders(
  config: SessionTimerConfig = DEFAULT_SESSION_TIMER_CONFIG,
  opts: { sessionExpiresS?: number; refresher?: Refresher } = {},
): HeaderField[] {
  const se: SessionExpires = { deltaS: opts.sessionExpiresS ?? config.sessionExpiresS };
  if (opts.refresher !== undefined) se.refresher = opts.refresher;
  return [
    { name: 'Supported', value: 'timer' },
    { name: 'Session-Expires', value: formatSessionExpires(se) },
    { name: 'Min-SE', value: String(config.minSES) },
  ];
}

export type SessionTimerDecision =
  | { type: 'reject'; status: 422; reason: 'Session Interval Too Small'; headers: HeaderField[] }
  | {
      type: 'accept';
      intervalS: number;
      refresher: Refresher;
      /** True when we, the UAS of this transaction, are the refresher. */
      weRefresh: boolean;
      /** Session-Expires (and Require: timer when the UAC supports it) for our 2xx. */
      responseHeaders: HeaderField[];
    }
  | { type: 'none' };

/**
 * The UAS decision for an INVITE or UPDATE (RFC 4028 9): 422 with our Min-SE when the asked
 * interval is too small; otherwise the interval (possibly reduced, never below either Min-SE)
 * and the refresher (the UAC's choice, else the UAC when it supports timers, else us).
 */
export function negotiateSessionTimerAsUas(
  request: SipRequest,
  config: SessionTimerConfig = DEFAULT_SESSION_TIMER_CONFIG,
): SessionTimerDecision {
  const asked = parseSessionExpires(getHeader(request, 'Session-Expires'));
  const theirMin = parseMinSE(getHeader(request, 'Min-SE')) ?? DEFAULT_MIN_SE_S;
  const uacSupports = supportsExtension(request, 'timer');
  if (asked !== undefined && asked.deltaS < config.minSES) {
    return {
      type: 'reject',
      status: 422,
      reason: 'Session Interval Too Small',
      headers: [{ name: 'Min-SE', value: String(config.minSES) }],
    };
  }
  if (asked === undefined && !config.imposeWhenAbsent) return { type: 'none' };
  const floor = Math.max(theirMin, config.minSES);
  const intervalS =
    asked === undefined
      ? Math.max(config.sessionExpiresS, floor)
      : Math.min(asked.deltaS, Math.max(Math.min(asked.deltaS, config.sessionExpiresS), floor));
  // A UAC without the extension cannot refresh on purpose: we must (RFC 4028 9).
  const refresher: Refresher = !uacSupports ? 'uas' : (asked?.refresher ?? 'uac');
  const responseHeaders: HeaderField[] = [{ name: 'Session-Expires', value: formatSessionExpires({ deltaS: intervalS, refresher }) }];
  if (uacSupports) responseHeaders.push({ name: 'Require', value: 'timer' });
  return { type: 'accept', intervalS, refresher, weRefresh: refresher === 'uas', responseHeaders };
}

/**
 * The UAC reading of a 2xx to its INVITE/UPDATE (RFC 4028 7.2): Session-Expires names the
 * interval and refresher; without it there is no session expiration.
 */
export function negotiateSessionTimerAsUac(
  response: SipResponse,
): { type: 'accept'; intervalS: number; refresher: Refresher; weRefresh: boolean } | { type: 'none' } {
  const se = parseSessionExpires(getHeader(response, 'Session-Expires'));
  if (se === undefined || se.deltaS === 0) return { type: 'none' };
  // The UAS must name the refresher; when it forgot, refreshing ourselves is the safe side.
  const refresher = se.refresher ?? 'uac';
  return { type: 'accept', intervalS: se.deltaS, refresher, weRefresh: refresher === 'uac' };
}

/**
 * After a 422 (RFC 4028 7.4): the interval and Min-SE to retry with, at least the Min-SE the
 * 422 names. Undefined when the 422 carries no usable Min-SE (the caller gives up).
 */
export function retryAfter422(response: SipResponse, previousSessionExpiresS: number): { sessionExpiresS: number; minSES: number } | undefined {
  if (response.status !== 422) return undefined;
  const min = parseMinSE(getHeader(response, 'Min-SE'));
  if (min === undefined) return undefined;
  return { sessionExpiresS: Math.max(min, previousSessionExpiresS), minSES: min };
}
