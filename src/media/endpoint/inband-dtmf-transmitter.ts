/**
 * Sends digits as in-band audio when the far end did not negotiate telephone-event: the Q.23
 * tone pair (row -8 dBm0, column +2 dB twist, as dtmfTones makes it) for the key press length,
 * then GAP_MS of silence so two equal digits in a row stay two, encoded in the endpoint's
 * codec and paced by the Clock one packet per ptime. Packets are one synthetic source (own
 * SSRC, sequence, timestamp) that the endpoint's stream rewriter splices in, like RFC 4733
 * events.
 *
 * While a digit (and its gap) goes out the endpoint mutes relayed and generated audio: the
 * relay resumes after it, and a play running on the endpoint is not ended, it keeps running
 * underneath and only its audio of that stretch is lost (the choice RFC 4733 digits already
 * make; a play replacing it would have ended it). The digit's promise resolves when its tone
 * has been sent (about the key press length); the gap follows before the next digit.
 */
import type { Clock, RandomSource, TimerHandle } from '../../core/index.js';
import { CODECS, createEncoder, samplesPerPacket, timestampTicks, type CodecEncoder } from '../codec/index.js';
import { RTP_FIXED_HEADER_LENGTH, RtpSender } from '../rtp/index.js';
import { ToneGenerator, dtmfTones } from '../tone/index.js';
import { DigitQueue } from './digit-queue.js';
import type { RemoteDescription } from './endpoint-types.js';

/** Silence after each digit (Q.24 asks at least 40 ms between digits). */
export const INBAND_DTMF_GAP_MS = 60;

/** Where the packets go; `first` is the first packet of a digit (a new talkspurt). */
export type InbandPacketSink = (packet: Buffer, length: number, first: boolean) => void;


export class InbandDtmfTransmitter {
  private readonly queue = new DigitQueue();
  private generator: ToneGenerator | undefined;
  private encoder: CodecEncoder | undefined;
  private sender: RtpSender | undefined;
  private configured: Readonly<RemoteDescription> | undefined;
  private pcm = new Int16Array(0);
  private ticks = 0;
  private ptime = 20;
  private tonePackets = 0;
  private totalPackets = 0;
  private index = 0;
  private startedAt = 0;
  private timer: TimerHandle | undefined;
  private closed = false;
  /** The current digit's tone is out (its promise resolved; the gap may still be going). */
  private toneDone = false;
  /** Digits whose tone was fully sent. */
  sentDigits = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly sink: InbandPacketSink,
    /** The endpoint's current remote description (its codec and ptime). */
    private readonly remoteOf: () => Readonly<RemoteDescription> | undefined,
  ) {}

  /** True while a digit or its trailing gap is being sent (other audio is muted then). */
  get active(): boolean {
    return this.queue.current !== undefined;
  }

  /** Queues one digit; resolves when its tone was sent. */
  send(digit: string, durationMs: number): Promise<void> {
    return this.queue.enqueue(digit, durationMs, () => this.startNext());
  }

  /** Stops sending and fails the digits not sent yet; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.queue.close();
    this.encoder?.close();
    this.encoder = undefined;
  }

  private startNext(): void {
    const next = this.queue.next();
    this.toneDone = false;
    if (!next) return;
    const remote = this.remoteOf();
    if (!remote) {
      next.done(new Error('no remote description yet'));
      this.startNext();
      return;
    }
    this.configure(remote);
    const rate = CODECS[remote.codec].sampleRate;
    this.generator = new ToneGenerator(dtmfTones([next.digit], { onMs: next.durationMs, offMs: 0 }), rate);
    this.tonePackets = Math.ceil(next.durationMs / this.ptime);
    this.totalPackets = this.tonePackets + Math.ceil(INBAND_DTMF_GAP_MS / this.ptime);
    this.index = 0;
    this.startedAt = this.clock.monotonic();
    this.sendDue();
  }

  private sendDue(): void {
    this.timer = undefined;
    if (this.closed || !this.queue.current) return;
    const elapsed = this.clock.monotonic() - this.startedAt;
    // Paced from the digit's start, so a late timer catches up instead of drifting.
    while (this.index < this.totalPackets && this.index * this.ptime <= elapsed) {
      if (this.index === this.tonePackets) this.toneSent();
      this.sendPacket(this.index < this.tonePackets);
      this.index++;
    }
    if (this.index < this.totalPackets) {
      this.timer = this.clock.setTimer(this.index * this.ptime - elapsed, () => this.sendDue());
      return;
    }
    this.toneSent();
    this.queue.current = undefined;
    this.startNext();
  }

  /** The tone is out (the gap's first packet is due): the digit's promise resolves. */
  private toneSent(): void {
    if (this.toneDone) return;
    this.toneDone = true;
    this.sentDigits++;
    this.queue.current?.done();
  }

  private sendPacket(tone: boolean): void {
    const pcm = this.pcm;
    if (tone) this.generator!.fill(pcm);
    else pcm.fill(0);
    const payload = this.encoder!.encode(pcm);
    // A fresh buffer per packet: digits are rare, and a send may still hold the previous one.
    const out = Buffer.allocUnsafe(RTP_FIXED_HEADER_LENGTH + payload.length);
    const length = this.sender!.writeNext(payload, this.ticks, out);
    this.sink(out, length, this.index === 0);
  }

  /** (Re)builds the encoder for the endpoint's codec, ptime and payload type. */
  private configure(remote: Readonly<RemoteDescription>): void {
    const old = this.configured;
    this.configured = remote;
    const ptime = remote.ptime ?? 20;
    if (old && old.codec === remote.codec && (old.ptime ?? 20) === ptime && old.payloadType === remote.payloadType) return;
    this.encoder?.close();
    this.encoder = createEncoder(remote.codec);
    this.ptime = ptime;
    this.pcm = new Int16Array(samplesPerPacket(remote.codec, ptime));
    this.ticks = timestampTicks(remote.codec, ptime);
    this.sender = new RtpSender({ payloadType: remote.payloadType, clockRate: CODECS[remote.codec].clockRate, random: this.random });
  }
}
