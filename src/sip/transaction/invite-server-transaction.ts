/**
 * INVITE server transaction (RFC 3261 17.2.1, figure 7, as updated by RFC 6026 section 7.1
 * and figure 7 there, which adds the Accepted state and Timer L).
 *
 *   Proceeding --TU 1xx--> Proceeding (sent); 100 Trying sent by us after 200 ms of TU silence
 *   Proceeding --TU 2xx--> Accepted  (Timer L = 64*T1; the TU retransmits its 2xx through us,
 *                                      INVITE retransmissions absorbed, ACKs passed to the TU)
 *   Proceeding --TU 300-699--> Completed (Timer G = T1 doubling to T2 if unreliable, H = 64*T1)
 *   Completed  --ACK--> Confirmed (Timer I = T4 unreliable, 0 reliable)
 *   Completed  --Timer H--> Terminated (TU told: the ACK never came)
 *   Confirmed  --Timer I--> Terminated; Accepted --Timer L--> Terminated
 */
import { isSuccess, type ServerEvent, type TransactionContext, type TransactionEffect, type TransactionMachine, type Transition } from './types.js';

export type InviteServerState = 'Proceeding' | 'Completed' | 'Confirmed' | 'Accepted' | 'Terminated';

type Result = Transition<InviteServerState>;

const stay = (state: InviteServerState, effects: TransactionEffect[] = []): Result => ({ state, effects });

const terminateOnTransportError = (error: Error): Result =>
  stay('Terminated', [{ type: 'transportError', error }, { type: 'terminate' }]);

function proceeding(event: ServerEvent, ctx: TransactionContext): Result {
  switch (event.type) {
    case 'timer':
      // 17.2.1: a 100 Trying unless the TU answers within 200 ms (any TU response stops this timer).
      if (event.timer === 'Trying') return stay('Proceeding', [{ type: 'sendTrying' }]);
      return stay('Proceeding');
    case 'request':
      // 17.2.1: a retransmitted INVITE gets the latest provisional again (nothing if none was sent yet).
      return stay('Proceeding', [{ type: 'retransmit' }]);
    case 'tuResponse': {
      const { response } = event;
      const effects: TransactionEffect[] = [{ type: 'stopTimer', timer: 'Trying' }, { type: 'sendResponse', response }];
      if (response.status < 200) return stay('Proceeding', effects);
      if (isSuccess(response.status)) {
        // RFC 6026 7.1: Accepted absorbs INVITE retransmissions while the TU retransmits its 2xx.
        return stay('Accepted', [...effects, { type: 'startTimer', timer: 'L', delayMs: 64 * ctx.timers.t1 }]);
      }
      if (!ctx.reliable) effects.push({ type: 'startTimer', timer: 'G', delayMs: ctx.timers.t1 });
      effects.push({ type: 'startTimer', timer: 'H', delayMs: 64 * ctx.timers.t1 });
      return stay('Completed', effects);
    }
    case 'transportError':
      return terminateOnTransportError(event.error);
    default:
      return stay('Proceeding');
  }
}

function completed(event: ServerEvent, ctx: TransactionContext): Result {
  switch (event.type) {
    case 'request':
      return stay('Completed', [{ type: 'retransmit' }]);
    case 'timer':
      if (event.timer === 'G') {
        // 17.2.1: G doubles up to T2.
        return stay('Completed', [
          { type: 'retransmit' },
          { type: 'startTimer', timer: 'G', delayMs: Math.min(2 * event.delayMs, ctx.timers.t2) },
        ]);
      }
      if (event.timer === 'H') return stay('Terminated', [{ type: 'timeout', timer: 'H' }, { type: 'terminate' }]);
      return stay('Completed');
    case 'ack': {
      // 17.2.1: the ACK for a non-2xx is absorbed here; Timer I is zero on reliable transports.
      const effects: TransactionEffect[] = [{ type: 'stopTimer', timer: 'G' }, { type: 'stopTimer', timer: 'H' }];
      if (ctx.reliable) return stay('Terminated', [...effects, { type: 'terminate' }]);
      return stay('Confirmed', [...effects, { type: 'startTimer', timer: 'I', delayMs: ctx.timers.t4 }]);
    }
    case 'transportError':
      return terminateOnTransportError(event.error);
    default:
      return stay('Completed');
  }
}

function accepted(event: ServerEvent): Result {
  switch (event.type) {
    case 'tuResponse':
      // RFC 6026 7.1: the TU's 2xx retransmissions go out through the transaction; nothing else does.
      if (isSuccess(event.response.status)) return stay('Accepted', [{ type: 'sendResponse', response: event.response }]);
      return stay('Accepted');
    case 'ack':
      return stay('Accepted', [{ type: 'passAck', ack: event.ack }]);
    case 'timer':
      if (event.timer === 'L') return stay('Terminated', [{ type: 'terminate' }]);
      return stay('Accepted');
    case 'transportError':
      return terminateOnTransportError(event.error);
    default:
      // INVITE retransmissions are absorbed (RFC 6026 8.5).
      return stay('Accepted');
  }
}

/** The INVITE server transaction machine: pure, effects executed by ServerTransaction. */
export const inviteServerTransaction: TransactionMachine<InviteServerState, ServerEvent> = {
  initial: 'Proceeding',
  transition(state, event, ctx) {
    if (event.type === 'start') {
      return stay('Proceeding', [{ type: 'startTimer', timer: 'Trying', delayMs: ctx.timers.tryingDelay }]);
    }
    switch (state) {
      case 'Proceeding':
        return proceeding(event, ctx);
      case 'Completed':
        return completed(event, ctx);
      case 'Confirmed':
        // ACKs absorbed until Timer I.
        if (event.type === 'timer' && event.timer === 'I') return stay('Terminated', [{ type: 'terminate' }]);
        return stay('Confirmed');
      case 'Accepted':
        return accepted(event);
      case 'Terminated':
        return stay('Terminated');
    }
  },
};
