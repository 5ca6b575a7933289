import { describe, expect, it } from 'vitest';
import { inviteClientTransaction as ict } from './invite-client-transaction.js';
import { bareResponse, run, tcp, types, udp } from './machine-test-support.js';
import type { ClientEvent } from './types.js';

const start: ClientEvent = { type: 'start' };
const resp = (status: number): ClientEvent => ({ type: 'response', response: bareResponse(status) });
const timer = (t: 'A' | 'B' | 'D' | 'M' | 'CancelWait', delayMs = 0): ClientEvent => ({ type: 'timer', timer: t, delayMs });

describe('INVITE client transaction machine', () => {
  it('starts in Calling with A = T1 and B = 64*T1 on UDP', () => {
    const r = run(ict, udp, [start]);
    expect(r.state).toBe('Calling');
    expect(r.effects).toEqual([
      { type: 'sendRequest' },
      { type: 'startTimer', timer: 'A', delayMs: 500 },
      { type: 'startTimer', timer: 'B', delayMs: 32_000 },
    ]);
  });

  it('has no Timer A on TCP', () => {
    expect(run(ict, tcp, [start]).effects.filter((e) => e.type === 'startTimer')).toEqual([
      { type: 'startTimer', timer: 'B', delayMs: 32_000 },
    ]);
  });

  it('doubles Timer A without a cap', () => {
    const r = ict.transition('Calling', timer('A', 8000), udp);
    expect(r.effects).toEqual([{ type: 'retransmit' }, { type: 'startTimer', timer: 'A', delayMs: 16_000 }]);
  });

  it('times out on B in Calling', () => {
    const r = run(ict, udp, [start, timer('B')]);
    expect(r.state).toBe('Terminated');
    expect(r.last).toEqual([{ type: 'timeout', timer: 'B' }, { type: 'terminate' }]);
  });

  it('stops retransmitting in Proceeding and passes provisionals up', () => {
    const r = run(ict, udp, [start, resp(180)]);
    expect(r.state).toBe('Proceeding');
    expect(types(r.last)).toEqual(['stopTimer', 'stopTimer', 'passResponse']);
    expect(run(ict, udp, [start, resp(180), resp(183)]).last).toEqual([{ type: 'passResponse', response: bareResponse(183) }]);
  });

  it('goes to Accepted on 2xx with Timer M and passes 2xx retransmissions up', () => {
    const r = run(ict, udp, [start, resp(200)]);
    expect(r.state).toBe('Accepted');
    expect(r.last).toContainEqual({ type: 'startTimer', timer: 'M', delayMs: 32_000 });
    expect(r.last.some((e) => e.type === 'sendAck')).toBe(false);
    expect(types(run(ict, udp, [start, resp(200), resp(200)]).last)).toEqual(['passResponse']);
    expect(run(ict, udp, [start, resp(200), resp(486)]).last).toEqual([]);
    expect(run(ict, udp, [start, resp(200), timer('M')]).state).toBe('Terminated');
  });

  it('ACKs a non-2xx, waits Timer D on UDP and re-ACKs retransmissions without passing them up', () => {
    const r = run(ict, udp, [start, resp(100), resp(486)]);
    expect(r.state).toBe('Completed');
    expect(types(r.last)).toContain('sendAck');
    expect(r.last).toContainEqual({ type: 'startTimer', timer: 'D', delayMs: 32_000 });
    const again = run(ict, udp, [start, resp(486), resp(486)]);
    expect(again.last).toEqual([{ type: 'sendAck', response: bareResponse(486) }]);
    expect(run(ict, udp, [start, resp(486), timer('D')]).state).toBe('Terminated');
  });

  it('uses Timer D = 0 on TCP: Terminated at once after ACK', () => {
    const r = run(ict, tcp, [start, resp(603)]);
    expect(r.state).toBe('Terminated');
    expect(types(r.last)).toEqual(['stopTimer', 'stopTimer', 'stopTimer', 'sendAck', 'passResponse', 'terminate']);
  });

  it('gives up 64*T1 after a CANCEL without final response', () => {
    const r = run(ict, udp, [start, resp(180), { type: 'cancelSent' }]);
    expect(r.last).toEqual([{ type: 'startTimer', timer: 'CancelWait', delayMs: 32_000 }]);
    expect(run(ict, udp, [start, resp(180), { type: 'cancelSent' }, timer('CancelWait')]).state).toBe('Terminated');
  });

  it('reports transport errors and terminates', () => {
    const r = run(ict, udp, [start, { type: 'transportError', error: new Error('x') }]);
    expect(r.state).toBe('Terminated');
    expect(types(r.last)).toEqual(['transportError', 'terminate']);
  });
});
