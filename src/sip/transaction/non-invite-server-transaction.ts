/**
 * Non-INVITE server transaction (RFC 3261 17.2.2, figure 8).
 *
 *   Trying     --TU 1xx-->       Proceeding
 *   Trying/Proceeding --TU 200-699--> Completed (Timer J = 64*T1 unreliable, 0 reliable)
 *   Completed  --Timer J--> Terminated
 *
 * Request retransmissions are absorbed in Trying and answered with the last response in
 * Proceeding and Completed. The TU is the one passed the request when the transaction is made.
 */
import type { ServerEvent, TransactionContext, TransactionEffect, TransactionMachine, Transition } from './types.js';

export type NonInviteServerState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

type Result = Transition<NonInviteServerState>;

const stay = (state: NonInviteServerState, effects: TransactionEffect[] = []): Result => ({ state, effects });

function active(state: 'Trying' | 'Proceeding', event: ServerEvent, ctx: TransactionContext): Result {
  switch (event.type) {
    case 'request':
      // 17.2.2: Trying discards retransmissions; Proceeding resends the last provisional.
      return stay(state, state === 'Proceeding' ? [{ type: 'retransmit' }] : []);
    case 'tuResponse': {
      const { response } = event;
      if (response.status < 200) return stay('Proceeding', [{ type: 'sendResponse', response }]);
      if (ctx.reliable) return stay('Terminated', [{ type: 'sendResponse', response }, { type: 'terminate' }]);
      return stay('Completed', [
        { type: 'sendResponse', response },
        { type: 'startTimer', timer: 'J', delayMs: 64 * ctx.timers.t1 },
      ]);
    }
    case 'transportError':
      return stay('Terminated', [{ type: 'transportError', error: event.error }, { type: 'terminate' }]);
    default:
      return stay(state);
  }
}

/** The non-INVITE server transaction machine: pure, effects executed by ServerTransaction. */
export const nonInviteServerTransaction: TransactionMachine<NonInviteServerState, ServerEvent> = {
  initial: 'Trying',
  transition(state, event, ctx) {
    if (event.type === 'start') return stay('Trying');
    switch (state) {
      case 'Trying':
      case 'Proceeding':
        return active(state, event, ctx);
      case 'Completed':
        if (event.type === 'request') return stay('Completed', [{ type: 'retransmit' }]);
        if (event.type === 'timer' && event.timer === 'J') return stay('Terminated', [{ type: 'terminate' }]);
        if (event.type === 'transportError') {
          return stay('Terminated', [{ type: 'transportError', error: event.error }, { type: 'terminate' }]);
        }
        // Later TU responses are discarded: the final one was sent.
        return stay('Completed');
      case 'Terminated':
        return stay('Terminated');
    }
  },
};
