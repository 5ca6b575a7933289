/**
 * Vocabulary shared by the four transaction state machines (RFC 3261 section 17, RFC 6026):
 * timer names and values, the events a machine reacts to and the effects it asks for.
 * The machines are pure; `ClientTransaction` and `ServerTransaction` execute the effects.
 */
import type { SipRequest, SipResponse } from '../message/types.js';

/**
 * RFC 3261 timers A-M (table 4) plus two of ours: `Trying` (17.2.1: send 100 Trying when
 * the TU has not answered an INVITE within 200 ms) and `CancelWait` (9.1: give up on an
 * INVITE 64*T1 after its CANCEL went out without a final response).
 */
export type TimerName =
  | 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'Trying' | 'CancelWait';

/** Timer base values (RFC 3261 17.1.1.1), configurable. */
export interface TimerConfig {
  /** RTT estimate, default 500 ms. */
  t1: number;
  /** Cap on non-INVITE and response retransmit intervals, default 4 s. */
  t2: number;
  /** Longest time a message stays in the network, default 5 s. */
  t4: number;
  /** Timer D on unreliable transports: "at least 32 seconds" (17.1.1.2). */
  timerD: number;
  /** Delay before the IST sends 100 Trying on its own (17.2.1), default 200 ms. */
  tryingDelay: number;
}

export const DEFAULT_TIMERS: TimerConfig = { t1: 500, t2: 4000, t4: 5000, timerD: 32_000, tryingDelay: 200 };

/** What a machine knows about its surroundings; constant over the transaction's life. */
export interface TransactionContext {
  /** Reliable transports (TCP, TLS, WS) get no retransmissions and zero D/I/J/K (17.1.1.2, 17.1.2.2, 17.2.1, 17.2.2). */
  reliable: boolean;
  timers: TimerConfig;
}

/** A timer fired; `delayMs` is the interval it was started with, so doubling needs no hidden state. */
export interface TimerEvent {
  type: 'timer';
  timer: TimerName;
  delayMs: number;
}

export interface TransportErrorEvent {
  type: 'transportError';
  error: Error;
}

/** Events of the client machines (ICT and NICT). */
export type ClientEvent =
  | { type: 'start' }
  | { type: 'response'; response: SipResponse }
  /** The TU's CANCEL for this INVITE went out (RFC 3261 9.1); NICT ignores it. */
  | { type: 'cancelSent' }
  | TimerEvent
  | TransportErrorEvent;

/** Events of the server machines (IST and NIST). */
export type ServerEvent =
  | { type: 'start' }
  /** A retransmission of the request that created the transaction. */
  | { type: 'request' }
  /** An ACK matching this INVITE server transaction (17.2.3). */
  | { type: 'ack'; ack: SipRequest }
  /** The TU passed a response to send. */
  | { type: 'tuResponse'; response: SipResponse }
  | TimerEvent
  | TransportErrorEvent;

/** What a machine asks its runtime to do, in order. */
export type TransactionEffect =
  /** Client: send the request for the first time. */
  | { type: 'sendRequest' }
  /** Resend the last message sent (the request for clients, the last response for servers). */
  | { type: 'retransmit' }
  /** Server: send this response and remember it as the last one. */
  | { type: 'sendResponse'; response: SipResponse }
  /** IST: build and send a 100 Trying for the request. */
  | { type: 'sendTrying' }
  /** ICT: send (or resend) the ACK for this non-2xx final response (17.1.1.3). */
  | { type: 'sendAck'; response: SipResponse }
  | { type: 'startTimer'; timer: TimerName; delayMs: number }
  | { type: 'stopTimer'; timer: TimerName }
  /** Client: hand a response to the TU. */
  | { type: 'passResponse'; response: SipResponse }
  /** IST in Accepted: hand an ACK for a 2xx to the TU (RFC 6026 8.6). */
  | { type: 'passAck'; ack: SipRequest }
  /** Tell the TU the transaction timed out (B, F, H, CancelWait). */
  | { type: 'timeout'; timer: TimerName }
  /** Tell the TU a message could not be sent. */
  | { type: 'transportError'; error: Error }
  /** Enter Terminated: the runtime clears every timer and drops the transaction. */
  | { type: 'terminate' };

export interface Transition<S extends string> {
  state: S;
  effects: TransactionEffect[];
}

/** A pure transaction state machine. */
export interface TransactionMachine<S extends string, E> {
  readonly initial: S;
  transition(state: S, event: E, ctx: TransactionContext): Transition<S>;
}

/** RFC 3261 8.1.1.7: branches starting with this cookie are unique per transaction. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';

/** 2xx for the ICT/IST Accepted logic. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
