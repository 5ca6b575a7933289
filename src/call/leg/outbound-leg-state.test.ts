import { describe, expect, it } from 'vitest';
import { causeForStatus, initialOutbound, OriginateError, transitionOutbound, type OutboundEvent, type OutboundSnapshot } from './outbound-leg-state.js';

function run(events: OutboundEvent[], forks = ['f0', 'f1']): { s: OutboundSnapshot; effects: unknown[][] } {
  let s = initialOutbound(forks);
  const effects: unknown[][] = [];
  for (const ev of events) {
    const r = transitionOutbound(s, ev);
    s = r.next;
    effects.push(r.effects);
  }
  return { s, effects };
}

describe('outbound leg state', () => {
  it('rings on a provisional above 100, not on 100 Trying', () => {
    const { s, effects } = run([{ type: 'fork-provisional', fork: 'f0', status: 100 }, { type: 'fork-provisional', fork: 'f0', status: 180 }]);
    expect(effects[0]).toEqual([]);
    expect(effects[1]).toEqual([{ do: 'early', fork: 'f0' }]);
    expect(s.phase).toBe('early');
  });

  it('first 2xx wins: ACK, CANCEL of the other live forks, then answered', () => {
    const { s, effects } = run([{ type: 'fork-provisional', fork: 'f1', status: 180 }, { type: 'fork-answered', fork: 'f0' }]);
    expect(effects[1]).toEqual([{ do: 'ack', fork: 'f0' }, { do: 'cancel', fork: 'f1' }, { do: 'answered', fork: 'f0' }]);
    expect(s).toMatchObject({ phase: 'answered', winner: 'f0' });
    expect(s.forks.get('f1')).toBe('cancelling');
  });

  it('a 2xx from a cancelled fork after the winner is ACKed and ended with BYE; the winner retransmitting is ignored', () => {
    const { effects } = run([{ type: 'fork-answered', fork: 'f0' }, { type: 'fork-answered', fork: 'f1' }, { type: 'fork-answered', fork: 'f0' }]);
    expect(effects[1]).toEqual([{ do: 'ack', fork: 'f1' }, { do: 'bye', fork: 'f1', cause: 'normal' }]);
    expect(effects[2]).toEqual([]);
  });

  it('a 487 of a cancelled loser changes nothing once answered', () => {
    const { s, effects } = run([{ type: 'fork-answered', fork: 'f0' }, { type: 'fork-failed', fork: 'f1', status: 487 }]);
    expect(effects[1]).toEqual([]);
    expect(s.phase).toBe('answered');
  });

  it('ends with the best failure when every fork failed (busy beats not found)', () => {
    const { s, effects } = run([{ type: 'fork-failed', fork: 'f0', status: 404 }, { type: 'fork-failed', fork: 'f1', status: 486 }]);
    expect(effects[0]).toEqual([]);
    expect(effects[1]).toEqual([{ do: 'ended', cause: 'busy', answered: false, status: 486 }]);
    expect(s.phase).toBe('ended');
  });

  it('giving up before an answer cancels every live fork with the given cause', () => {
    const { effects } = run([{ type: 'fork-failed', fork: 'f0', status: 480 }, { type: 'end', cause: 'no-answer' }]);
    expect(effects[1]).toEqual([{ do: 'cancel', fork: 'f1' }, { do: 'ended', cause: 'no-answer', answered: false }]);
  });

  it('a 2xx racing our CANCEL is ACKed and ended with BYE', () => {
    const { effects } = run([{ type: 'end', cause: 'cancelled' }, { type: 'fork-answered', fork: 'f1' }, { type: 'fork-failed', fork: 'f0', status: 487 }]);
    expect(effects[1]).toEqual([{ do: 'ack', fork: 'f1' }, { do: 'bye', fork: 'f1', cause: 'normal' }]);
    expect(effects[2]).toEqual([]);
  });

  it('after the answer: our hangup sends BYE with its cause; the far end\'s BYE just ends', () => {
    expect(run([{ type: 'fork-answered', fork: 'f0' }, { type: 'end', cause: 'busy' }]).effects[1]).toEqual([
      { do: 'bye', fork: 'f0', cause: 'busy' },
      { do: 'ended', cause: 'busy', answered: true },
    ]);
    expect(run([{ type: 'fork-answered', fork: 'f0' }, { type: 'remote-bye' }]).effects[1]).toEqual([{ do: 'ended', cause: 'normal', answered: true }]);
    expect(run([{ type: 'remote-bye' }]).effects[0]).toEqual([]);
  });

  it('ends once only', () => {
    const { effects } = run([{ type: 'end', cause: 'cancelled' }, { type: 'end', cause: 'normal' }, { type: 'remote-bye' }]);
    expect(effects[1]).toEqual([]);
    expect(effects[2]).toEqual([]);
  });

  it('maps final statuses to causes', () => {
    expect([486, 600, 404, 604, 480, 503, 408, 603, 403, 487, 500].map(causeForStatus)).toEqual([
      'busy', 'busy', 'not-found', 'not-found', 'unavailable', 'unavailable', 'no-answer', 'rejected', 'rejected', 'cancelled', 'failed',
    ]);
    const err = new OriginateError('busy', 486);
    expect(err).toMatchObject({ cause: 'busy', status: 486, code: 'originate_failed', name: 'OriginateError' });
  });
});
