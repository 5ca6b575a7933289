import { describe, expect, it } from 'vitest';
import { nonInviteClientTransaction as nict } from './non-invite-client-transaction.js';
import { bareResponse, run, tcp, types, udp } from './machine-test-support.js';
import type { ClientEvent } from './types.js';

const start: ClientEvent = { type: 'start' };
const resp = (status: number): ClientEvent => ({ type: 'response', response: bareResponse(status) });
const timer = (t: 'E' | 'F' | 'K', delayMs = 0): ClientEvent => ({ type: 'timer', timer: t, delayMs });

describe('non-INVITE client transaction machine', () => {
  it('starts in Trying with E = T1 and F = 64*T1 on UDP, only F on TCP', () => {
    expect(run(nict, udp, [start]).effects).toEqual([
      { type: 'sendRequest' },
      { type: 'startTimer', timer: 'E', delayMs: 500 },
      { type: 'startTimer', timer: 'F', delayMs: 32_000 },
    ]);
    expect(types(run(nict, tcp, [start]).effects)).toEqual(['sendRequest', 'startTimer']);
  });

  it('doubles E up to T2 in Trying and uses T2 in Proceeding', () => {
    expect(nict.transition('Trying', timer('E', 1000), udp).effects).toContainEqual({ type: 'startTimer', timer: 'E', delayMs: 2000 });
    expect(nict.transition('Trying', timer('E', 4000), udp).effects).toContainEqual({ type: 'startTimer', timer: 'E', delayMs: 4000 });
    expect(nict.transition('Proceeding', timer('E', 500), udp).effects).toContainEqual({ type: 'startTimer', timer: 'E', delayMs: 4000 });
  });

  it('times out on F in Trying and Proceeding', () => {
    expect(run(nict, udp, [start, timer('F')]).last).toEqual([{ type: 'timeout', timer: 'F' }, { type: 'terminate' }]);
    expect(run(nict, udp, [start, resp(100), timer('F')]).state).toBe('Terminated');
  });

  it('completes with K = T4 on UDP and absorbs retransmitted finals', () => {
    const r = run(nict, udp, [start, resp(100), resp(200)]);
    expect(r.state).toBe('Completed');
    expect(r.last).toContainEqual({ type: 'startTimer', timer: 'K', delayMs: 5000 });
    expect(run(nict, udp, [start, resp(200), resp(200)]).last).toEqual([]);
    expect(run(nict, udp, [start, resp(200), timer('K')]).state).toBe('Terminated');
  });

  it('uses K = 0 on TCP', () => {
    const r = run(nict, tcp, [start, resp(404)]);
    expect(r.state).toBe('Terminated');
    expect(types(r.last)).toEqual(['stopTimer', 'stopTimer', 'passResponse', 'terminate']);
  });
});
