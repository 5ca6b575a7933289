import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../../core/index.js';
import { decodeMuLaw } from '../codec/index.js';
import { InbandDtmfDetector } from '../dtmf/index.js';
import { parseRtpPacket, type RtpPacket } from '../rtp/index.js';
import type { RemoteDescription } from './endpoint-types.js';
import { InbandDtmfTransmitter } from './inband-dtmf-transmitter.js';

const REMOTE: RemoteDescription = {
  address: '127.0.0.1', port: 4000, rtcpMux: false, codec: 'PCMU', payloadType: 0, clockRate: 8000, ptime: 20, direction: 'sendrecv',
};

function setup(remote: RemoteDescription | null = REMOTE) {
  const clock = new ManualClock();
  const sent: { packet: RtpPacket; first: boolean; at: number }[] = [];
  const tx = new InbandDtmfTransmitter(clock, seededRandom(7), (p, n, first) => {
    const packet = parseRtpPacket(p.subarray(0, n));
    if (!('payloadType' in packet)) throw new Error('bad packet');
    sent.push({ packet, first, at: clock.monotonic() });
  }, () => remote ?? undefined);
  return { clock, sent, tx };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('InbandDtmfTransmitter', () => {
  it('paces the tone then a silent gap, one packet per ptime; resolves at the end of the tone', async () => {
    const { clock, sent, tx } = setup();
    let resolved = false;
    void tx.send('5', 100).then(() => (resolved = true));
    expect(tx.active).toBe(true);
    expect(sent).toHaveLength(1);
    for (let t = 20; t < 100; t += 20) {
      clock.advance(20);
      await flush();
      expect(resolved).toBe(false);
    }
    expect(sent).toHaveLength(5);
    clock.advance(20); // the gap's first packet: the tone is out
    await flush();
    expect(resolved).toBe(true);
    expect(tx.active).toBe(true); // the gap still mutes other audio
    clock.advance(40);
    expect(tx.active).toBe(false);
    expect(sent).toHaveLength(8);
    expect(sent.map((s) => s.first)).toEqual([true, false, false, false, false, false, false, false]);
    expect(sent.map((s) => s.at - sent[0]!.at)).toEqual([0, 20, 40, 60, 80, 100, 120, 140]);
    const detector = new InbandDtmfDetector({ sampleRate: 8000 });
    const digits = sent.flatMap((s, i) => detector.process(decodeMuLaw(s.packet.payload), i * 20).map((d) => d.digit));
    expect(digits).toEqual(['5']);
    expect(sent.slice(5).every((s) => decodeMuLaw(s.packet.payload).every((x) => Math.abs(x) < 10))).toBe(true);
    expect(tx.sentDigits).toBe(1);
  });

  it('queues digits: two equal digits stay two (the gap separates them)', async () => {
    const { clock, sent, tx } = setup();
    const both = Promise.all([tx.send('1', 60), tx.send('1', 60)]);
    for (let i = 0; i < 20; i++) clock.advance(20);
    await both;
    const detector = new InbandDtmfDetector({ sampleRate: 8000 });
    const digits = sent.flatMap((s, i) => detector.process(decodeMuLaw(s.packet.payload), i * 20).map((d) => d.digit));
    expect(digits).toEqual(['1', '1']);
    expect(sent.filter((s) => s.first)).toHaveLength(2);
  });

  it('close fails what is not sent and stops the timer; safe twice', async () => {
    const { clock, sent, tx } = setup();
    const first = tx.send('2', 200);
    const second = tx.send('3', 200);
    tx.close();
    tx.close();
    await expect(first).rejects.toThrow('endpoint closed');
    await expect(second).rejects.toThrow('endpoint closed');
    clock.advance(500);
    expect(sent).toHaveLength(1);
    await expect(tx.send('4', 100)).rejects.toThrow('endpoint closed');
  });

  it('refuses a non-digit and a missing remote', async () => {
    await expect(setup().tx.send('x', 100)).rejects.toBeInstanceOf(RangeError);
    await expect(setup(null).tx.send('1', 100)).rejects.toThrow('no remote');
  });
});
