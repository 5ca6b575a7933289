/**
 * Non-INVITE client transaction (RFC 3261 17.1.2, figure 6).
 *
 *   Trying     --1xx-->  Proceeding
 *   Trying/Proceeding --200-699--> Completed (Timer K = T4 unreliable, 0 reliable)
 *   Trying/Proceeding --Timer F (64*T1)--> Terminated (TU told of the timeout)
 *   Completed  --Timer K--> Terminated
 *
 * Timer E (17.1.2.2) starts at T1 and doubles up to T2 in Trying; in Proceeding it fires
 * every T2. It runs only on unreliable transports.
 */
import type { ClientEvent, TransactionContext, TransactionEffect, TransactionMachine, Transition } from './types.js';

export type NonInviteClientState = 'Trying' | 'Proceeding' | 'Completed' | 'Terminated';

type Result = Transition<NonInviteClientState>;

const stay = (state: NonInviteClientState, effects: TransactionEffect[] = []): Result => ({ state, effects });

function start(ctx: TransactionContext): Result {
  const effects: TransactionEffect[] = [{ type: 'sendRequest' }];
  if (!ctx.reliable) effects.push({ type: 'startTimer', timer: 'E', delayMs: ctx.timers.t1 });
  effects.push({ type: 'startTimer', timer: 'F', delayMs: 64 * ctx.timers.t1 });
  return stay('Trying', effects);
}

/** Trying and Proceeding behave alike except for the next Timer E interval and the 1xx move. */
function active(state: 'Trying' | 'Proceeding', event: ClientEvent, ctx: TransactionContext): Result {
  switch (event.type) {
    case 'timer':
      if (event.timer === 'E') {
        // 17.1.2.2: Trying doubles up to T2; Proceeding retransmits every T2.
        const next = state === 'Trying' ? Math.min(2 * event.delayMs, ctx.timers.t2) : ctx.timers.t2;
        return stay(state, [{ type: 'retransmit' }, { type: 'startTimer', timer: 'E', delayMs: next }]);
      }
      if (event.timer === 'F') return stay('Terminated', [{ type: 'timeout', timer: 'F' }, { type: 'terminate' }]);
      return stay(state);
    case 'response': {
      const { response } = event;
      if (response.status < 200) return stay('Proceeding', [{ type: 'passResponse', response }]);
      const effects: TransactionEffect[] = [{ type: 'stopTimer', timer: 'E' }, { type: 'stopTimer', timer: 'F' }];
      // Timer K is zero on reliable transports: straight to Terminated.
      if (ctx.reliable) return stay('Terminated', [...effects, { type: 'passResponse', response }, { type: 'terminate' }]);
      effects.push({ type: 'startTimer', timer: 'K', delayMs: ctx.timers.t4 }, { type: 'passResponse', response });
      return stay('Completed', effects);
    }
    case 'transportError':
      return stay('Terminated', [{ type: 'transportError', error: event.error }, { type: 'terminate' }]);
    default:
      return stay(state);
  }
}

/** The non-INVITE client transaction machine: pure, effects executed by ClientTransaction. */
export const nonInviteClientTransaction: TransactionMachine<NonInviteClientState, ClientEvent> = {
  initial: 'Trying',
  transition(state, event, ctx) {
    if (event.type === 'start') return start(ctx);
    switch (state) {
      case 'Trying':
      case 'Proceeding':
        return active(state, event, ctx);
      case 'Completed':
        // Response retransmissions are absorbed; only Timer K matters.
        if (event.type === 'timer' && event.timer === 'K') return stay('Terminated', [{ type: 'terminate' }]);
        return stay('Completed');
      case 'Terminated':
        return stay('Terminated');
    }
  },
};
