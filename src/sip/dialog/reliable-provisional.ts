/**
 * Reliable provisional responses, UAS side (RFC 3262 3). A 1xx sent reliably carries
 * `Require: 100rel` and an RSeq (first one random in 1..2^31-1, then +1); it is retransmitted
 * at T1, 2*T1, 4*T1... until a PRACK with a matching RAck arrives, and after 64*T1 without one
 * the caller rejects the INVITE with a 5xx. Only one reliable 1xx is outstanding at a time;
 * later ones wait in a queue. A pure `transition` plus a small driver holding the Clock timer.
 */
import type { Clock, RandomSource, TimerHandle } from '../../core/index.js';
import { getHeader, getHeaderValues } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/index.js';

export interface RAck {
  rseq: number;
  seq: number;
  method: string;
}

/** Parses an RAck value `776656 1 INVITE` (RFC 3262 7.2); undefined when malformed. */
export function parseRAck(value: string | undefined): RAck | undefined {
  const m = /^\s*(\d{1,10})\s+(\d{1,10})\s+([A-Za-z][A-Za-z0-9\-.!%*_+`'~]*)\s*$/.exec(value ?? '');
  if (m === null) return undefined;
  const rseq = Number(m[1]);
  const seq = Number(m[2]);
  if (rseq < 1 || rseq > 0xffffffff || seq > 0x7fffffff) return undefined;
  return { rseq, seq, method: (m[3] as string).toUpperCase() };
}

/** The RSeq of a response, or undefined when absent or malformed. */
export function parseRSeq(response: SipResponse): number | undefined {
  const v = getHeader(response, 'RSeq')?.trim();
  if (v === undefined || !/^\d{1,10}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 && n <= 0xffffffff ? n : undefined;
}

/** True when the peer listed the extension (e.g. `100rel`, `timer`) in Supported or Require. */
export function supportsExtension(msg: SipRequest | SipResponse, tag: string): boolean {
  const t = tag.toLowerCase();
  return [...getHeaderValues(msg, 'Supported'), ...getHeaderValues(msg, 'Require')].some((v) => v.toLowerCase() === t);
}

export type ReliableProvisionalPhase = 'idle' | 'awaiting-prack' | 'closed';

export interface ReliableProvisionalState {
  phase: ReliableProvisionalPhase;
  /** RSeq the next reliable 1xx gets. */
  nextRSeq: number;
  /** CSeq of the INVITE the responses answer (what RAck must name). */
  inviteSeq: number;
  t1Ms: number;
  /** The outstanding response (stamped with RSeq) while awaiting its PRACK. */
  outstanding?: { response: SipResponse; rseq: number };
  /** Time spent waiting for the outstanding PRACK, and the current retransmit interval. */
  elapsedMs: number;
  intervalMs: number;
  queue: SipResponse[];
}

export type ReliableProvisionalEvent =
  | { type: 'send'; response: SipResponse }
  | { type: 'timer' }
  | { type: 'prack'; rack: RAck | undefined }
  /** The INVITE got its final response (or the call ended): nothing more to retransmit. */
  | { type: 'close' };

export type ReliableProvisionalEffect =
  | { type: 'transmit'; response: SipResponse; retransmission: boolean }
  | { type: 'start-timer'; delayMs: number }
  | { type: 'stop-timer' }
  | { type: 'acknowledged'; rseq: number }
  /** No PRACK within 64*T1: the caller answers the INVITE with a 5xx (RFC 3262 3). */
  | { type: 'timeout'; response: SipResponse }
  | { type: 'prack-answer'; status: 200 | 481 };

export function initialReliableProvisionalState(
  random: RandomSource,
  inviteSeq: number,
  t1Ms = 500,
): ReliableProvisionalState {
  // RFC 3262 3: the first RSeq is chosen uniformly in 1..2^31-1.
  return { phase: 'idle', nextRSeq: 1 + random.int(0x7fffffff), inviteSeq, t1Ms, elapsedMs: 0, intervalMs: t1Ms, queue: [] };
}

/** A copy of the response with `Require: 100rel` and `RSeq`. */
function stamp(response: SipResponse, rseq: number): SipResponse {
  const headers = response.headers.filter((h) => h.name.toLowerCase() !== 'rseq');
  const has100rel = getHeaderValues(response, 'Require').some((v) => v.toLowerCase() === '100rel');
  if (!has100rel) headers.push({ name: 'Require', value: '100rel' });
  headers.push({ name: 'RSeq', value: String(rseq) });
  return { ...response, headers };
}

function start(state: ReliableProvisionalState, response: SipResponse): { state: ReliableProvisionalState; effects: ReliableProvisionalEffect[] } {
  const rseq = state.nextRSeq;
  const stamped = stamp(response, rseq);
  return {
    state: { ...state, phase: 'awaiting-prack', nextRSeq: rseq + 1, outstanding: { response: stamped, rseq }, elapsedMs: 0, intervalMs: state.t1Ms },
    effects: [
      { type: 'transmit', response: stamped, retransmission: false },
      { type: 'start-timer', delayMs: state.t1Ms },
    ],
  };
}

/** The next state and effects for an event. */
export function reliableProvisionalTransition(
  state: ReliableProvisionalState,
  event: ReliableProvisionalEvent,
): { state: ReliableProvisionalState; effects: ReliableProvisionalEffect[] } {
  if (state.phase === 'closed') {
    return { state, effects: event.type === 'prack' ? [{ type: 'prack-answer', status: 481 }] : [] };
  }
  switch (event.type) {
    case 'send':
      if (state.phase === 'idle') return start(state, event.response);
      // RFC 3262 3: no second reliable 1xx until the first is acknowledged.
      return { state: { ...state, queue: [...state.queue, event.response] }, effects: [] };
    case 'timer': {
      if (state.phase !== 'awaiting-prack' || state.outstanding === undefined) return { state, effects: [] };
      const limit = 64 * state.t1Ms;
      const elapsed = state.elapsedMs + Math.min(state.intervalMs, limit - state.elapsedMs);
      if (elapsed >= limit) {
        return {
          state: { ...state, phase: 'closed', elapsedMs: elapsed, queue: [] },
          effects: [{ type: 'timeout', response: state.outstanding.response }],
        };
      }
      const interval = state.intervalMs * 2;
      return {
        state: { ...state, elapsedMs: elapsed, intervalMs: interval },
        effects: [
          { type: 'transmit', response: state.outstanding.response, retransmission: true },
          { type: 'start-timer', delayMs: Math.min(interval, limit - elapsed) },
        ],
      };
    }
    case 'prack': {
      const out = state.outstanding;
      const r = event.rack;
      const matches =
        state.phase === 'awaiting-prack' && out !== undefined && r !== undefined &&
        r.rseq === out.rseq && r.seq === state.inviteSeq && r.method === 'INVITE';
      // RFC 3262 3: a PRACK matching no unacknowledged reliable 1xx gets 481.
      if (!matches || out === undefined) return { state, effects: [{ type: 'prack-answer', status: 481 }] };
      const effects: ReliableProvisionalEffect[] = [
        { type: 'stop-timer' },
        { type: 'acknowledged', rseq: out.rseq },
        { type: 'prack-answer', status: 200 },
      ];
      const [next, ...rest] = state.queue;
      const idle: ReliableProvisionalState = { ...state, phase: 'idle', queue: rest, elapsedMs: 0, intervalMs: state.t1Ms };
      delete idle.outstanding;
      if (next === undefined) return { state: idle, effects };
      const started = start(idle, next);
      return { state: started.state, effects: [...effects, ...started.effects] };
    }
    case 'close': {
      const closed: ReliableProvisionalState = { ...state, phase: 'closed', queue: [] };
      delete closed.outstanding;
      return { state: closed, effects: [{ type: 'stop-timer' }] };
    }
  }
}

export interface ReliableProvisionalSenderOptions {
  clock: Clock;
  random: RandomSource;
  /** CSeq number of the INVITE being answered. */
  inviteSeq: number;
  t1Ms?: number;
  /** Pass the response to the server transaction (first send and retransmissions). */
  transmit: (response: SipResponse) => void;
  /** No PRACK in 64*T1: answer the INVITE with a 5xx (e.g. 504 or 500). */
  onTimeout: (response: SipResponse) => void;
  onAcknowledged?: (rseq: number) => void;
}

/** Drives `reliableProvisionalTransition` with a Clock timer; one per INVITE server transaction. */
export class ReliableProvisionalSender {
  private state: ReliableProvisionalState;
  private timer: TimerHandle | undefined;

  constructor(private readonly opts: ReliableProvisionalSenderOptions) {
    this.state = initialReliableProvisionalState(opts.random, opts.inviteSeq, opts.t1Ms);
  }

  get phase(): ReliableProvisionalPhase {
    return this.state.phase;
  }

  /** Sends a 101-199 reliably (queued if another is still unacknowledged). */
  send(response: SipResponse): void {
    this.apply({ type: 'send', response });
  }

  /** Matches a PRACK; returns the status to answer it with (200 or 481). */
  prack(request: SipRequest): 200 | 481 {
    const effects = this.apply({ type: 'prack', rack: parseRAck(getHeader(request, 'RAck')) });
    for (const e of effects) if (e.type === 'prack-answer') return e.status;
    return 481;
  }

  /** Stops retransmissions (final response sent, call ended). Safe to call twice. */
  close(): void {
    this.apply({ type: 'close' });
  }

  private apply(event: ReliableProvisionalEvent): ReliableProvisionalEffect[] {
    const { state, effects } = reliableProvisionalTransition(this.state, event);
    this.state = state;
    for (const e of effects) {
      switch (e.type) {
        case 'transmit':
          this.opts.transmit(e.response);
          break;
        case 'start-timer':
          this.opts.clock.clearTimer(this.timer);
          this.timer = this.opts.clock.setTimer(e.delayMs, () => {
            this.timer = undefined;
            this.apply({ type: 'timer' });
          });
          break;
        case 'stop-timer':
          this.opts.clock.clearTimer(this.timer);
          this.timer = undefined;
          break;
        case 'acknowledged':
          this.opts.onAcknowledged?.(e.rseq);
          break;
        case 'timeout':
          this.opts.clock.clearTimer(this.timer);
          this.timer = undefined;
          this.opts.onTimeout(e.response);
          break;
        case 'prack-answer':
          break;
      }
    }
    return effects;
  }
}
