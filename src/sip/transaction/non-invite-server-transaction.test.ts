import { describe, expect, it } from 'vitest';
import { nonInviteServerTransaction as nist } from './non-invite-server-transaction.js';
import { bareResponse, run, tcp, types, udp } from './machine-test-support.js';
import type { ServerEvent } from './types.js';

const start: ServerEvent = { type: 'start' };
const tu = (status: number): ServerEvent => ({ type: 'tuResponse', response: bareResponse(status) });
const retransmission: ServerEvent = { type: 'request' };

describe('non-INVITE server transaction machine', () => {
  it('absorbs retransmissions in Trying and resends the last response later', () => {
    expect(run(nist, udp, [start, retransmission]).last).toEqual([]);
    expect(run(nist, udp, [start, tu(100), retransmission]).last).toEqual([{ type: 'retransmit' }]);
    expect(run(nist, udp, [start, tu(200), retransmission]).last).toEqual([{ type: 'retransmit' }]);
  });

  it('completes with J = 64*T1 on UDP and ignores later TU responses', () => {
    const r = run(nist, udp, [start, tu(200)]);
    expect(r.state).toBe('Completed');
    expect(r.last).toContainEqual({ type: 'startTimer', timer: 'J', delayMs: 32_000 });
    expect(run(nist, udp, [start, tu(200), tu(500)]).last).toEqual([]);
    expect(run(nist, udp, [start, tu(200), { type: 'timer', timer: 'J', delayMs: 32_000 }]).state).toBe('Terminated');
  });

  it('uses J = 0 on TCP', () => {
    const r = run(nist, tcp, [start, tu(200)]);
    expect(r.state).toBe('Terminated');
    expect(types(r.last)).toEqual(['sendResponse', 'terminate']);
  });
});
