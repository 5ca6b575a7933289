// Players, echo, recordings and mixes in real worker threads over real UDP on 127.0.0.1;
// plain dgram sockets play the phones and check what they hear with a Goertzel filter.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDecoder, decodeMuLaw, sineWave } from '../codec/index.js';
import { dbm0ToPeak, goertzelPower, meanSquare, serializeTelephoneEvents } from '../dtmf/index.js';
import { isWavParseError, readWavFile, WavWriter } from '../wav/index.js';
import { rtpPhone, toneTicks, type RtpPhone } from '../../../test/support/rtp-phone.js';
import { MediaWorkerPool } from './media-worker-pool.js';
import type { MediaEvent, RemoteDescription } from './protocol.js';

const HOST = '127.0.0.1';

interface Phone extends RtpPhone {
  /** Sends a PCMU (or G.722, PT 9) tone paced at 20 ms for `ms`; resolves when done. */
  talk(to: number, hz: number, ms: number, codec?: 'PCMU' | 'G722'): Promise<void>;
}

async function phone(ssrc: number): Promise<Phone> {
  const p = await rtpPhone(ssrc);
  return Object.assign(p, {
    talk: (to: number, hz: number, ms: number, codec: 'PCMU' | 'G722' = 'PCMU') => p.stream(to, toneTicks(hz, { frames: Math.round(ms / 20), codec })),
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 6000): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > ms) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function pcmu(port: number, extra: Partial<RemoteDescription> = {}): RemoteDescription {
  return {
    address: HOST, port, rtcpMux: true, codec: 'PCMU', payloadType: 0, clockRate: 8000,
    telephoneEventPayloadType: 101, ptime: 20, direction: 'sendrecv', ...extra,
  };
}

/** The PCM a phone heard (PCMU payloads in arrival order). */
function heard(p: Phone, from = 0): Int16Array {
  const packets = p.received.slice(from).filter((r) => r.payloadType === 0);
  const out = new Int16Array(packets.reduce((n, r) => n + r.payload.length, 0));
  let o = 0;
  for (const r of packets) {
    decodeMuLaw(r.payload, out.subarray(o, o + r.payload.length));
    o += r.payload.length;
  }
  return out;
}

/** The PCM (16 kHz) a G.722 phone heard. */
function heardG722(p: Phone): Int16Array {
  const decoder = createDecoder('G722');
  const packets = p.received.filter((r) => r.payloadType === 9);
  const out = new Int16Array(packets.length * 320);
  packets.forEach((r, i) => decoder.decode(r.payload, out.subarray(i * 320, (i + 1) * 320)));
  return out;
}

const power = (pcm: Int16Array, hz: number, rate = 8000): number => goertzelPower(pcm, 0, pcm.length, hz, rate);

describe('media graph in workers: play, echo, record, mix', () => {
  let pool: MediaWorkerPool;
  let dir: string;
  const phones: Phone[] = [];
  const events: MediaEvent[] = [];
  let nextSsrc = 0x1000;
  const newPhone = async (): Promise<Phone> => {
    const p = await phone(nextSsrc++);
    phones.push(p);
    return p;
  };
  const endpoint = (near?: string) =>
    pool.createEndpoint({ localAddress: HOST, rtcpMux: true, ...(near ? { near } : {}), options: { rtcpIntervalMs: 0 } });
  const waitEvent = async <E extends MediaEvent['ev']>(ev: E, match: (e: Extract<MediaEvent, { ev: E }>) => boolean, ms = 6000) => {
    let found: Extract<MediaEvent, { ev: E }> | undefined;
    await until(() => {
      found = events.find((e): e is Extract<MediaEvent, { ev: E }> => e.ev === ev && match(e as Extract<MediaEvent, { ev: E }>));
      return found !== undefined;
    }, ms);
    return found!;
  };

  beforeAll(async () => {
    pool = await MediaWorkerPool.start({ workers: 2, ports: '32000-32999' });
    pool.on((e) => events.push(e));
    dir = mkdtempSync(join(tmpdir(), 'atende-graph-'));
  });
  afterEach(() => {
    for (const p of phones.splice(0)) p.close();
    events.length = 0;
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('plays the 1 kHz test tone at -10 dBm0, 50 packets/s on one continuous stream, then finishes', async () => {
    const p = await newPhone();
    const ep = await endpoint();
    await pool.setRemote(ep.endpoint, pcmu(p.port));
    const started = performance.now();
    await pool.play(ep.endpoint, { playId: 't1', sources: [{ kind: 'tone', tone: 'test', durationMs: 1000 }] });
    const done = await waitEvent('playDone', (e) => e.playId === 't1');
    const elapsed = performance.now() - started;
    expect(done).toEqual({ ev: 'playDone', endpoint: ep.endpoint, playId: 't1', reason: 'finished' });
    expect(elapsed).toBeGreaterThan(900);
    expect(elapsed).toBeLessThan(2000);
    await sleep(60);
    const got = p.received;
    expect(got.length).toBe(50); // 1000 ms of 20 ms packets
    // Paced by the media clock, not sent in a burst: ~50 packets per second.
    const rate = ((got.length - 1) * 1000) / (p.arrivals.at(-1)! - p.arrivals[0]!);
    // (bounds loose enough for a loaded CI machine; a burst would be hundreds per second)
    expect(rate).toBeGreaterThan(35);
    expect(rate).toBeLessThan(65);
    expect(got[0]!.marker).toBe(true);
    for (let i = 1; i < got.length; i++) {
      expect(got[i]!.ssrc).toBe(got[0]!.ssrc);
      expect(got[i]!.sequenceNumber).toBe((got[i - 1]!.sequenceNumber + 1) & 0xffff);
      expect((got[i]!.timestamp - got[i - 1]!.timestamp) >>> 0).toBe(160);
      expect(got[i]!.marker).toBe(false);
    }
    const pcm = heard(p);
    const peak = dbm0ToPeak(-10);
    // Mean square of a sine is peak^2/2: -10 dBm0 within G.711's accuracy.
    expect(power(pcm, 1000)).toBeGreaterThan((peak * peak) / 2 * 0.8);
    expect(power(pcm, 1000)).toBeLessThan((peak * peak) / 2 * 1.25);
    expect(power(pcm, 425)).toBeLessThan(power(pcm, 1000) / 1000);
    await pool.destroy(ep.endpoint);
  });

  it('plays a WAV file and reports finished after its duration; a play before setRemote waits for it', async () => {
    const path = join(dir, 'prompt.wav');
    const w = WavWriter.create(path, { sampleRate: 8000, channels: 1 });
    w.write(sineWave(800, 8000, 4800, 9000)); // 600 ms
    w.close();
    const p = await newPhone();
    const ep = await endpoint();
    await pool.play(ep.endpoint, { playId: 'f1', sources: [{ kind: 'file', path }] });
    await sleep(100);
    expect(events.some((e) => e.ev === 'playDone')).toBe(false);
    const started = performance.now();
    await pool.setRemote(ep.endpoint, pcmu(p.port));
    const done = await waitEvent('playDone', (e) => e.playId === 'f1');
    const elapsed = performance.now() - started;
    expect(done.reason).toBe('finished');
    expect(elapsed).toBeGreaterThan(550);
    expect(elapsed).toBeLessThan(1800);
    await sleep(60);
    expect(p.received.length).toBeGreaterThanOrEqual(30);
    // A file not cached yet plays as silence for the few ticks its loading takes.
    expect(p.received.length).toBeLessThanOrEqual(36);
    const pcm = heard(p);
    expect(power(pcm, 800)).toBeGreaterThan(100 * power(pcm, 1000));
    // A missing file ends its play with an error, and a new play replaces the current one.
    await pool.play(ep.endpoint, { playId: 'f2', sources: [{ kind: 'tone', tone: 'ringback' }] });
    await pool.play(ep.endpoint, { playId: 'f3', sources: [{ kind: 'file', path: join(dir, 'nope.wav') }] });
    expect((await waitEvent('playDone', (e) => e.playId === 'f2')).reason).toBe('stopped');
    const failed = await waitEvent('playDone', (e) => e.playId === 'f3');
    expect(failed.reason).toBe('error');
    expect(failed.error).toMatch(/not-found/);
    await pool.destroy(ep.endpoint);
  });

  it('stops a barge-in play on an RFC 4733 digit (the digit is still reported) and resumes the relay', async () => {
    const pa = await newPhone();
    const pb = await newPhone();
    const a = await endpoint();
    const b = await endpoint(a.endpoint);
    await pool.setRemote(a.endpoint, pcmu(pa.port));
    await pool.setRemote(b.endpoint, pcmu(pb.port));
    await pool.connect(a.endpoint, b.endpoint);
    await pool.play(a.endpoint, { playId: 'b1', sources: [{ kind: 'tone', tone: 'dial' }], bargeIn: true });
    await sleep(200);
    // B talks meanwhile: A hears the prompt, not B.
    const talking = pb.talk(b.port, 1500, 300);
    await sleep(100);
    const ev = (duration: number, end: boolean) => serializeTelephoneEvents([{ event: 7, end, volume: 10, duration }]);
    pa.send(a.port, { payloadType: 101, marker: true, sequenceNumber: 10, timestamp: 8000, payload: ev(160, false) });
    for (let i = 0; i < 3; i++) pa.send(a.port, { payloadType: 101, sequenceNumber: 11 + i, timestamp: 8000, payload: ev(800, true) });
    const done = await waitEvent('playDone', (e) => e.playId === 'b1');
    expect(done.reason).toBe('bargeIn');
    expect(events.some((e) => e.ev === 'dtmf' && e.endpoint === a.endpoint && e.digit === '7')).toBe(true);
    await talking;
    await sleep(50);
    // Before the digit: 425 Hz dial tone only; after it, from the next marked packet (a new
    // source on the same stream), B's 1500 Hz relayed again.
    expect(pa.received.every((r) => r.ssrc === pa.received[0]!.ssrc)).toBe(true);
    const before = pa.received.findIndex((r, i) => i > 0 && r.marker);
    expect(before).toBeGreaterThan(10);
    const during = heard(pa).subarray(0, before * 160);
    expect(power(during, 425)).toBeGreaterThan(1000 * power(during, 1500));
    const after = heard(pa, before);
    expect(after.length).toBeGreaterThan(160 * 3);
    expect(power(after, 1500)).toBeGreaterThan(100 * power(after, 425));
    await pool.destroy(a.endpoint);
    await pool.destroy(b.endpoint);
  });

  it('echoes the phone its own audio packets, until a play takes over', async () => {
    const p = await newPhone();
    const ep = await endpoint();
    await pool.setRemote(ep.endpoint, pcmu(p.port));
    await pool.echo(ep.endpoint, true);
    const payloads = Array.from({ length: 10 }, (_, i) => new Uint8Array(160).fill(i * 10 + 3));
    for (let i = 0; i < 10; i++) {
      p.send(ep.port, { sequenceNumber: 100 + i, timestamp: 1000 + i * 160, payload: payloads[i]! });
      await sleep(5);
    }
    await until(() => p.received.length === 10);
    p.received.forEach((r, i) => {
      expect(Buffer.from(r.payload)).toEqual(Buffer.from(payloads[i]!));
      expect(r.ssrc).not.toBe(0x1000 + phones.length - 1);
    });
    // Telephone-events are not echoed.
    p.send(ep.port, { payloadType: 101, sequenceNumber: 110, timestamp: 3000, payload: serializeTelephoneEvents([{ event: 1, end: false, volume: 10, duration: 160 }]) });
    await pool.play(ep.endpoint, { playId: 'e1', sources: [{ kind: 'silence', durationMs: 100 }] });
    await waitEvent('playDone', (e) => e.playId === 'e1');
    // The play's last silence packet may still be in flight when playDone arrives: what must not
    // come back after the play took over is the phone's own audio.
    const n = p.received.length;
    p.send(ep.port, { sequenceNumber: 111, timestamp: 4000, payload: payloads[0]! });
    await sleep(100);
    const echoedAgain = p.received.slice(n).filter((r) => Buffer.from(r.payload).equals(Buffer.from(payloads[0]!)));
    expect(echoedAgain).toHaveLength(0);
    await pool.destroy(ep.endpoint);
  });

  it('records two parties each on its own channel, and a voicemail in mono', async () => {
    const pa = await newPhone();
    const pb = await newPhone();
    const a = await endpoint();
    const b = await endpoint(a.endpoint);
    await pool.setRemote(a.endpoint, pcmu(pa.port));
    await pool.setRemote(b.endpoint, pcmu(pb.port));
    await pool.connect(a.endpoint, b.endpoint);
    const path = join(dir, 'calls', 'call.wav');
    await pool.record({ recId: 'r1', path, endpoints: [a.endpoint, b.endpoint] });
    await pool.record({ recId: 'vm', path: join(dir, 'vm.wav'), endpoints: [a.endpoint] });
    await Promise.all([pa.talk(a.port, 600, 1000), pb.talk(b.port, 1400, 1000)]);
    await sleep(100);
    const result = await pool.stopRecord('r1');
    expect(result.path).toBe(path);
    expect(result.durationMs).toBeGreaterThan(950);
    expect(result.durationMs).toBeLessThan(1500);
    // 16-bit stereo at 8 kHz: 32 bytes per ms after the header (durationMs is rounded).
    expect(Math.abs(result.bytes - 44 - result.durationMs * 32)).toBeLessThan(32);
    const done = await waitEvent('recordDone', (e) => e.recId === 'r1');
    expect(done).toMatchObject({ path, durationMs: result.durationMs, bytes: result.bytes });
    expect(done.error).toBeUndefined();

    const wav = await readWavFile(path);
    if (isWavParseError(wav)) throw new Error(wav.reason);
    expect(wav.channels).toBe(2);
    expect(wav.sampleRate).toBe(8000);
    const left = new Int16Array(wav.frames);
    const right = new Int16Array(wav.frames);
    for (let i = 0; i < wav.frames; i++) {
      left[i] = wav.samples[2 * i]!;
      right[i] = wav.samples[2 * i + 1]!;
    }
    expect(power(left, 600)).toBeGreaterThan(1e6);
    expect(power(left, 600)).toBeGreaterThan(1000 * power(left, 1400));
    expect(power(right, 1400)).toBeGreaterThan(1e6);
    expect(power(right, 1400)).toBeGreaterThan(1000 * power(right, 600));
    // Most of the file is the tones, not silence: the channels line up with the call.
    expect(meanSquare(left, 0, left.length)).toBeGreaterThan(0.6 * 4000 * 4000);

    // Destroying a recorded endpoint ends its recording.
    await pool.destroy(a.endpoint);
    const vm = await waitEvent('recordDone', (e) => e.recId === 'vm');
    const mono = await readWavFile(vm.path);
    if (isWavParseError(mono)) throw new Error(mono.reason);
    expect(mono.channels).toBe(1);
    expect(power(mono.samples, 600)).toBeGreaterThan(1000 * power(mono.samples, 1400));
    await expect(pool.stopRecord('vm')).rejects.toMatchObject({ code: 'unknown_recording' });
    await pool.destroy(b.endpoint);
  });

  it('mixes three members: each hears the other two and not itself', async () => {
    const tones = [500, 1100, 1700];
    const ps = await Promise.all(tones.map(() => newPhone()));
    const first = await endpoint();
    const eps = [first, await endpoint(first.endpoint), await endpoint(first.endpoint)];
    for (let i = 0; i < 3; i++) await pool.setRemote(eps[i]!.endpoint, pcmu(ps[i]!.port));
    await pool.mix('m1', eps.map((e) => ({ endpoint: e.endpoint, hears: 'all-but-self' as const })));
    await Promise.all(ps.map((p, i) => p.talk(eps[i]!.port, tones[i]!, 1200)));
    await pool.unmix('m1');
    for (let i = 0; i < 3; i++) {
      const pcm = heard(ps[i]!);
      const mid = pcm.subarray(Math.floor(pcm.length * 0.3), Math.floor(pcm.length * 0.9));
      const own = power(mid, tones[i]!);
      const others = tones.filter((_, j) => j !== i).map((hz) => power(mid, hz));
      for (const o of others) {
        expect(o).toBeGreaterThan(1e6);
        expect(o).toBeGreaterThan(1000 * own);
      }
    }
    for (const e of eps) await pool.destroy(e.endpoint);
  });

  it('lets a supervisor listen to a relayed call: hears both parties, heard by nobody, relay untouched', async () => {
    const [pa, pb, ps] = [await newPhone(), await newPhone(), await newPhone()];
    const a = await endpoint();
    const b = await endpoint(a.endpoint);
    const sup = await endpoint(a.endpoint);
    await pool.setRemote(a.endpoint, pcmu(pa.port));
    await pool.setRemote(b.endpoint, pcmu(pb.port));
    await pool.setRemote(sup.endpoint, pcmu(ps.port));
    await pool.connect(a.endpoint, b.endpoint);
    await pool.mix('spy', [
      { endpoint: sup.endpoint, hears: [a.endpoint, b.endpoint] },
      { endpoint: a.endpoint, hears: [] },
      { endpoint: b.endpoint, hears: [] },
    ]);
    await Promise.all([pa.talk(a.port, 600, 1000), pb.talk(b.port, 1400, 1000), ps.talk(sup.port, 2000, 1000)]);
    await pool.unmix('spy');
    const s = heard(ps).subarray(8 * 200);
    expect(power(s, 600)).toBeGreaterThan(1e6);
    expect(power(s, 1400)).toBeGreaterThan(1e6);
    expect(power(s, 2000)).toBeLessThan(power(s, 600) / 1000);
    // The parties still get each other through the relay (copied, so payloads exact) and never the supervisor.
    const ha = heard(pa);
    const hb = heard(pb);
    expect(power(ha, 1400)).toBeGreaterThan(1000 * power(ha, 2000));
    expect(power(hb, 600)).toBeGreaterThan(1000 * power(hb, 2000));
    expect(pa.received.length).toBeGreaterThanOrEqual(48);
    for (const e of [a, b, sup]) await pool.destroy(e.endpoint);
  });

  it('refuses to record or mix endpoints of different workers, and unknown endpoints', async () => {
    const a = await endpoint();
    const b = await endpoint();
    expect(pool.workerOf(a.endpoint)).not.toBe(pool.workerOf(b.endpoint));
    await expect(pool.record({ recId: 'x', path: join(dir, 'x.wav'), endpoints: [a.endpoint, b.endpoint] }))
      .rejects.toMatchObject({ code: 'not_same_worker' });
    await expect(pool.mix('x', [{ endpoint: a.endpoint, hears: 'all-but-self' }, { endpoint: b.endpoint, hears: 'all-but-self' }]))
      .rejects.toMatchObject({ code: 'not_same_worker' });
    await expect(pool.play('ep-none', { playId: 'x', sources: [] })).rejects.toMatchObject({ code: 'unknown_endpoint' });
    await expect(pool.play(a.endpoint, { playId: 'x', sources: [{ kind: 'tone', tone: 'nope' as 'dial' }] }))
      .rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await pool.stopPlay(a.endpoint)).toEqual({ stopped: false });
    await pool.destroy(a.endpoint);
    await pool.destroy(b.endpoint);
  });

  it('mixes a G.722 member with G.711 members at 16 kHz', async () => {
    const [pw, pn1, pn2] = [await newPhone(), await newPhone(), await newPhone()];
    const w = await endpoint();
    const n1 = await endpoint(w.endpoint);
    const n2 = await endpoint(w.endpoint);
    await pool.setRemote(w.endpoint, pcmu(pw.port, { codec: 'G722', payloadType: 9 }));
    await pool.setRemote(n1.endpoint, pcmu(pn1.port));
    await pool.setRemote(n2.endpoint, pcmu(pn2.port));
    await pool.mix('wb', [w, n1, n2].map((e) => ({ endpoint: e.endpoint, hears: 'all-but-self' as const })));
    await Promise.all([pw.talk(w.port, 3000, 1000, 'G722'), pn1.talk(n1.port, 700, 1000), pn2.talk(n2.port, 1300, 1000)]);
    await pool.unmix('wb');
    const wide = heardG722(pw).subarray(16000 * 0.3);
    expect(pw.received.every((r) => r.payloadType === 9 && r.payload.length === 160)).toBe(true);
    expect(power(wide, 700, 16000)).toBeGreaterThan(1e6);
    expect(power(wide, 1300, 16000)).toBeGreaterThan(1e6);
    expect(power(wide, 3000, 16000)).toBeLessThan(power(wide, 700, 16000) / 1000);
    // The narrowband members hear the wideband one's 3 kHz (inside 8 kHz's band) and each other.
    const narrow = heard(pn1).subarray(8000 * 0.3);
    expect(power(narrow, 3000)).toBeGreaterThan(1e6);
    expect(power(narrow, 1300)).toBeGreaterThan(1e6);
    expect(power(narrow, 700)).toBeLessThan(power(narrow, 1300) / 1000);
    for (const e of [w, n1, n2]) await pool.destroy(e.endpoint);
  });
});
