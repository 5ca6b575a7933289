/**
 * Sends RFC 4733 digits on an endpoint, paced by the Clock: each digit's packets (start with
 * marker, updates, three end packets) go out at the times Rfc4733Sender gives. Packets are
 * stamped as one synthetic source (own SSRC, sequence and timestamp) and handed to the
 * endpoint's output, whose stream rewriter splices them into the outgoing stream; while a
 * digit is playing the endpoint mutes relayed audio so the event's timestamp stays fixed.
 */
import type { Clock, RandomSource, TimerHandle } from '../../core/index.js';
import { Rfc4733Sender, type TelephoneEventSendPacket } from '../dtmf/index.js';
import { RTP_FIXED_HEADER_LENGTH, writeU16, writeU32 } from '../rtp/index.js';
import { DigitQueue } from './digit-queue.js';

/** Where the transmitter's packets go (the endpoint's output). */
export type DtmfPacketSink = (packet: Buffer, length: number) => void;


export class DtmfTransmitter {
  private readonly queue = new DigitQueue();
  private packets: TelephoneEventSendPacket[] = [];
  private index = 0;
  private startedAt = 0;
  private timer: TimerHandle | undefined;
  private readonly ssrc: number;
  private seq: number;
  private timestamp: number;
  private sender: Rfc4733Sender;
  private closed = false;
  /** Digits fully sent. */
  sentDigits = 0;

  constructor(
    private readonly clock: Clock,
    random: RandomSource,
    private readonly sink: DtmfPacketSink,
    public payloadType: number,
    private clockRate: number,
  ) {
    this.ssrc = random.bytes(4).readUInt32BE(0);
    this.seq = random.int(0x10000);
    this.timestamp = random.bytes(4).readUInt32BE(0);
    this.sender = new Rfc4733Sender({ clockRate });
  }

  /** True while a digit is being sent. */
  get active(): boolean {
    return this.queue.current !== undefined;
  }

  /** New negotiated telephone-event payload type/clock (re-INVITE). */
  configure(payloadType: number, clockRate: number): void {
    this.payloadType = payloadType;
    if (clockRate !== this.clockRate) {
      this.clockRate = clockRate;
      this.sender = new Rfc4733Sender({ clockRate });
    }
  }

  /** Queues one digit; resolves when its last end packet was sent. */
  send(digit: string, durationMs: number): Promise<void> {
    return this.queue.enqueue(digit, durationMs, () => this.startNext());
  }

  /** Stops sending and fails queued digits; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimer(this.timer);
    this.queue.close();
  }

  private startNext(): void {
    const next = this.queue.next();
    if (!next) return;
    this.packets = this.sender.packets(next.digit, next.durationMs);
    this.index = 0;
    this.startedAt = this.clock.monotonic();
    // A new event starts one 20 ms frame after the previous one at least.
    this.timestamp = (this.timestamp + Math.round(this.clockRate / 50)) >>> 0;
    this.sendDue();
  }

  private sendDue(): void {
    this.timer = undefined;
    const elapsed = this.clock.monotonic() - this.startedAt;
    while (this.index < this.packets.length && this.packets[this.index]!.sendAtMs <= elapsed) {
      this.emit(this.packets[this.index]!);
      this.index++;
    }
    if (this.index < this.packets.length) {
      this.timer = this.clock.setTimer(this.packets[this.index]!.sendAtMs - elapsed, () => this.sendDue());
      return;
    }
    const last = this.packets[this.packets.length - 1];
    // The next event's timestamp moves past this one's whole duration.
    if (last) this.timestamp = (this.timestamp + last.timestampOffset + last.duration) >>> 0;
    this.sentDigits++;
    this.queue.current?.done();
    this.queue.current = undefined;
    if (!this.closed) this.startNext();
  }

  private emit(p: TelephoneEventSendPacket): void {
    // A fresh buffer per packet: digits are rare, and a send may still hold the previous one.
    const out = Buffer.allocUnsafe(RTP_FIXED_HEADER_LENGTH + p.payload.length);
    out[0] = 0x80;
    out[1] = (p.marker ? 0x80 : 0) | (this.payloadType & 0x7f);
    writeU16(out, 2, this.seq);
    writeU32(out, 4, (this.timestamp + p.timestampOffset) >>> 0);
    writeU32(out, 8, this.ssrc);
    out.set(p.payload, RTP_FIXED_HEADER_LENGTH);
    this.seq = (this.seq + 1) & 0xffff;
    this.sink(out, out.length);
  }
}
