import { nextInDialogRequest } from '../../sip/dialog/index.js';
import type { DialogSide } from '../signalling/types.js';
import { q850ForCause } from './hangup-error.js';
import type { LegDeps } from './leg-deps.js';
import type { HangupCause, LegEvent } from './leg-types.js';

/**
 * Ends a leg's dialog with BYE carrying the Q.850 cause (RFC 3326); resolves once the far end
 * answered it (or it could not be sent). Nothing is sent for a dialog already gone.
 */
export function sendBye(deps: LegDeps, side: DialogSide, cause: HangupCause, legId: string): Promise<void> {
  const dialog = side.dialog;
  if (dialog === undefined || dialog.state === 'terminated') return Promise.resolve();
  const { dialog: next, request } = nextInDialogRequest(dialog, 'BYE', {
    headers: [{ name: 'Reason', value: `Q.850;cause=${q850ForCause(cause)}` }],
  });
  side.dialog = next;
  return new Promise<void>((resolve) => {
    try {
      deps.transactions.sendRequest(request, side.target, { onFinal: () => resolve() });
    } catch (err) {
      deps.logger.warn({ err, leg: legId }, 'BYE could not be sent');
      resolve();
    }
  });
}

/** A leg's event listeners: a listener that throws is logged and the others still hear the event. */
export class LegListeners {
  private readonly listeners = new Set<(e: LegEvent) => void>();

  constructor(
    private readonly deps: LegDeps,
    private readonly legId: string,
  ) {}

  add(listener: (event: LegEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: LegEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        this.deps.logger.warn({ err, leg: this.legId }, 'leg listener failed');
      }
    }
  }
}
