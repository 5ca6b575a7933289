/**
 * Collecting keypad digits (what Asterisk's Read() and FreeSWITCH's play_and_get_digits do):
 * up to `max` digits, ended early by a terminator, with a first-digit and an inter-digit
 * timeout. Pure: digits and timer expiries go in, the decision comes out; the leg owns the
 * timer.
 */
export type CollectorState =
  | { phase: 'waiting-first'; digits: string }
  | { phase: 'collecting'; digits: string }
  | { phase: 'done'; digits: string; reason: 'max' | 'terminator' | 'timeout' };

export interface CollectorSettings {
  max: number;
  terminator?: string;
  firstDigitMs: number;
  interDigitMs: number;
}

export type CollectorInput = { type: 'digit'; digit: string } | { type: 'timeout' };

export interface CollectorStep {
  state: CollectorState;
  /** Re-arm the timer with this delay (ms); undefined: leave it as it is (or none when done). */
  armMs?: number;
}

export function startCollector(settings: CollectorSettings): CollectorStep {
  if (settings.max <= 0) return { state: { phase: 'done', digits: '', reason: 'max' } };
  return { state: { phase: 'waiting-first', digits: '' }, armMs: settings.firstDigitMs };
}

export function collectorTransition(s: CollectorState, input: CollectorInput, settings: CollectorSettings): CollectorStep {
  if (s.phase === 'done') return { state: s };
  if (input.type === 'timeout') return { state: { phase: 'done', digits: s.digits, reason: 'timeout' } };
  if (settings.terminator !== undefined && input.digit === settings.terminator) {
    return { state: { phase: 'done', digits: s.digits, reason: 'terminator' } };
  }
  const digits = s.digits + input.digit;
  if (digits.length >= settings.max) return { state: { phase: 'done', digits, reason: 'max' } };
  return { state: { phase: 'collecting', digits }, armMs: settings.interDigitMs };
}
