import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/random.js';
import type { EndpointBinding, MediaWorkerPool, RemoteDescription } from '../../media/worker/index.js';
import { LegMedia } from './leg-media.js';

/**
 * The two pool calls LegMedia.answer makes, with the worker's reply to setRemote held back until
 * the test releases it: what this file checks is when answer() resolves, not what a worker does
 * (the interop tests run real workers).
 */
function heldPool() {
  const sent: RemoteDescription[] = [];
  let settle: { resolve: () => void; reject: (err: Error) => void } | undefined;
  const pool = {
    createEndpoint: async (): Promise<EndpointBinding> => ({ endpoint: 'ep1', localAddress: '127.0.0.1', port: 20000, rtcpPort: 20001 }),
    setRemote: (_endpoint: string, remote: RemoteDescription) => {
      sent.push(remote);
      return new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
    },
  };
  // Only the two methods above are reached by LegMedia.open and answer.
  const cfg = {
    pool: pool as unknown as MediaWorkerPool,
    random: seededRandom(3),
    addresses: { IPv4: { bind: '127.0.0.1', advertised: '127.0.0.1' } },
    codecs: ['PCMA', 'PCMU'] as const,
    mediaTimeoutMs: 0,
  };
  return { cfg, sent, release: () => settle?.resolve(), refuse: (err: Error) => settle?.reject(err) };
}

const offer = (host: string): string => [
  'v=0', 'o=- 1 1 IN IP4 192.0.2.9', 's=-', `c=IN IP4 ${host}`, 't=0 0',
  'm=audio 40000 RTP/AVP 0 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', '',
].join('\r\n');

describe('LegMedia: the far end given to a plain-RTP endpoint', () => {
  it('answers without waiting for the worker, which hears of the far end at once; remoteSettled follows it', async () => {
    const { cfg, sent, release } = heldPool();
    const media = await LegMedia.open(cfg);
    const outcome = await media.answer(offer('192.0.2.9'));
    expect(outcome.ok).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ address: '192.0.2.9', port: 40000, codec: 'PCMU' });
    let settled = false;
    const waiting = media.remoteSettled().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    release();
    await waiting;
    expect(settled).toBe(true);
  });

  it('reports a worker that refused the far end through remoteSettled', async () => {
    const { cfg, refuse } = heldPool();
    const media = await LegMedia.open(cfg);
    expect((await media.answer(offer('192.0.2.9'))).ok).toBe(true);
    refuse(new Error('unknown endpoint'));
    await expect(media.remoteSettled()).rejects.toThrow('unknown endpoint');
  });

  it('refuses a far end the worker would refuse (a host name in c=) before anything is sent', async () => {
    const { cfg, sent } = heldPool();
    const media = await LegMedia.open(cfg);
    await expect(media.answer(offer('phone.example.org'))).rejects.toThrow(/not an IP address/);
    expect(sent).toHaveLength(0);
  });
});

describe('LegMedia: our offer, answered', () => {
  it('keeps the offer open after a provisional answer and closes it with the final one', async () => {
    const { cfg, release } = heldPool();
    const media = await LegMedia.open(cfg);
    media.offer();
    // Early media in a 18x, then the same answer in the 2xx.
    expect((await media.answered(offer('192.0.2.9'), true)).ok).toBe(true);
    release();
    expect((await media.answered(offer('192.0.2.9'))).ok).toBe(true);
    // The exchange is over: the parsed offer is not kept for the length of the call.
    expect(await media.answered(offer('192.0.2.9'))).toEqual({ ok: false, reason: 'no offer outstanding' });
    // A new offer (hold, a refresh) opens the next exchange.
    media.offer();
    release();
    expect((await media.answered(offer('192.0.2.9'))).ok).toBe(true);
  });
});
