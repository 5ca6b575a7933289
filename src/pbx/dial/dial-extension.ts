/**
 * Calling an extension, what Asterisk's Dial() does: ring every registered device of the
 * extension at once (originate), let the caller hear the ringing (180, or the callee's early
 * media through a 183 of ours), answer the caller when a device answers and bridge the two
 * legs' media until either hangs up. A busy, unanswered or refusing callee is reported to the
 * caller with the matching status; a caller who gives up cancels the devices. Either party
 * may then transfer the other to another extension (REFER, call-transfer.ts).
 */
import {
  endpointKindForOffer,
  mediaKindForForks,
  relayableVideoSections,
  LegEnd,
  isOriginateError,
  originate,
  partyOf,
  type ForkTarget,
  type InboundLeg,
  type LegDeps,
  type OutboundLeg,
  type Party,
} from '../../call/index.js';
import { bridgeWithTransfers, workerOfCallsWith, type TransferTargetResolver } from './call-transfer.js';

export interface DialRequest {
  /** The calling leg, not yet answered. */
  caller: InboundLeg;
  /** Who the callee sees calling (our identity for the caller: its extension and name). */
  from: Party;
  /** The called address written in To. */
  toUri: string;
  forks: ForkTarget[];
  /** How long the devices ring before the caller hears 480 (Asterisk's Dial timeout). */
  ringTimeoutMs: number;
  /**
   * Finds the extension a party's REFER names (blind transfer, call-transfer.ts); without it
   * REFERs get 603 Decline. Transfer targets ring for `ringTimeoutMs` too.
   */
  transferTarget?: TransferTargetResolver;
  /**
   * Record the call (the caller on the left channel, the callee on the right): the file of
   * each stretch between transfers; see recording-path.ts.
   */
  recordPath?: (stretch: number) => string;
}

export async function dialExtension(deps: LegDeps, req: DialRequest): Promise<void> {
  const { caller } = req;
  // Both legs' endpoints open at once, in one worker (they are bridged there): one media
  // round trip less before the callee's INVITE goes out. That worker is the one of a call either
  // extension is already in (an attendant's consultation call, for an attended transfer).
  // The callee's number as its leg will show it (OutboundLeg.to).
  const numbers = [req.from.number, partyOf(`<${req.toUri}>`).number].filter((n): n is string => n !== undefined);
  const worker = workerOfCallsWith(deps, numbers) ?? deps.media.pool.pickWorker();
  const callerMedia = caller.ensureMedia(worker);
  // The devices stop ringing when the caller gives up or its endpoint cannot open.
  const attempt = new LegEnd();
  const stopRinging = (): void => attempt.end('caller gone');
  caller.signal.addEventListener('abort', stopRinging, { once: true });
  callerMedia.catch(stopRinging);
  // Video between two plain-RTP phones is relayed untouched (their m=video lines pass through
  // and the video flows phone to phone); Atende anchors the audio only.
  const offer = caller.tx.request.body.toString('utf8');
  const video = offer !== '' && endpointKindForOffer(offer) === 'rtp' && mediaKindForForks(req.forks) === 'rtp'
    ? relayableVideoSections(offer) : [];
  let earlyRelay = false;
  // The early ringing and media relay, awaited before the bridge: a 2xx right after the 183
  // must not overtake it (the relay would then exist twice).
  let early: Promise<void> = Promise.resolve();
  let callee: OutboundLeg;
  try {
    callee = await originate(deps, { toUri: req.toUri, forks: req.forks }, {
      ...(video.length > 0 ? { relaySections: video.map((v) => v.text) } : {}),
      from: req.from,
      timeoutMs: req.ringTimeoutMs,
      signal: attempt,
      near: { worker },
      onEarly: (leg) => {
        const earlyMedia = leg.hasEarlyMedia;
        // The caller is answered in the callee's codec when it offered it: the bridge then
        // copies packets instead of transcoding them.
        early = caller
          .ring({ earlyMedia, preferCodec: leg.audioCodec })
          .then(async () => {
            const a = caller.endpointId;
            const b = leg.endpointId;
            if (!earlyMedia || a === undefined || b === undefined || leg.state !== 'early') return;
            await caller.mediaConnector.connect(a, b);
            earlyRelay = true;
          })
          .catch(() => undefined);
      },
    });
  } catch (err) {
    // No endpoint for the caller: that error, as when it was opened first.
    await callerMedia;
    if (!isOriginateError(err)) throw err;
    // The caller gave up (cancelled): its leg has already ended.
    if (!caller.signal.aborted) await caller.hangup(err.cause);
    return;
  } finally {
    caller.signal.removeEventListener('abort', stopRinging);
  }
  try {
    await callerMedia;
  } catch (err) {
    await callee.hangup('normal');
    throw err;
  }
  await early;
  // Our offer to the callee had audio first, then the caller's video sections in order.
  const answers = callee.relayedAnswers;
  const passthrough = video.flatMap((v, k) => {
    const answered = answers.find((a) => a.index === k + 1);
    return answered !== undefined ? [{ index: v.index, text: answered.text }] : [];
  });
  try {
    await caller.answer({ passthrough, preferCodec: callee.audioCodec });
  } catch (err) {
    await callee.hangup('normal');
    throw err;
  }
  // The early media relay becomes the call's bridge: take it down and set it up again.
  if (earlyRelay && caller.endpointId !== undefined) await caller.mediaConnector.disconnect(caller.endpointId).catch(() => undefined);
  const policy = req.transferTarget !== undefined ? { resolve: req.transferTarget, ringTimeoutMs: req.ringTimeoutMs } : undefined;
  await bridgeWithTransfers(deps, { leg: caller, party: req.from }, { leg: callee, party: callee.to }, policy, req.recordPath);
}
