/**
 * Blind transfer of a call between extensions (RFC 5589 6, as Asterisk and FreeSWITCH do it):
 * either party of a bridged call sends REFER naming one of our extensions. We answer 202, take
 * the bridge down, play ringback to the other party (the transferee) and ring the target's
 * devices. When the target answers, the transferor's NOTIFY says 200 and its leg gets our BYE;
 * the transferee is bridged with the target (who may transfer again). When the target is busy
 * or does not answer, the NOTIFY carries that status (486, 480...) and then:
 *   - the transferor still on the line: the two are bridged again (the phone shows the failure
 *     and can take the call back, RFC 5589 6's "transferor may reconnect");
 *   - the transferor gone: the transferee hears a busy tone for a few seconds and is hung up
 *     (there is nobody left to reconnect with; Asterisk leaves the transferee with the failure).
 * A transferee who hangs up while the target rings cancels it (NOTIFY 487) and ends the call.
 *
 * Attended transfer (RFC 5589 7, RFC 3891): the transferor talked to the target first in a
 * second call through us and sends REFER with Replaces naming its leg of that call. We take
 * the target out of that call, NOTIFY 200, hang up both of the transferor's legs and bridge
 * the transferee with the target. A Replaces naming no call of ours gets 481. The two calls
 * share a media worker when they were set up between extensions (workerOfCallsWith); when they
 * do not (a call that came in from outside, say), the REFER gets 501 and both calls go on.
 */
import {
  LegEnd,
  bridge,
  isOriginateError,
  originate,
  statusForCause,
  type ForkTarget,
  type HangupCause,
  type IncomingRefer,
  type Leg,
  type LegDeps,
  type OutboundLeg,
  type Party,
} from '../../call/index.js';
import { defaultReason } from '../../sip/message/index.js';
import { RunningCalls, type CallParty, type RunningCall } from './running-calls.js';
import { sharedMediaWorker } from './shared-media-worker.js';

export type { CallParty } from './running-calls.js';

/** The devices a transfer rings: one of our extensions. */
export interface TransferTarget {
  /** The called address written in To, e.g. `sip:1003@atende.local`. */
  toUri: string;
  forks: ForkTarget[];
}

/** Resolves a Refer-To to one of our extensions, or undefined (the REFER then gets 404). */
export type TransferTargetResolver = (target: { user: string | undefined; host: string | undefined; uri: string }) => TransferTarget | undefined;

export interface TransferPolicy {
  resolve: TransferTargetResolver;
  /** How long the target's devices ring. */
  ringTimeoutMs: number;
  /** How long the transferee hears busy tone before we hang up, when the transfer failed and the transferor is gone. */
  failureToneMs?: number;
}

const DEFAULT_FAILURE_TONE_MS = 3000;

/** The calls bridged by this module, per leg registry (one per server): attended transfers search them. */
const runningCalls = new WeakMap<object, RunningCalls>();

function callsOf(deps: LegDeps): RunningCalls {
  let calls = runningCalls.get(deps.registry);
  if (calls === undefined) {
    calls = new RunningCalls();
    runningCalls.set(deps.registry, calls);
  }
  return calls;
}

/** The media worker a new call of `numbers` (extensions, the caller first) shares, if any: sharedMediaWorker. */
export function workerOfCallsWith(deps: LegDeps, numbers: readonly string[]): number | undefined {
  const calls = callsOf(deps);
  return sharedMediaWorker(numbers, (number) => calls.partyCalls(number, (endpoint) => deps.media.pool.workerOf(endpoint)));
}

/** The running call and leg whose dialog a Replaces names (to-tag ours; either order accepted, phones differ). */
function findReplaced(deps: LegDeps, r: NonNullable<IncomingRefer['replaces']>): { call: RunningCall; leg: Leg } | undefined {
  for (const call of callsOf(deps)) {
    for (const { leg } of call.parties()) {
      const id = leg.dialogId;
      if (id === undefined || id.callId !== r.callId) continue;
      if ((id.localTag === r.toTag && id.remoteTag === r.fromTag) || (id.localTag === r.fromTag && id.remoteTag === r.toTag)) return { call, leg };
    }
  }
  return undefined;
}

type TransferRequest =
  | { kind: 'blind'; transferor: CallParty; transferee: CallParty; refer: IncomingRefer; target: TransferTarget }
  | { kind: 'attended'; transferor: CallParty; transferee: CallParty; refer: IncomingRefer; replaced: Leg; target: CallParty; targetFree: Promise<void> };

/**
 * Bridges `a` and `b` until the call ends, carrying out the blind and attended transfers either
 * party asks for on the way (each re-bridges the remaining party with the target). Without a
 * policy it is a plain bridge (REFERs get 603 Decline).
 */
export async function bridgeWithTransfers(
  deps: LegDeps,
  a: CallParty,
  b: CallParty,
  policy: TransferPolicy | undefined,
  /** Records each bridged stretch of the call (0 before any transfer, 1 after the first...). */
  recordPath?: (stretch: number) => string,
): Promise<void> {
  let pair: [CallParty, CallParty] | undefined = [a, b];
  const calls = callsOf(deps);
  for (let stretch = 0; pair !== undefined; stretch++) {
    const [x, y] = pair;
    const stop = new LegEnd();
    let request: TransferRequest | undefined;
    let released = false;
    let bridgeDown: () => void = () => undefined;
    const self: RunningCall = {
      down: new Promise<void>((resolve) => {
        bridgeDown = resolve;
      }),
      parties: () => [x, y],
      release: (leg) => {
        const other = leg === x.leg ? y : leg === y.leg ? x : undefined;
        if (other === undefined || request !== undefined || released) return undefined;
        released = true;
        stop.end('stopped');
        return other;
      },
    };
    const take = (transferor: CallParty, transferee: CallParty) => (refer: IncomingRefer): void => {
      if (request !== undefined || released || policy === undefined) {
        refer.reject(491, 'Request Pending');
        return;
      }
      if (refer.replaces !== undefined) {
        const found = findReplaced(deps, refer.replaces);
        if (found === undefined || found.call === self) {
          refer.reject(481, 'Call/Transaction Does Not Exist');
          return;
        }
        const [p, q] = found.call.parties();
        const facing = p.leg === found.leg ? q : p;
        if (!sameWorker(deps, transferee.leg, facing.leg)) {
          deps.logger.info({ transferee: transferee.leg.id, target: facing.leg.id }, 'attended transfer across media workers is not supported');
          refer.reject(501, 'Not Implemented');
          return;
        }
        const target = found.call.release(found.leg);
        if (target === undefined) {
          refer.reject(491, 'Request Pending');
          return;
        }
        refer.accept();
        request = { kind: 'attended', transferor, transferee, refer, replaced: found.leg, target, targetFree: found.call.down };
        stop.end('stopped');
        return;
      }
      const target = policy.resolve({ user: refer.targetUser, host: refer.targetHost, uri: refer.target });
      if (target === undefined) {
        refer.reject(404, 'Not Found');
        return;
      }
      refer.accept();
      request = { kind: 'blind', transferor, transferee, refer, target };
      stop.end('stopped');
    };
    const offX = policy !== undefined ? x.leg.onRefer(take(x, y), { attended: true }) : undefined;
    const offY = policy !== undefined ? y.leg.onRefer(take(y, x), { attended: true }) : undefined;
    calls.add(self);
    let stopped: boolean;
    try {
      const record = recordPath !== undefined ? { record: { path: recordPath(stretch) } } : {};
      stopped = (await bridge(x.leg, y.leg, { stop, ...record })).endedBy === 'stopped';
    } finally {
      calls.delete(self);
      bridgeDown();
      offX?.();
      offY?.();
    }
    // Released: an attended transfer in another call carries on with our remaining party.
    if (!stopped || released || request === undefined || policy === undefined) return;
    pair = request.kind === 'blind' ? await blindTransfer(deps, request, policy) : await completeAttended(request);
  }
}

/** Both endpoints in one media worker: only then can they be relayed. */
function sameWorker(deps: LegDeps, a: Leg, b: Leg): boolean {
  const ea = a.endpointId;
  const eb = b.endpointId;
  if (ea === undefined || eb === undefined) return false;
  const wa = deps.media.pool.workerOf(ea);
  return wa !== undefined && wa === deps.media.pool.workerOf(eb);
}

/** The target was taken from its call: report success, end both of the transferor's legs, bridge the rest. */
async function completeAttended(req: Extract<TransferRequest, { kind: 'attended' }>): Promise<[CallParty, CallParty] | undefined> {
  const { transferor, transferee, refer, replaced, target } = req;
  await req.targetFree;
  await refer.report(200, 'OK');
  await Promise.all([transferor.leg, replaced].filter((l) => !l.signal.aborted).map((l) => l.hangup('normal')));
  if (target.leg.signal.aborted) {
    if (!transferee.leg.signal.aborted) await transferee.leg.hangup('normal');
    return undefined;
  }
  return [transferee, target];
}

/** Carries out one accepted transfer; resolves with the pair to bridge next, or undefined when the call is over. */
async function blindTransfer(deps: LegDeps, req: Extract<TransferRequest, { kind: 'blind' }>, policy: TransferPolicy): Promise<[CallParty, CallParty] | undefined> {
  const { transferor, transferee, refer, target } = req;
  deps.logger.info({ transferor: transferor.leg.id, transferee: transferee.leg.id, to: target.toUri, referredBy: refer.referredBy }, 'blind transfer');
  // While the target rings, a second REFER (from the transferee) waits its turn: 491.
  const offBusy = transferee.leg.onRefer((r) => r.reject(491, 'Request Pending'));
  const near = transferee.leg.endpointId;
  const ringing = startRingback(deps, transferee.leg);
  let answered: OutboundLeg | undefined;
  let failure: { status: number; cause: HangupCause } = { status: 500, cause: 'failed' };
  try {
    answered = await originate(deps, target, {
      from: transferee.party,
      timeoutMs: policy.ringTimeoutMs,
      signal: transferee.leg.signal,
      ...(near !== undefined ? { near } : {}),
      onEarly: () => void refer.report(180, 'Ringing'),
    });
  } catch (err) {
    if (!isOriginateError(err)) throw err;
    const status = err.status ?? statusForCause(err.cause);
    failure = { status, cause: err.cause };
  } finally {
    offBusy();
    await ringing.stop();
  }
  if (answered !== undefined) {
    await refer.report(200, 'OK');
    if (!transferor.leg.signal.aborted) await transferor.leg.hangup('normal');
    return [transferee, { leg: answered, party: answered.to }];
  }
  await refer.report(failure.status, defaultReason(failure.status));
  if (transferee.leg.signal.aborted) {
    // The transferee gave up: the call is over for the transferor too.
    if (!transferor.leg.signal.aborted) await transferor.leg.hangup('normal');
    return undefined;
  }
  if (!transferor.leg.signal.aborted) return [transferor, transferee];
  await transferee.leg.play({ kind: 'tone', tone: 'busy', durationMs: policy.failureToneMs ?? DEFAULT_FAILURE_TONE_MS }).catch(() => undefined);
  await transferee.leg.hangup(failure.cause);
  return undefined;
}

/** Ringback to the transferee (looped) until stopped; a leg that ended meanwhile is no error. */
function startRingback(deps: LegDeps, leg: Leg): { stop(): Promise<void> } {
  // Not awaited: the play ends when stopped (or with the leg); a lost playDone must not hold the transfer up.
  void leg.play({ kind: 'tone', tone: 'ringback' }, { loop: true }).catch(() => undefined);
  return {
    async stop() {
      const endpoint = leg.endpointId;
      if (endpoint !== undefined && !leg.signal.aborted) await deps.media.pool.stopPlay(endpoint).catch(() => undefined);
    },
  };
}
