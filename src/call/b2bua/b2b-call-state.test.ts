import { describe, expect, it } from 'vitest';
import { initialCall, transitionCall, type CallEvent, type CallSnapshot, type CallEffect } from './b2b-call-state.js';

function run(forks: string[], events: CallEvent[]): { s: CallSnapshot; effects: CallEffect[] } {
  let s = initialCall(forks);
  const effects: CallEffect[] = [];
  for (const ev of events) {
    const r = transitionCall(s, ev);
    s = r.next;
    effects.push(...r.effects);
  }
  return { s, effects };
}

describe('B2BUA call state', () => {
  it('relays ringing, answers with the first 2xx and cancels the other forks', () => {
    const { s, effects } = run(['a', 'b'], [
      { type: 'fork-provisional', fork: 'a', status: 180 },
      { type: 'fork-provisional', fork: 'b', status: 180 },
      { type: 'fork-answered', fork: 'b' },
      { type: 'caller-acked' },
    ]);
    expect(s.state).toBe('confirmed');
    expect(s.winner).toBe('b');
    expect(effects).toEqual([
      { do: 'relay-provisional', fork: 'a', status: 180 },
      { do: 'relay-provisional', fork: 'b', status: 180 },
      { do: 'cancel-fork', fork: 'a' },
      { do: 'answer-caller', fork: 'b' },
      { do: 'ack-fork', fork: 'b', withCallerAck: true },
    ]);
  });

  it('does not relay 100 Trying', () => {
    const { effects } = run(['a'], [{ type: 'fork-provisional', fork: 'a', status: 100 }]);
    expect(effects).toEqual([]);
  });

  it('a second 2xx after the winner is ACKed and hung up', () => {
    const { effects } = run(['a', 'b'], [
      { type: 'fork-answered', fork: 'a' },
      { type: 'fork-answered', fork: 'b' },
    ]);
    expect(effects.slice(-2)).toEqual([
      { do: 'ack-fork', fork: 'b', withCallerAck: false },
      { do: 'bye-fork', fork: 'b' },
    ]);
  });

  it('answers busy when every fork fails and one was busy', () => {
    const { s, effects } = run(['a', 'b'], [
      { type: 'fork-failed', fork: 'a', status: 486 },
      { type: 'fork-failed', fork: 'b', status: 408 },
    ]);
    expect(s.state).toBe('ended');
    expect(effects).toEqual([{ do: 'reject-caller', status: 486 }, { do: 'ended', cause: 'rejected' }]);
  });

  it('turns an all-503 outcome into 480 for the caller', () => {
    const { effects } = run(['a'], [{ type: 'fork-failed', fork: 'a', status: 503 }]);
    expect(effects[0]).toEqual({ do: 'reject-caller', status: 480 });
  });

  it('waits for the last fork before rejecting', () => {
    const { s, effects } = run(['a', 'b'], [{ type: 'fork-failed', fork: 'a', status: 486 }]);
    expect(s.state).toBe('routing');
    expect(effects).toEqual([]);
  });

  it('CANCEL from the caller cancels every fork and answers 487', () => {
    const { s, effects } = run(['a', 'b'], [
      { type: 'fork-provisional', fork: 'a', status: 180 },
      { type: 'caller-cancelled' },
      { type: 'fork-failed', fork: 'a', status: 487 },
    ]);
    expect(s.state).toBe('ended');
    expect(effects).toEqual([
      { do: 'relay-provisional', fork: 'a', status: 180 },
      { do: 'cancel-fork', fork: 'a' },
      { do: 'cancel-fork', fork: 'b' },
      { do: 'reject-caller', status: 487 },
      { do: 'ended', cause: 'cancelled' },
    ]);
  });

  it('a 2xx racing the CANCEL is ACKed and hung up', () => {
    const { effects } = run(['a'], [{ type: 'caller-cancelled' }, { type: 'fork-answered', fork: 'a' }]);
    expect(effects.slice(-2)).toEqual([
      { do: 'ack-fork', fork: 'a', withCallerAck: false },
      { do: 'bye-fork', fork: 'a' },
    ]);
  });

  it('BYE propagates from either side once confirmed', () => {
    const fromCaller = run(['a'], [{ type: 'fork-answered', fork: 'a' }, { type: 'caller-acked' }, { type: 'bye', from: 'caller' }]);
    expect(fromCaller.effects.slice(-2)).toEqual([{ do: 'bye-fork', fork: 'a' }, { do: 'ended', cause: 'normal-caller' }]);
    const fromCallee = run(['a'], [{ type: 'fork-answered', fork: 'a' }, { type: 'caller-acked' }, { type: 'bye', from: 'callee' }]);
    expect(fromCallee.effects.slice(-2)).toEqual([{ do: 'bye-caller' }, { do: 'ended', cause: 'normal-callee' }]);
  });

  it('no ACK from the caller ends both legs', () => {
    const { s, effects } = run(['a'], [{ type: 'fork-answered', fork: 'a' }, { type: 'caller-ack-timeout' }]);
    expect(s.state).toBe('ended');
    expect(effects).toContainEqual({ do: 'bye-caller' });
    expect(effects).toContainEqual({ do: 'bye-fork', fork: 'a' });
  });

  it('ring timeout answers 480 and shutdown of a confirmed call sends BYE both ways', () => {
    expect(run(['a'], [{ type: 'ring-timeout' }]).effects).toContainEqual({ do: 'reject-caller', status: 480 });
    const down = run(['a'], [{ type: 'fork-answered', fork: 'a' }, { type: 'caller-acked' }, { type: 'shutdown' }]);
    expect(down.effects).toEqual(expect.arrayContaining([{ do: 'bye-caller' }, { do: 'bye-fork', fork: 'a' }]));
  });
  it('refuses a call before any fork answers (422 for a too short session interval): forks cancelled, caller rejected', () => {
    const { s, effects } = run(['a'], [{ type: 'fork-provisional', fork: 'a', status: 180 }, { type: 'refuse', status: 422 }]);
    expect(s.state).toBe('ended');
    expect(effects.slice(1)).toEqual([{ do: 'cancel-fork', fork: 'a' }, { do: 'reject-caller', status: 422 }, { do: 'ended', cause: 'rejected' }]);
  });

  it('refused while the 2xx waits for a PRACK: the answered callee is ACKed and hung up', () => {
    const { effects } = run(['a'], [{ type: 'fork-answered', fork: 'a' }, { type: 'refuse', status: 500 }]);
    expect(effects).toEqual([
      { do: 'answer-caller', fork: 'a' },
      { do: 'ack-fork', fork: 'a', withCallerAck: false },
      { do: 'bye-fork', fork: 'a' },
      { do: 'reject-caller', status: 500 },
      { do: 'ended', cause: 'rejected' },
    ]);
  });

  it('a session that expires ends both legs with BYE; before an answer it means nothing', () => {
    expect(run(['a'], [{ type: 'session-expired' }]).effects).toEqual([]);
    const { s, effects } = run(['a'], [{ type: 'fork-answered', fork: 'a' }, { type: 'caller-acked' }, { type: 'session-expired' }]);
    expect(s.state).toBe('ended');
    expect(effects.slice(2)).toEqual([{ do: 'bye-fork', fork: 'a' }, { do: 'bye-caller' }, { do: 'ended', cause: 'session-expired' }]);
  });
});
