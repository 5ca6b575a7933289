/**
 * The retransmission side of the DTLS handshake state machine (RFC 6347 4.2.4, figure 3), as a
 * pure transition: the transport owns the timer and the bytes, this decides when to resend.
 */

export type FlightPhase = 'idle' | 'waiting' | 'final' | 'failed';

export interface FlightState {
  readonly phase: FlightPhase;
  readonly retransmissions: number;
  readonly timeoutMs: number;
}

export type FlightEvent =
  /** We sent a flight; the last flight of a handshake is never retransmitted by timer. */
  | { type: 'flight-sent'; final: boolean }
  | { type: 'timer-expired' }
  /** A message of the peer's previous flight arrived again: our flight was lost. */
  | { type: 'peer-retransmitted' }
  /** The first new message of the peer's next flight arrived. */
  | { type: 'peer-flight-started' };

export type FlightEffect =
  | { type: 'retransmit' }
  | { type: 'start-timer'; delayMs: number }
  | { type: 'cancel-timer' }
  | { type: 'give-up' };

export interface RetransmissionConfig {
  /** RFC 6347 4.2.4.1: 1 s initial, doubled on every expiry up to 60 s. */
  initialTimeoutMs: number;
  maxTimeoutMs: number;
  maxRetransmissions: number;
}

export const DEFAULT_RETRANSMISSION: RetransmissionConfig = {
  initialTimeoutMs: 1000,
  maxTimeoutMs: 60_000,
  maxRetransmissions: 6,
};

export const initialFlightState: FlightState = { phase: 'idle', retransmissions: 0, timeoutMs: 0 };

export function transition(
  state: FlightState,
  event: FlightEvent,
  config: RetransmissionConfig,
): { state: FlightState; effects: FlightEffect[] } {
  if (state.phase === 'failed') return { state, effects: [] };
  switch (event.type) {
    case 'flight-sent':
      if (event.final) return { state: { phase: 'final', retransmissions: 0, timeoutMs: 0 }, effects: [{ type: 'cancel-timer' }] };
      return {
        state: { phase: 'waiting', retransmissions: 0, timeoutMs: config.initialTimeoutMs },
        effects: [{ type: 'start-timer', delayMs: config.initialTimeoutMs }],
      };
    case 'timer-expired': {
      if (state.phase !== 'waiting') return { state, effects: [] };
      if (state.retransmissions >= config.maxRetransmissions) {
        return { state: { ...state, phase: 'failed' }, effects: [{ type: 'give-up' }] };
      }
      const timeoutMs = Math.min(state.timeoutMs * 2, config.maxTimeoutMs);
      return {
        state: { phase: 'waiting', retransmissions: state.retransmissions + 1, timeoutMs },
        effects: [{ type: 'retransmit' }, { type: 'start-timer', delayMs: timeoutMs }],
      };
    }
    case 'peer-retransmitted':
      // Figure 3: "Read retransmit" in WAITING or FINISHED resends the current flight.
      if (state.phase === 'waiting' || state.phase === 'final') return { state, effects: [{ type: 'retransmit' }] };
      return { state, effects: [] };
    case 'peer-flight-started':
      if (state.phase !== 'waiting') return { state, effects: [] };
      return { state: { phase: 'idle', retransmissions: 0, timeoutMs: 0 }, effects: [{ type: 'cancel-timer' }] };
  }
}
