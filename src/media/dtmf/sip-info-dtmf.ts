/**
 * Bodies of SIP INFO requests that carry DTMF. The SIP layer hands over the body text; this
 * file knows only the two body formats in use:
 * - application/dtmf-relay (Cisco, de facto): "Signal=5\r\nDuration=160\r\n", duration in ms;
 * - application/dtmf: the body is the digit itself ("5").
 * Some devices send the RFC 4733 event code instead of the character ("Signal=11" for #).
 */
import { dtmfDigitOfEvent, toDtmfDigit, type DtmfDigit } from './dtmf-event.js';
import { dtmfParseError, type DtmfParseError } from './parse-error.js';

export interface SipInfoDtmf {
  readonly digit: DtmfDigit;
  /** Duration in ms when the body gave a valid one. */
  readonly durationMs?: number;
}

// A DTMF body is a few bytes; anything larger is not one.
const MAX_BODY = 1024;

/** Parses an application/dtmf-relay body. */
export function parseDtmfRelayBody(body: string): SipInfoDtmf | DtmfParseError {
  if (body.length > MAX_BODY) return dtmfParseError('dtmf-relay body too large');
  let signal: string | undefined;
  let durationMs: number | undefined;
  for (const line of body.split(/\r?\n|\r/)) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (key === 'signal' && signal === undefined) signal = value;
    else if (key === 'duration' && durationMs === undefined && /^\d{1,6}$/.test(value)) durationMs = Number(value);
  }
  if (signal === undefined) return dtmfParseError('dtmf-relay body has no Signal');
  const digit = signalToDigit(signal);
  if (digit === undefined) return dtmfParseError(`dtmf-relay Signal is not a DTMF digit: ${JSON.stringify(signal.slice(0, 16))}`);
  return durationMs === undefined ? { digit } : { digit, durationMs };
}

/** Parses an application/dtmf body (the digit, possibly followed by a line break). */
export function parseDtmfBody(body: string): SipInfoDtmf | DtmfParseError {
  if (body.length > MAX_BODY) return dtmfParseError('dtmf body too large');
  const digit = signalToDigit(body.trim());
  if (digit === undefined) return dtmfParseError(`dtmf body is not a DTMF digit: ${JSON.stringify(body.slice(0, 16))}`);
  return { digit };
}

/** The application/dtmf-relay body for sending a digit. */
export function formatDtmfRelayBody(digit: DtmfDigit, durationMs: number): string {
  return `Signal=${digit}\r\nDuration=${Math.max(0, Math.round(durationMs))}\r\n`;
}

function signalToDigit(s: string): DtmfDigit | undefined {
  if (s.length === 1) return toDtmfDigit(s);
  // Two-digit event codes 10-15 (*, #, A-D).
  return /^1[0-5]$/.test(s) ? dtmfDigitOfEvent(Number(s)) : undefined;
}
