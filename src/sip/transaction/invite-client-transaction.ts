/**
 * INVITE client transaction (RFC 3261 17.1.1, figure 5, as updated by RFC 6026 section 7.2
 * and figure 5 there, which adds the Accepted state and Timer M).
 *
 *   Calling    --1xx-->      Proceeding
 *   Calling/Proceeding --2xx--> Accepted  (Timer M = 64*T1; 2xx retransmissions go to the TU)
 *   Calling/Proceeding --300-699--> Completed (ACK sent; Timer D = 32 s unreliable, 0 reliable)
 *   Calling    --Timer B--> Terminated (TU told of the timeout)
 *   Completed  --Timer D--> Terminated; Accepted --Timer M--> Terminated
 *
 * Timer A (17.1.1.2) starts at T1 and doubles on every retransmission, without a cap; it runs
 * only on unreliable transports and only in Calling.
 */
import { isSuccess, type ClientEvent, type TransactionContext, type TransactionEffect, type TransactionMachine, type Transition } from './types.js';

export type InviteClientState = 'Calling' | 'Proceeding' | 'Accepted' | 'Completed' | 'Terminated';

type Result = Transition<InviteClientState>;

const stay = (state: InviteClientState, effects: TransactionEffect[] = []): Result => ({ state, effects });

function start(ctx: TransactionContext): Result {
  const effects: TransactionEffect[] = [{ type: 'sendRequest' }];
  // 17.1.1.2: Timer A only for unreliable transports.
  if (!ctx.reliable) effects.push({ type: 'startTimer', timer: 'A', delayMs: ctx.timers.t1 });
  effects.push({ type: 'startTimer', timer: 'B', delayMs: 64 * ctx.timers.t1 });
  return stay('Calling', effects);
}

/** Final response in Calling or Proceeding. */
function finalResponse(event: Extract<ClientEvent, { type: 'response' }>, ctx: TransactionContext): Result {
  const { response } = event;
  const stopAll: TransactionEffect[] = [
    { type: 'stopTimer', timer: 'A' },
    { type: 'stopTimer', timer: 'B' },
    { type: 'stopTimer', timer: 'CancelWait' },
  ];
  if (isSuccess(response.status)) {
    // RFC 6026 7.2: a 2xx moves to Accepted; the TU (not the transaction) ACKs it.
    return stay('Accepted', [
      ...stopAll,
      { type: 'startTimer', timer: 'M', delayMs: 64 * ctx.timers.t1 },
      { type: 'passResponse', response },
    ]);
  }
  // 17.1.1.2: 300-699 -> ACK, pass up, Completed; Timer D is zero on reliable transports.
  const effects: TransactionEffect[] = [...stopAll, { type: 'sendAck', response }];
  if (ctx.reliable) return stay('Terminated', [...effects, { type: 'passResponse', response }, { type: 'terminate' }]);
  effects.push({ type: 'startTimer', timer: 'D', delayMs: ctx.timers.timerD }, { type: 'passResponse', response });
  return stay('Completed', effects);
}

function transportError(error: Error): Result {
  // 17.1.1.2: a transport failure informs the TU and ends the transaction.
  return stay('Terminated', [{ type: 'transportError', error }, { type: 'terminate' }]);
}

function calling(event: ClientEvent, ctx: TransactionContext): Result {
  switch (event.type) {
    case 'timer':
      if (event.timer === 'A') {
        // 17.1.1.2: retransmit and double A (no cap for INVITE).
        return stay('Calling', [{ type: 'retransmit' }, { type: 'startTimer', timer: 'A', delayMs: 2 * event.delayMs }]);
      }
      if (event.timer === 'B' || event.timer === 'CancelWait') {
        return stay('Terminated', [{ type: 'timeout', timer: event.timer }, { type: 'terminate' }]);
      }
      return stay('Calling');
    case 'response':
      if (event.response.status < 200) {
        // 17.1.1.2: no more retransmissions in Proceeding; Timer B fires only in Calling (figure 5).
        return stay('Proceeding', [
          { type: 'stopTimer', timer: 'A' },
          { type: 'stopTimer', timer: 'B' },
          { type: 'passResponse', response: event.response },
        ]);
      }
      return finalResponse(event, ctx);
    case 'transportError':
      return transportError(event.error);
    default:
      return stay('Calling');
  }
}

function proceeding(event: ClientEvent, ctx: TransactionContext): Result {
  switch (event.type) {
    case 'response':
      if (event.response.status < 200) return stay('Proceeding', [{ type: 'passResponse', response: event.response }]);
      return finalResponse(event, ctx);
    case 'cancelSent':
      // RFC 3261 9.1: with no final response 64*T1 after the CANCEL, consider the INVITE cancelled.
      return stay('Proceeding', [{ type: 'startTimer', timer: 'CancelWait', delayMs: 64 * ctx.timers.t1 }]);
    case 'timer':
      if (event.timer === 'CancelWait') {
        return stay('Terminated', [{ type: 'timeout', timer: 'CancelWait' }, { type: 'terminate' }]);
      }
      return stay('Proceeding');
    case 'transportError':
      return transportError(event.error);
    default:
      return stay('Proceeding');
  }
}

function accepted(event: ClientEvent): Result {
  switch (event.type) {
    case 'response':
      // RFC 6026 7.2: further 2xx (retransmissions or other forks) go to the TU; others are discarded.
      if (isSuccess(event.response.status)) return stay('Accepted', [{ type: 'passResponse', response: event.response }]);
      return stay('Accepted');
    case 'timer':
      if (event.timer === 'M') return stay('Terminated', [{ type: 'terminate' }]);
      return stay('Accepted');
    default:
      // The ACK for a 2xx is the TU's; its transport errors are not ours.
      return stay('Accepted');
  }
}

function completed(event: ClientEvent): Result {
  switch (event.type) {
    case 'response':
      // 17.1.1.2: a retransmitted final response gets the ACK again and is not passed up.
      if (event.response.status >= 300) return stay('Completed', [{ type: 'sendAck', response: event.response }]);
      return stay('Completed');
    case 'timer':
      if (event.timer === 'D') return stay('Terminated', [{ type: 'terminate' }]);
      return stay('Completed');
    case 'transportError':
      // Figure 5: Completed --Transport Err.--> Terminated (the TU already has its final response).
      return stay('Terminated', [{ type: 'terminate' }]);
    default:
      return stay('Completed');
  }
}

/** The INVITE client transaction machine: pure, effects executed by ClientTransaction. */
export const inviteClientTransaction: TransactionMachine<InviteClientState, ClientEvent> = {
  initial: 'Calling',
  transition(state, event, ctx) {
    if (event.type === 'start') return start(ctx);
    switch (state) {
      case 'Calling':
        return calling(event, ctx);
      case 'Proceeding':
        return proceeding(event, ctx);
      case 'Accepted':
        return accepted(event);
      case 'Completed':
        return completed(event);
      case 'Terminated':
        return stay('Terminated');
    }
  },
};
