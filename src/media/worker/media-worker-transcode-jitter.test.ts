// A transcoding relay plays out through a jitter buffer: packets a phone sends out of order
// reach the other phone in order, none dropped, none concealed, over real workers and UDP.
import { describe, expect, it } from 'vitest';
import { decodeMuLaw, encodeALaw, encodeMuLaw } from '../codec/index.js';
import { serializeTelephoneEvents } from '../dtmf/index.js';
import type { RtpPacket } from '../rtp/index.js';
import type { RtpPhone } from '../../../test/support/rtp-phone.js';
import { mediaWorkerFixture } from '../../../test/support/media-worker-fixture.js';
import type { RemoteDescription } from './protocol.js';

const HOST = '127.0.0.1';
const FRAMES = 30;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 6000): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > ms) throw new Error('condition not met in time');
    await sleep(10);
  }
}

function remote(port: number, codec: 'PCMU' | 'PCMA'): RemoteDescription {
  return {
    address: HOST, port, rtcpMux: true, codec, payloadType: codec === 'PCMU' ? 0 : 8, clockRate: 8000,
    telephoneEventPayloadType: 101, ptime: 20, direction: 'sendrecv',
  };
}

/**
 * Frame i (0-based) is a constant level, so the order of what arrives is readable; 64 apart
 * up to 1,920, where both G.711 laws still give every level a code of its own.
 */
const level = (i: number): number => (i + 1) * 64;

/** Frame i as A-law after the transcoder (mu-law decoded, A-law encoded): one code per frame. */
const expectedCodes = Array.from({ length: FRAMES }, (_, i) =>
  encodeALaw(decodeMuLaw(encodeMuLaw(new Int16Array(1).fill(level(i)))))[0]!);

/** Which frame a received A-law packet is (its constant code), or -1. */
function frameIndexOf(p: RtpPacket): number {
  const code = p.payload[80]!;
  return p.payload.every((b) => b === code) ? expectedCodes.indexOf(code) : -1;
}

describe('transcoding relay with a jitter buffer', () => {
  const fx = mediaWorkerFixture({ workers: 1, ports: '35000-35099', firstSsrc: 0x77 });

  async function call(): Promise<{ a: RtpPhone; b: RtpPhone; aPort: number; bPort: number; ids: string[] }> {
    const a = await fx.newPhone();
    const b = await fx.newPhone();
    const ea = await fx.pool.createEndpoint({ localAddress: HOST, rtcpMux: true });
    const eb = await fx.pool.createEndpoint({ localAddress: HOST, rtcpMux: true, near: ea.endpoint });
    await fx.pool.setRemote(ea.endpoint, remote(a.port, 'PCMU'));
    await fx.pool.setRemote(eb.endpoint, remote(b.port, 'PCMA'));
    expect(await fx.pool.connect(ea.endpoint, eb.endpoint)).toEqual({ transcoding: true });
    return { a, b, aPort: ea.port, bPort: eb.port, ids: [ea.endpoint, eb.endpoint] };
  }

  /** Sends the frames in `order` (indices), one every 20 ms. */
  function talk(from: RtpPhone, to: number, order: number[]): Promise<void> {
    const frames = Array.from({ length: FRAMES }, (_, i) => encodeMuLaw(new Int16Array(160).fill(level(i)), new Uint8Array(160)));
    return from.stream(to, (k) => {
      const i = order[k];
      return i === undefined ? undefined : [{ sequenceNumber: 1000 + i, timestamp: 8000 + i * 160, marker: i === 0, payload: frames[i]! }];
    });
  }

  it('puts reordered packets back in order: every frame once, in sequence, nothing concealed', async () => {
    const { a, b, aPort, ids } = await call();
    // Every third pair swapped (1<->2, 4<->5, ...): each swapped packet 20 ms late.
    const order = Array.from({ length: FRAMES }, (_, i) => i);
    for (let i = 1; i + 1 < FRAMES; i += 3) [order[i], order[i + 1]] = [order[i + 1]!, order[i]!];
    await talk(a, aPort, order);
    await until(() => b.received.length >= FRAMES);
    await sleep(100);
    const got = b.received.filter((p) => p.payloadType === 8);
    expect(got.map(frameIndexOf)).toEqual(Array.from({ length: FRAMES }, (_, i) => i));
    for (let i = 1; i < got.length; i++) {
      expect(got[i]!.sequenceNumber).toBe((got[i - 1]!.sequenceNumber + 1) & 0xffff);
      expect((got[i]!.timestamp - got[i - 1]!.timestamp) >>> 0).toBe(160);
    }
    for (const id of ids) await fx.pool.destroy(id);
  });

  it('sends what it buffered before a digit, so the digit follows the audio it interrupts', async () => {
    const { a, b, aPort, ids } = await call();
    await talk(a, aPort, [0, 1, 2, 3, 4]);
    // The digit right after the last audio, before the buffer has played it all.
    a.send(aPort, {
      payloadType: 101, marker: true, sequenceNumber: 1005, timestamp: 8000 + 5 * 160,
      payload: serializeTelephoneEvents([{ event: 5, end: false, volume: 10, duration: 160 }]),
    });
    await until(() => b.received.some((p) => p.payloadType === 101));
    await sleep(100);
    const kinds = b.received.map((p) => (p.payloadType === 101 ? 'digit' : frameIndexOf(p)));
    expect(kinds).toEqual([0, 1, 2, 3, 4, 'digit']);
    const digit = b.received.at(-1)!;
    const lastAudio = b.received.at(-2)!;
    expect(digit.sequenceNumber).toBe((lastAudio.sequenceNumber + 1) & 0xffff);
    expect((digit.timestamp - lastAudio.timestamp) >>> 0).toBe(160);
    for (const id of ids) await fx.pool.destroy(id);
  });
});
