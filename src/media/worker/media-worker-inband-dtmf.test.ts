// In-band DTMF in real worker threads over real UDP on 127.0.0.1: dgram phones send G.711
// audio carrying DTMF tones (and, for some key presses, RFC 4733 events too), paced at 20 ms.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeALaw, encodeMuLaw } from '../codec/index.js';
import { dtmfEventOfDigit, serializeTelephoneEvents } from '../dtmf/index.js';
import { musicLike, speechLike, toPcm } from '../dtmf/synthetic-audio.js';
import type { RtpPacket } from '../rtp/index.js';
import { ToneGenerator, dtmfTones } from '../tone/index.js';
import { rtpPhone } from '../../../test/support/rtp-phone.js';
import { MediaWorkerPool } from './media-worker-pool.js';
import type { EndpointOptions, MediaEvent, RemoteDescription } from './protocol.js';

const HOST = '127.0.0.1';
const FRAME = 160; // 20 ms at 8 kHz
type G711 = 'PCMU' | 'PCMA';
type Packet = Partial<RtpPacket> & { payload: Uint8Array };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 4000): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > ms) throw new Error('condition not met in time');
    await sleep(10);
  }
}

interface Phone {
  port: number;
  /** Sends one tick's packets every 20 ms, numbered in sequence; resolves after the last tick. */
  stream(to: number, ticks: Packet[][]): Promise<void>;
  close(): void;
}

async function phone(ssrc: number): Promise<Phone> {
  const p = await rtpPhone(ssrc);
  let seq = 3000;
  return {
    port: p.port,
    stream: (to, ticks) => p.stream(to, (k) => ticks[k]?.map((packet) => ({ sequenceNumber: seq++ & 0xffff, ...packet }))),
    close: () => p.close(),
  };
}

/** 8 kHz PCM of `digits` as a phone's keypad sends them (100 ms on, 100 ms off), after `leadMs` of silence. */
function keypad(digits: string, leadMs = 100, onMs = 100, offMs = 100): Int16Array {
  const gen = new ToneGenerator(dtmfTones(digits, { onMs, offMs }), 8000);
  const lead = (leadMs * 8000) / 1000;
  const pcm = new Int16Array(lead + (digits.length * (onMs + offMs) * 8000) / 1000 + 2 * FRAME);
  gen.fill(pcm.subarray(lead));
  return pcm;
}

/** One audio packet per 20 ms of `pcm` (timestamps from `ts0`). */
function audioTicks(pcm: Int16Array, codec: G711, ts0 = 90_000): Packet[][] {
  const ticks: Packet[][] = [];
  for (let i = 0; i + FRAME <= pcm.length; i += FRAME) {
    const frame = pcm.subarray(i, i + FRAME);
    const payload = codec === 'PCMU' ? encodeMuLaw(frame, new Uint8Array(FRAME)) : encodeALaw(frame, new Uint8Array(FRAME));
    ticks.push([{ payloadType: codec === 'PCMU' ? 0 : 8, timestamp: (ts0 + i) >>> 0, payload }]);
  }
  return ticks;
}

/**
 * Adds RFC 4733 events (PT 101) for the key presses `keypad` made: a start packet in the tick the
 * tone starts, updates while it lasts, three end packets when it stops (RFC 4733 2.5.1).
 */
function withTelephoneEvents(ticks: Packet[][], digits: string, leadMs = 100, onMs = 100, offMs = 100, ts0 = 90_000): Packet[][] {
  const out = ticks.map((t) => [...t]);
  [...digits].forEach((d, k) => {
    const event = dtmfEventOfDigit(d)!;
    const first = (leadMs + k * (onMs + offMs)) / 20;
    const frames = onMs / 20;
    const timestamp = (ts0 + first * FRAME) >>> 0;
    for (let f = 0; f < frames; f++) {
      const payload = serializeTelephoneEvents([{ event, end: false, volume: 10, duration: (f + 1) * FRAME }]);
      out[first + f]!.push({ payloadType: 101, marker: f === 0, timestamp, payload });
    }
    const end = serializeTelephoneEvents([{ event, end: true, volume: 10, duration: frames * FRAME }]);
    for (let r = 0; r < 3; r++) out[first + frames]!.push({ payloadType: 101, timestamp, payload: end });
  });
  return out;
}

function g711(codec: G711, port: number, extra: Partial<RemoteDescription> = {}): RemoteDescription {
  return {
    address: HOST, port, rtcpMux: true, codec, payloadType: codec === 'PCMU' ? 0 : 8, clockRate: 8000, ptime: 20,
    direction: 'sendrecv', ...extra,
  };
}

describe('in-band DTMF in media workers', () => {
  let pool: MediaWorkerPool;
  const phones: Phone[] = [];
  const events: MediaEvent[] = [];
  let nextSsrc = 0x7000;
  const newPhone = async (): Promise<Phone> => {
    const p = await phone(nextSsrc++);
    phones.push(p);
    return p;
  };
  const endpoint = (options: EndpointOptions = {}) =>
    pool.createEndpoint({ localAddress: HOST, rtcpMux: true, options: { rtcpIntervalMs: 0, ...options } });
  const digitsOf = (endpoint: string) =>
    events.filter((e): e is Extract<MediaEvent, { ev: 'dtmf' }> => e.ev === 'dtmf' && e.endpoint === endpoint);

  beforeAll(async () => {
    pool = await MediaWorkerPool.start({ workers: 2, ports: '33000-33999' });
    pool.on((e) => events.push(e));
  });
  afterEach(() => {
    for (const p of phones.splice(0)) p.close();
    events.length = 0;
  });
  afterAll(async () => {
    await pool.close();
  });

  it('reports tones in PCMU and PCMA audio once each, source inband, when no telephone-event was negotiated', async () => {
    const pu = await newPhone();
    const pa = await newPhone();
    const u = await endpoint();
    const a = await endpoint();
    await pool.setRemote(u.endpoint, g711('PCMU', pu.port));
    await pool.setRemote(a.endpoint, g711('PCMA', pa.port));
    await Promise.all([
      pu.stream(u.port, audioTicks(keypad('159#0'), 'PCMU')),
      pa.stream(a.port, audioTicks(keypad('*2D8'), 'PCMA')),
    ]);
    await sleep(100);
    expect(digitsOf(u.endpoint).map((e) => e.digit).join('')).toBe('159#0');
    expect(digitsOf(a.endpoint).map((e) => e.digit).join('')).toBe('*2D8');
    expect([...digitsOf(u.endpoint), ...digitsOf(a.endpoint)].every((e) => e.source === 'inband')).toBe(true);
    expect((await pool.stats(u.endpoint)).dtmfIn).toBe(5);
    await pool.destroy(u.endpoint);
    await pool.destroy(a.endpoint);
  });

  it("reports a key press sent both as RFC 4733 and as tones once ('on' mode), the RFC 4733 copy preferred", async () => {
    const p = await newPhone();
    const e = await endpoint({ inbandDtmf: 'on' });
    await pool.setRemote(e.endpoint, g711('PCMU', p.port, { telephoneEventPayloadType: 101 }));
    // Two equal digits in a row stay two digits.
    const digits = '1233';
    await p.stream(e.port, withTelephoneEvents(audioTicks(keypad(digits), 'PCMU'), digits));
    await sleep(300); // past the in-band hold, so a held duplicate would have come out
    const got = digitsOf(e.endpoint);
    expect(got.map((x) => x.digit).join('')).toBe(digits);
    expect(got.every((x) => x.source === 'rfc4733')).toBe(true);
    // And tones alone (a gateway that stopped sending events) still come through in 'on' mode.
    events.length = 0;
    await p.stream(e.port, audioTicks(keypad('7'), 'PCMU', 200_000));
    await until(() => digitsOf(e.endpoint).length === 1);
    await sleep(200);
    expect(digitsOf(e.endpoint)).toEqual([{ ev: 'dtmf', endpoint: e.endpoint, digit: '7', source: 'inband' }]);
    await pool.destroy(e.endpoint);
  });

  it("'auto' stops detecting once a re-INVITE negotiates telephone-event; 'off' never detects", async () => {
    const p = await newPhone();
    const q = await newPhone();
    const e = await endpoint();
    const off = await endpoint({ inbandDtmf: 'off' });
    await pool.setRemote(e.endpoint, g711('PCMU', p.port));
    await pool.setRemote(off.endpoint, g711('PCMU', q.port));
    await Promise.all([p.stream(e.port, audioTicks(keypad('42'), 'PCMU')), q.stream(off.port, audioTicks(keypad('42'), 'PCMU'))]);
    await sleep(100);
    expect(digitsOf(e.endpoint).map((x) => x.digit)).toEqual(['4', '2']);
    expect(digitsOf(off.endpoint)).toEqual([]);
    // The re-INVITE: telephone-event now, so the same tones are audio and not digits...
    await pool.setRemote(e.endpoint, g711('PCMU', p.port, { telephoneEventPayloadType: 101 }));
    events.length = 0;
    await p.stream(e.port, audioTicks(keypad('42'), 'PCMU', 300_000));
    await sleep(100);
    expect(digitsOf(e.endpoint)).toEqual([]);
    // ...and digits arrive as RFC 4733.
    await p.stream(e.port, withTelephoneEvents(audioTicks(new Int16Array(FRAME * 10), 'PCMU', 400_000), '6', 40, 100, 100, 400_000));
    await until(() => digitsOf(e.endpoint).length === 1);
    expect(digitsOf(e.endpoint)[0]).toMatchObject({ digit: '6', source: 'rfc4733' });
    await pool.destroy(e.endpoint);
    await pool.destroy(off.endpoint);
  });

  it('takes no digit from speech-like or music-like audio, and still finds the key pressed after it', async () => {
    const ps = await newPhone();
    const pm = await newPhone();
    const s = await endpoint();
    const m = await endpoint();
    await pool.setRemote(s.endpoint, g711('PCMU', ps.port));
    await pool.setRemote(m.endpoint, g711('PCMA', pm.port));
    const tail = keypad('7');
    const withTail = (audio: Int16Array): Int16Array => {
      const pcm = new Int16Array(audio.length + tail.length);
      pcm.set(audio);
      pcm.set(tail, audio.length);
      return pcm;
    };
    await Promise.all([
      ps.stream(s.port, audioTicks(withTail(toPcm(speechLike(3, 8000))), 'PCMU')),
      pm.stream(m.port, audioTicks(withTail(toPcm(musicLike(3, 8000))), 'PCMA')),
    ]);
    await sleep(100);
    expect(digitsOf(s.endpoint).map((x) => x.digit)).toEqual(['7']);
    expect(digitsOf(m.endpoint).map((x) => x.digit)).toEqual(['7']);
    await pool.destroy(s.endpoint);
    await pool.destroy(m.endpoint);
  });

  it('stops a barge-in play on an in-band digit, which is reported too', async () => {
    const p = await newPhone();
    const e = await endpoint();
    await pool.setRemote(e.endpoint, g711('PCMU', p.port));
    await pool.play(e.endpoint, { playId: 'menu', sources: [{ kind: 'tone', tone: 'dial' }], bargeIn: true });
    await sleep(100);
    expect(events.some((x) => x.ev === 'playDone' && x.playId === 'menu' && x.reason === 'bargeIn')).toBe(false);
    await p.stream(e.port, audioTicks(keypad('3'), 'PCMU'));
    await until(() => events.some((x) => x.ev === 'playDone' && x.endpoint === e.endpoint && x.reason === 'bargeIn'));
    expect(digitsOf(e.endpoint)).toEqual([{ ev: 'dtmf', endpoint: e.endpoint, digit: '3', source: 'inband' }]);
    await pool.destroy(e.endpoint);
  });
});
