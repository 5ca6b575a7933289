import { AtendeError } from '../../core/errors.js';
import type { TimerName } from './types.js';

/** A client transaction got no final response in time (Timer B, F, or 64*T1 after CANCEL); the TU sees a 408. */
export class TransactionTimeoutError extends AtendeError {
  constructor(
    readonly timer: TimerName,
    readonly method: string,
  ) {
    super('transaction_timeout', `${method} transaction timed out (timer ${timer})`);
  }
}
