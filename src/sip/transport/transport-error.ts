import { AtendeError } from '../../core/errors.js';

/** A message could not be sent (RFC 3261 8.1.3.1: the transaction user sees a 503). */
export class TransportError extends AtendeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('transport_error', message, options);
  }
}
