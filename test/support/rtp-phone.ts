// A phone for media tests: a UDP socket on 127.0.0.1 that keeps the RTP it receives (RTCP left
// out) and sends RTP at once (`send`) or paced every 20 ms (`stream`). close() stops its streams
// first: no timer ever sends on a closed socket, even when a test fails halfway.
import { createSocket, type Socket } from 'node:dgram';
import { createEncoder, encodeMuLaw, sineWave } from '../../src/media/codec/index.js';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from '../../src/media/rtp/index.js';

/** A packet to send: the payload and whatever header fields differ from the defaults. */
export type RtpPacketInit = Partial<RtpPacket> & { payload: Uint8Array };

/** The packets of stream tick `k` (20 ms each), or undefined when the stream is over. */
export type RtpTicks = (k: number) => readonly RtpPacketInit[] | undefined;

export interface RtpPhone {
  readonly port: number;
  /** RTP packets received, in arrival order. */
  readonly received: RtpPacket[];
  /** performance.now() of each received packet. */
  readonly arrivals: number[];
  send(to: number, packet: RtpPacketInit): void;
  /**
   * Sends tick k's packets, one tick per 20 ms timer (on a loaded machine the stream falls
   * behind rather than bursting); resolves after the last tick or on close.
   */
  stream(to: number, ticks: RtpTicks): Promise<void>;
  close(): void;
}

const HOST = '127.0.0.1';
const TICK_MS = 20;

export async function rtpPhone(ssrc = 0x1234): Promise<RtpPhone> {
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, HOST, resolve));
  const received: RtpPacket[] = [];
  const arrivals: number[] = [];
  socket.on('message', (msg) => {
    if (msg.length > 1 && msg[1]! >= 200 && msg[1]! <= 204) return; // RTCP
    const p = parseRtpPacket(msg);
    if ('payloadType' in p) {
      received.push(p);
      arrivals.push(performance.now());
    }
  });
  const streams = new Set<{ timer: ReturnType<typeof setInterval>; done: () => void }>();
  let closed = false;
  const send = (to: number, p: RtpPacketInit): void => {
    if (closed) return;
    const packet: RtpPacket = { marker: false, payloadType: 0, sequenceNumber: 0, timestamp: 0, ssrc, csrcs: [], paddingLength: 0, ...p };
    socket.send(serializeRtpPacket(packet), to, HOST);
  };
  return {
    port: socket.address().port,
    received,
    arrivals,
    send,
    stream(to, ticks) {
      return new Promise((resolve) => {
        let k = 0;
        const entry = { timer: setInterval(() => step(), TICK_MS), done: resolve };
        streams.add(entry);
        const finish = (): void => {
          clearInterval(entry.timer);
          streams.delete(entry);
          resolve();
        };
        const step = (): void => {
          const packets = ticks(k++);
          if (packets === undefined || closed) return finish();
          for (const p of packets) send(to, p);
        };
        step();
      });
    },
    close() {
      if (closed) return;
      closed = true;
      for (const s of streams) {
        clearInterval(s.timer);
        s.done();
      }
      streams.clear();
      socket.close();
    },
  };
}

export interface ToneOptions {
  /** Frames to send; endless (until the phone closes) when not given. */
  frames?: number;
  codec?: 'PCMU' | 'G722';
  firstSequence?: number;
  firstTimestamp?: number;
  amplitude?: number;
}

/** Ticks of a continuous tone, one 20 ms packet each (PCMU PT 0, or G.722 PT 9). */
export function toneTicks(hz: number, opts: ToneOptions = {}): RtpTicks {
  const g722 = opts.codec === 'G722' ? createEncoder('G722') : undefined;
  const rate = g722 ? 16000 : 8000;
  const samples = rate / 50;
  const seq0 = opts.firstSequence ?? 1000;
  const ts0 = opts.firstTimestamp ?? 50_000;
  return (k) => {
    if (opts.frames !== undefined && k >= opts.frames) return undefined;
    const pcm = sineWave(hz, rate, samples, opts.amplitude ?? 8000, k * samples);
    const payload = g722 ? Buffer.from(g722.encode(pcm)) : encodeMuLaw(pcm, new Uint8Array(160));
    return [{ payloadType: g722 ? 9 : 0, sequenceNumber: (seq0 + k) & 0xffff, timestamp: (ts0 + k * 160) >>> 0, payload }];
  };
}
