import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { seededRandom } from '../../core/random.js';
import type { EndpointEvent } from './endpoint-types.js';
import { RtpEndpoint } from './rtp-endpoint.js';
import type { RtpTransport } from './rtp-transport.js';

function countingTransport(sent: { rtcp: number }): RtpTransport {
  return {
    localAddress: '127.0.0.1', port: 20000, rtcpPort: 20001, remoteAddress: undefined, remotePort: undefined,
    latched: false, dropped: 0, receiver: undefined,
    setRemote: () => undefined, sendRtp: () => undefined, sendRtcp: () => { sent.rtcp++; }, close: () => undefined,
  };
}

function endpoint(statsEvents: boolean | undefined) {
  const clock = new ManualClock();
  const events: EndpointEvent[] = [];
  const sent = { rtcp: 0 };
  const ep = new RtpEndpoint({
    id: 'ep1', transport: countingTransport(sent), clock, random: seededRandom(1), emit: (e) => events.push(e),
    rtcpIntervalMs: 5000, ...(statsEvents === undefined ? {} : { statsEvents }),
  });
  ep.setRemote({ address: '192.0.2.1', port: 40000, rtcpMux: false, codec: 'PCMU', payloadType: 0, clockRate: 8000, direction: 'sendrecv' });
  return { clock, events, sent, ep };
}

describe('RtpEndpoint stats events', () => {
  it('are off by default: RTCP reports go out, no event per report reaches the call layer', () => {
    const { clock, events, sent, ep } = endpoint(undefined);
    clock.advance(60_000);
    expect(sent.rtcp).toBeGreaterThanOrEqual(8);
    expect(events.filter((e) => e.ev === 'stats')).toEqual([]);
    ep.close();
  });

  it('come with each RTCP report when asked for', () => {
    const { clock, events, sent, ep } = endpoint(true);
    clock.advance(60_000);
    const stats = events.filter((e) => e.ev === 'stats');
    expect(stats.length).toBe(sent.rtcp);
    expect(stats.length).toBeGreaterThanOrEqual(8);
    ep.close();
  });
});
