import { AtendeError } from '../../core/index.js';
import type { HangupCause } from './leg-types.js';

/**
 * What every pending operation of a leg rejects with once the leg has ended. A hang-up is the
 * normal end of every call, not a fault: no stack trace is captured (it was a measurable share
 * of a call's CPU).
 */
export class HangupError extends AtendeError {
  constructor(readonly hangupCause: HangupCause) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super('leg_hung_up', `the leg ended (${hangupCause})`);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

export function isHangupError(err: unknown): err is HangupError {
  return err instanceof HangupError;
}

/** The final response refusing an unanswered INVITE for a cause (RFC 3261 21). */
export function statusForCause(cause: HangupCause): number {
  switch (cause) {
    case 'busy': return 486;
    case 'no-answer': return 480;
    case 'unavailable': return 480;
    case 'rejected': return 603;
    case 'not-found': return 404;
    case 'cancelled': return 487;
    case 'shutdown': return 503;
    case 'normal': return 480;
    default: return 500;
  }
}

/** Q.850 cause values for the Reason header of a BYE (RFC 3326), as carriers log them. */
export function q850ForCause(cause: HangupCause): number {
  switch (cause) {
    case 'normal': return 16;
    case 'busy': return 17;
    case 'no-answer': return 19;
    case 'rejected': return 21;
    case 'not-found': return 1;
    case 'unavailable': return 20;
    case 'cancelled': return 16;
    case 'media-timeout': return 102;
    case 'session-expired': return 102;
    case 'ack-timeout': return 102;
    case 'shutdown': return 41;
    default: return 41;
  }
}
