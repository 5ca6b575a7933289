import type { CallSignallingDeps } from '../signalling/types.js';
import type { LegMediaConfig } from '../media/leg-media.js';
import type { Dialog } from '../../sip/dialog/index.js';
import type { SipRequest } from '../../sip/message/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';

/** What the registry needs to know of a leg to route its requests (kept here to avoid an import cycle). */
export interface RoutableLeg {
  /** The INVITE we received (inbound legs): a CANCEL names it. */
  readonly tx?: ServerTransaction;
  readonly dialog: Dialog | undefined;
  onRequest(req: SipRequest, tx: ServerTransaction): void;
  onAck(ack: SipRequest): void;
  onCancel?(cancel: SipRequest, tx: ServerTransaction): void;
  hangup(cause: 'shutdown'): Promise<void>;
  /** Resolves once the leg's BYE (if any) has been answered and its media released. */
  settled?(): Promise<void>;
}

/** Where legs announce themselves so requests inside their dialogs reach them. */
export interface LegTracker {
  track(leg: RoutableLeg): void;
  forget(leg: RoutableLeg): void;
}

/** What a leg needs: the SIP stack (as the B2BUA does), the media workers, and the registry routing its dialog's requests. */
export interface LegDeps extends CallSignallingDeps {
  media: LegMediaConfig;
  registry: LegTracker;
}
