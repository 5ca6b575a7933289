import { describe, expect, it } from 'vitest';
import { inviteServerTransaction as ist } from './invite-server-transaction.js';
import { bareAck, bareResponse, run, tcp, types, udp } from './machine-test-support.js';
import type { ServerEvent } from './types.js';

const start: ServerEvent = { type: 'start' };
const tu = (status: number): ServerEvent => ({ type: 'tuResponse', response: bareResponse(status) });
const ack: ServerEvent = { type: 'ack', ack: bareAck() };
const retransmission: ServerEvent = { type: 'request' };
const timer = (t: 'G' | 'H' | 'I' | 'L' | 'Trying', delayMs = 0): ServerEvent => ({ type: 'timer', timer: t, delayMs });

describe('INVITE server transaction machine', () => {
  it('arms the 200 ms Trying timer and sends 100 when it fires', () => {
    expect(run(ist, udp, [start]).effects).toEqual([{ type: 'startTimer', timer: 'Trying', delayMs: 200 }]);
    expect(run(ist, udp, [start, timer('Trying')]).last).toEqual([{ type: 'sendTrying' }]);
  });

  it('stops the Trying timer on a TU response and resends the last provisional on retransmission', () => {
    expect(run(ist, udp, [start, tu(180)]).last[0]).toEqual({ type: 'stopTimer', timer: 'Trying' });
    expect(run(ist, udp, [start, tu(180), retransmission]).last).toEqual([{ type: 'retransmit' }]);
  });

  it('enters Completed on a non-2xx with G = T1 and H = 64*T1, doubling G up to T2', () => {
    const r = run(ist, udp, [start, tu(486)]);
    expect(r.state).toBe('Completed');
    expect(r.last).toContainEqual({ type: 'startTimer', timer: 'G', delayMs: 500 });
    expect(r.last).toContainEqual({ type: 'startTimer', timer: 'H', delayMs: 32_000 });
    expect(ist.transition('Completed', timer('G', 2000), udp).effects).toContainEqual({ type: 'startTimer', timer: 'G', delayMs: 4000 });
    expect(ist.transition('Completed', timer('G', 4000), udp).effects).toContainEqual({ type: 'startTimer', timer: 'G', delayMs: 4000 });
    expect(run(ist, udp, [start, tu(486), retransmission]).last).toEqual([{ type: 'retransmit' }]);
  });

  it('has no G on TCP', () => {
    expect(run(ist, tcp, [start, tu(486)]).last.filter((e) => e.type === 'startTimer')).toEqual([
      { type: 'startTimer', timer: 'H', delayMs: 32_000 },
    ]);
  });

  it('times out on H without ACK', () => {
    expect(run(ist, udp, [start, tu(486), timer('H')]).last).toEqual([{ type: 'timeout', timer: 'H' }, { type: 'terminate' }]);
  });

  it('absorbs the ACK: Confirmed with I = T4 on UDP, Terminated at once on TCP', () => {
    const r = run(ist, udp, [start, tu(486), ack]);
    expect(r.state).toBe('Confirmed');
    expect(r.last).toContainEqual({ type: 'startTimer', timer: 'I', delayMs: 5000 });
    expect(run(ist, udp, [start, tu(486), ack, ack]).last).toEqual([]);
    expect(run(ist, udp, [start, tu(486), ack, timer('I')]).state).toBe('Terminated');
    expect(run(ist, tcp, [start, tu(486), ack]).state).toBe('Terminated');
  });

  it('on 2xx enters Accepted with L, absorbs INVITE retransmissions, passes ACKs and TU 2xx', () => {
    const r = run(ist, udp, [start, tu(200)]);
    expect(r.state).toBe('Accepted');
    expect(r.last).toContainEqual({ type: 'startTimer', timer: 'L', delayMs: 32_000 });
    expect(run(ist, udp, [start, tu(200), retransmission]).last).toEqual([]);
    expect(types(run(ist, udp, [start, tu(200), tu(200)]).last)).toEqual(['sendResponse']);
    expect(types(run(ist, udp, [start, tu(200), ack]).last)).toEqual(['passAck']);
    expect(run(ist, udp, [start, tu(200), timer('L')]).state).toBe('Terminated');
  });
});
