// Sending digits in-band in real worker threads over real UDP on 127.0.0.1: a far end whose
// description has no telephone-event gets the Q.23 tone pair as PCMU audio, paced at 20 ms,
// with the relay (or a play) towards it muted for the digit and back afterwards.
import { describe, expect, it } from 'vitest';
import { decodeMuLaw } from '../codec/index.js';
import { goertzelPower, InbandDtmfDetector } from '../dtmf/index.js';
import type { RtpPacket } from '../rtp/index.js';
import { toneTicks } from '../../../test/support/rtp-phone.js';
import { mediaWorkerFixture } from '../../../test/support/media-worker-fixture.js';
import type { RemoteDescription } from './protocol.js';

const HOST = '127.0.0.1';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A PCMU far end that negotiated no telephone-event. */
function pcmuOnly(port: number): RemoteDescription {
  return { address: HOST, port, rtcpMux: true, codec: 'PCMU', payloadType: 0, clockRate: 8000, ptime: 20, direction: 'sendrecv' };
}

const pcmOf = (p: RtpPacket): Int16Array => decodeMuLaw(p.payload, new Int16Array(p.payload.length));
const power = (pcm: Int16Array, hz: number): number => goertzelPower(pcm, 0, pcm.length, hz, 8000);

/** What one 20 ms packet carries: the DTMF '5' pair, a single tone `hz`, or near silence. */
function kindOf(p: RtpPacket, hz: number): 'dtmf' | 'tone' | 'silence' | 'other' {
  const pcm = pcmOf(p);
  const row = power(pcm, 770);
  const col = power(pcm, 1336);
  const tone = power(pcm, hz);
  // A 20 ms Goertzel window leaks about 1/70 of a tone into a bin 170 Hz away: 1/20 separates.
  if (row > 1e6 && col > 1e6 && tone < row / 20) return 'dtmf';
  if (tone > 1e6 && row < tone / 20 && col < tone / 20) return 'tone';
  if (row < 1e3 && col < 1e3 && tone < 1e3) return 'silence';
  return 'other';
}

/** Runs of equal kinds, e.g. tone x12, dtmf x10, silence x3, tone x20. */
function runs(kinds: string[]): { kind: string; n: number }[] {
  const out: { kind: string; n: number }[] = [];
  for (const k of kinds) {
    const last = out[out.length - 1];
    if (last && last.kind === k) last.n++;
    else out.push({ kind: k, n: 1 });
  }
  return out;
}

describe('in-band DTMF sending in media workers (no telephone-event)', () => {
  const fx = mediaWorkerFixture({ workers: 1, ports: '34200-34399', firstSsrc: 0x6100 });
  const { events, newPhone } = fx;
  const endpoint = (near?: string) =>
    fx.pool.createEndpoint({ localAddress: HOST, rtcpMux: true, ...(near ? { near } : {}), options: { rtcpIntervalMs: 0 } });

  it('sends the 770+1336 Hz pair as PCMU for the key press length; our own detector hears a 5', async () => {
    const p = await newPhone();
    const ep = await endpoint();
    await fx.pool.setRemote(ep.endpoint, pcmuOnly(p.port));
    const started = performance.now();
    await fx.pool.sendDtmf(ep.endpoint, '5', 200);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(170);
    expect(elapsed).toBeLessThan(700);
    await sleep(150);
    const got = p.received;
    expect(got.every((r) => r.payloadType === 0)).toBe(true);
    // 200 ms of tone and 60 ms of silence after it, 20 ms each.
    expect(got).toHaveLength(13);
    expect(got[0]!.marker).toBe(true);
    for (let i = 1; i < got.length; i++) {
      expect(got[i]!.sequenceNumber).toBe((got[i - 1]!.sequenceNumber + 1) & 0xffff);
      expect((got[i]!.timestamp - got[i - 1]!.timestamp) >>> 0).toBe(160);
    }
    expect(runs(got.map((r) => kindOf(r, 600)))).toEqual([{ kind: 'dtmf', n: 10 }, { kind: 'silence', n: 3 }]);
    const detector = new InbandDtmfDetector({ sampleRate: 8000 });
    const digits: string[] = [];
    got.forEach((r, i) => {
      for (const d of detector.process(pcmOf(r), i * 20)) digits.push(d.digit);
    });
    expect(digits).toEqual(['5']);
    expect((await fx.pool.stats(ep.endpoint)).dtmfOut).toBe(1);
    await fx.pool.destroy(ep.endpoint);
  });

  it('mutes the relay towards the endpoint for the digit, and the relay comes back after', async () => {
    const pa = await newPhone();
    const pb = await newPhone();
    const a = await endpoint();
    const b = await endpoint(a.endpoint);
    await fx.pool.setRemote(a.endpoint, pcmuOnly(pa.port));
    await fx.pool.setRemote(b.endpoint, pcmuOnly(pb.port));
    await fx.pool.connect(a.endpoint, b.endpoint);
    void pb.stream(b.port, toneTicks(600));
    await sleep(300);
    await fx.pool.sendDtmf(a.endpoint, '5', 160);
    await sleep(300);
    const seq = runs(pa.received.map((r) => kindOf(r, 600)));
    // B's voice, then only the digit (never both in one packet), its gap, then B's voice again.
    expect(seq.map((r) => r.kind)).toEqual(['tone', 'dtmf', 'silence', 'tone']);
    expect(seq[1]!.n).toBe(8);
    expect(seq[3]!.n).toBeGreaterThan(8);
    await fx.pool.destroy(a.endpoint);
    await fx.pool.destroy(b.endpoint);
  });

  it('a play keeps running under the digit: its tone is back afterwards and it is not ended', async () => {
    const p = await newPhone();
    const ep = await endpoint();
    await fx.pool.setRemote(ep.endpoint, pcmuOnly(p.port));
    await fx.pool.play(ep.endpoint, { playId: 'moh', sources: [{ kind: 'tone', tone: 'test' }] });
    await sleep(200);
    await fx.pool.sendDtmf(ep.endpoint, '5', 100);
    await sleep(200);
    expect(events.some((e) => e.ev === 'playDone')).toBe(false);
    const seq = runs(p.received.map((r) => kindOf(r, 1000)));
    expect(seq.map((r) => r.kind)).toEqual(['tone', 'dtmf', 'silence', 'tone']);
    expect(await fx.pool.stopPlay(ep.endpoint, 'moh')).toEqual({ stopped: true });
    await fx.pool.destroy(ep.endpoint);
  });

  it('still sends RFC 4733 events to a far end that negotiated telephone-event', async () => {
    const p = await newPhone();
    const ep = await endpoint();
    await fx.pool.setRemote(ep.endpoint, { ...pcmuOnly(p.port), telephoneEventPayloadType: 101 });
    await fx.pool.sendDtmf(ep.endpoint, '5', 100);
    await sleep(60);
    expect(p.received.length).toBeGreaterThan(0);
    expect(p.received.every((r) => r.payloadType === 101)).toBe(true);
    await fx.pool.destroy(ep.endpoint);
  });
});
