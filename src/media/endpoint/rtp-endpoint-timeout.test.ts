import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { seededRandom } from '../../core/random.js';
import { serializeRtpPacket } from '../rtp/rtp-packet.js';
import type { EndpointEvent } from './endpoint-types.js';
import { RtpEndpoint } from './rtp-endpoint.js';
import type { RtpTransport } from './rtp-transport.js';

/** A transport that sends nowhere: this file is about the endpoint's media timeout. */
function quietTransport(): RtpTransport {
  return {
    localAddress: '127.0.0.1', port: 20000, rtcpPort: 20001, remoteAddress: undefined, remotePort: undefined,
    latched: false, dropped: 0, receiver: undefined,
    setRemote: () => undefined, sendRtp: () => undefined, sendRtcp: () => undefined, close: () => undefined,
  };
}

function endpointWithClock(timeoutMs: number) {
  const clock = new ManualClock();
  let armed = 0;
  const setTimer = clock.setTimer.bind(clock);
  clock.setTimer = (delay, fire) => {
    armed++;
    return setTimer(delay, fire);
  };
  const events: EndpointEvent[] = [];
  const endpoint = new RtpEndpoint({
    id: 'ep1', transport: quietTransport(), clock, random: seededRandom(1), emit: (e) => events.push(e),
    mediaTimeoutMs: timeoutMs, rtcpIntervalMs: 0,
  });
  endpoint.setRemote({ address: '192.0.2.1', port: 40000, rtcpMux: false, codec: 'PCMU', payloadType: 0, clockRate: 8000, direction: 'sendrecv' });
  let seq = 0;
  const packet = (): void => {
    seq++;
    const p = serializeRtpPacket({
      marker: false, payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc: 7, csrcs: [], payload: new Uint8Array(160), paddingLength: 0,
    });
    endpoint.onRtp(p, clock.monotonic());
  };
  return { clock, endpoint, events, packet, armed: () => armed };
}

describe('RtpEndpoint media timeout', () => {
  it('arms one timer per timeout period while RTP flows, not one per second', () => {
    const { clock, events, packet, armed } = endpointWithClock(60_000);
    const before = armed();
    // Five minutes of 20 ms packets.
    for (let t = 0; t < 300_000; t += 20) {
      packet();
      clock.advance(20);
    }
    expect(events.filter((e) => e.ev === 'timeout')).toHaveLength(0);
    expect(armed() - before).toBeLessThanOrEqual(6);
  });

  it('raises the timeout when the silence reaches it, and not before', () => {
    const { clock, events, packet } = endpointWithClock(60_000);
    for (let t = 0; t < 7_000; t += 20) {
      packet();
      clock.advance(20);
    }
    // The last packet arrived 20 ms ago.
    clock.advance(60_000 - 20 - 15);
    expect(events.filter((e) => e.ev === 'timeout')).toHaveLength(0);
    clock.advance(30);
    const raised = events.filter((e) => e.ev === 'timeout');
    expect(raised).toHaveLength(1);
    expect((raised[0] as { silentMs: number }).silentMs).toBeGreaterThanOrEqual(60_000);
  });

  it('raises nothing while the far end holds the call', () => {
    const { clock, endpoint, events } = endpointWithClock(1_000);
    endpoint.setRemote({ address: '192.0.2.1', port: 40000, rtcpMux: false, codec: 'PCMU', payloadType: 0, clockRate: 8000, direction: 'sendonly' });
    clock.advance(10_000);
    expect(events.filter((e) => e.ev === 'timeout')).toHaveLength(0);
  });
});
