/**
 * What an inbound and an outbound leg do the same way on their media endpoint: play, collect,
 * send digits, echo, record (pause, resume, stop), hold and unhold, quality, transfer and
 * REFERs received. Every operation rejects with a HangupError once the leg has ended. The legs
 * differ in how the endpoint comes to be (an inbound leg opens it on first use, an outbound
 * leg before its INVITE) and in their signalling, which stay theirs.
 */
import type { LegMedia } from '../media/leg-media.js';
import type { AudioCodecName } from '../../sdp/index.js';
import { LegListeners } from './leg-bye.js';
import { LegEnd, type EndSignal } from './leg-end.js';
import type { LegDeps } from './leg-deps.js';
import { LegOperations } from './leg-operations.js';
import { LegRecorder } from './leg-recorder.js';
import type {
  CollectOptions, HangupCause, LegEvent, LegRecording, LegState, LegStats, PlayItem, PlayOptions, PlayResult, RecordOptions, ReferHandler,
  TransferOptions,
} from './leg-types.js';
import type { LocalHold } from './local-hold.js';
import { ReinviteError } from './reinvite.js';
import type { ReferIssuer } from './refer-issuer.js';
import type { ReferRecipient } from './refer-recipient.js';

export abstract class AnchoredLeg {
  readonly id: string;
  protected readonly ctl = new LegEnd();
  protected readonly listeners: LegListeners;
  protected readonly ops: LegOperations;
  protected readonly recorder: LegRecorder;
  protected legState: LegState = 'offered';
  /** Set once, when the leg ends. */
  protected endCause: HangupCause | undefined;
  protected abstract readonly localHold: LocalHold;
  protected abstract readonly referRecipient: ReferRecipient;
  protected abstract readonly referIssuer: ReferIssuer;

  protected constructor(protected readonly deps: LegDeps) {
    this.id = deps.random.token(9);
    this.listeners = new LegListeners(deps, this.id);
    this.ops = new LegOperations(deps.clock, this.ctl, () => this.endCause);
    this.recorder = new LegRecorder(deps.clock, deps.media.pool, this.ctl);
  }

  /** The endpoint for an operation (opened on demand where the leg allows); HangupError once ended. */
  protected abstract mediaForOperation(): Promise<LegMedia>;

  /** The endpoint if there is one, without opening it. */
  protected abstract currentMedia(): LegMedia | undefined;

  /** The audio codec negotiated with the far end, once there is one. */
  get audioCodec(): AudioCodecName | undefined {
    return this.currentMedia()?.audioCodec;
  }

  get state(): LegState {
    return this.legState;
  }

  get signal(): EndSignal {
    return this.ctl;
  }

  on(listener: (event: LegEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  async play(what: PlayItem | PlayItem[], opts: PlayOptions = {}): Promise<PlayResult> {
    const media = await this.mediaForOperation();
    return this.ops.abortable(media.play(Array.isArray(what) ? what : [what], opts));
  }

  collect(opts: CollectOptions): Promise<string> {
    return this.ops.collect(opts, (items, o) => this.play(items, o));
  }

  async sendDigit(digit: string, durationMs?: number): Promise<void> {
    const media = await this.mediaForOperation();
    await this.ops.abortable(media.sendDigit(digit, durationMs));
  }

  async echo(): Promise<void> {
    const media = await this.mediaForOperation();
    await this.ops.abortable(media.echo());
  }

  async record(opts: RecordOptions): Promise<LegRecording> {
    const media = await this.mediaForOperation();
    return this.recorder.record(media.endpointId, opts, (items, o) => this.play(items, o));
  }

  stopRecording(): Promise<void> {
    return this.recorder.stop();
  }

  pauseRecording(): Promise<void> {
    return this.recorder.pause();
  }

  resumeRecording(): Promise<void> {
    return this.recorder.resume();
  }

  get holding(): boolean {
    return this.localHold.holding;
  }

  async hold(musicFolder?: string): Promise<void> {
    this.assertAnswered();
    await this.ops.abortable(this.localHold.hold(musicFolder));
  }

  async unhold(): Promise<void> {
    this.assertAnswered();
    await this.ops.abortable(this.localHold.unhold());
  }

  async stats(): Promise<LegStats> {
    const media = await this.mediaForOperation();
    return this.ops.abortable(media.stats());
  }

  /** The quality the endpoint last reported (kept after the leg ended, for the call record). */
  get lastStats(): LegStats | undefined {
    return this.currentMedia()?.lastStats;
  }

  async transfer(targetUri: string, opts?: TransferOptions): Promise<void> {
    this.ops.assertLive();
    await this.ops.abortable(this.referIssuer.transfer(targetUri, opts));
  }

  onRefer(handler: ReferHandler, opts: { attended?: boolean } = {}): () => void {
    return this.referRecipient.setHandler(handler, opts.attended === true);
  }

  protected get answeredNow(): boolean {
    return this.legState === 'answered' || this.legState === 'held';
  }

  protected assertAnswered(): void {
    this.ops.assertLive();
    if (!this.answeredNow) throw new ReinviteError(0, 'hold needs an answered leg');
  }

  protected deliverDigit(digit: string, source: 'rfc4733' | 'inband' | 'info'): void {
    if (this.ops.deliverDigit(digit, source)) this.emit({ type: 'dtmf', digit });
  }

  protected emit(event: LegEvent): void {
    this.listeners.emit(event);
  }
}
