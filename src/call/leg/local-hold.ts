/**
 * Holding the far end from our side (RFC 3264 8.4, RFC 6337 5): a re-INVITE offering
 * a=sendonly, then music on hold from a folder in a loop; unhold stops the music and offers
 * a=sendrecv again. Hold and unhold run one at a time, in the order asked.
 */
import type { DialogSide } from '../signalling/types.js';
import type { LegMedia } from '../media/leg-media.js';
import type { LegDeps } from './leg-deps.js';
import type { EndSignal } from './leg-end.js';
import { ReinviteError, sendReinvite } from './reinvite.js';

export interface LocalHoldContext {
  deps: LegDeps;
  media: () => LegMedia | undefined;
  /** The answered dialog, once there is one. */
  side: () => DialogSide | undefined;
  ownsCallId: boolean;
  /** Aborted when the leg ends. */
  signal: EndSignal;
  /** The far end says the dialog is gone (408/481 to our re-INVITE): end the leg. */
  onDialogGone: () => void;
  legId: string;
}

export class LocalHold {
  private held = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: LocalHoldContext) {}

  get holding(): boolean {
    return this.held;
  }

  hold(musicFolder?: string): Promise<void> {
    return this.serialise(async () => {
      if (this.held) return;
      await this.offer('sendonly');
      this.held = true;
      const media = this.ctx.media();
      if (musicFolder !== undefined && media !== undefined) {
        // Music until unhold (stopPlay) or the end of the leg; a broken folder is logged, the hold stays.
        void media.play([{ kind: 'folder', path: musicFolder }], { loop: true }).then(
          (r) => {
            if (r.reason === 'error') this.ctx.deps.logger.warn({ leg: this.ctx.legId, musicFolder }, 'music on hold could not play');
          },
          (err: unknown) => this.ctx.deps.logger.warn({ err, leg: this.ctx.legId, musicFolder }, 'music on hold could not start'),
        );
      }
    });
  }

  unhold(): Promise<void> {
    return this.serialise(async () => {
      if (!this.held) return;
      const media = this.ctx.media();
      await media?.stopPlay().catch(() => undefined);
      await this.offer('sendrecv');
      this.held = false;
    });
  }

  private serialise(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Offers `direction` in a re-INVITE and applies the answer; on refusal the session stays as it was. */
  private async offer(direction: 'sendonly' | 'sendrecv'): Promise<void> {
    const media = this.ctx.media();
    const side = this.ctx.side();
    if (media === undefined || side === undefined) throw new ReinviteError(0, 'the leg is not answered');
    media.direction = direction;
    const sdp = media.offer();
    let res;
    try {
      res = await sendReinvite(this.ctx.deps, side, sdp, { ownsCallId: this.ctx.ownsCallId, signal: this.ctx.signal });
    } catch (err) {
      media.abandonOffer();
      throw err;
    }
    if (res.status < 200 || res.status >= 300) {
      media.abandonOffer();
      // RFC 3261 14.1: a 481 or 408 to a re-INVITE means the dialog is gone.
      if (res.status === 408 || res.status === 481) this.ctx.onDialogGone();
      throw new ReinviteError(res.status, `re-INVITE (${direction}) refused: ${res.status} ${res.reason}`);
    }
    const applied = res.body.length > 0 ? await media.answered(res.body.toString('utf8')) : { ok: false as const, reason: 'no SDP in the 2xx' };
    if (!applied.ok) {
      media.abandonOffer();
      throw new ReinviteError(res.status, `answer to our re-INVITE not usable: ${applied.reason}`);
    }
  }
}
