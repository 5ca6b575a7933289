import { describe, expect, it } from 'vitest';
import type { Leg } from '../../call/index.js';
import { RunningCalls, type RunningCall } from './running-calls.js';
import { sharedMediaWorker, type PartyCalls } from './shared-media-worker.js';

/** A call between `a` and `b` whose legs' media are in `worker` (endpoint ids name the worker). */
function call(a: string, b: string | undefined, worker: number | undefined): RunningCall {
  const leg = (): Leg => ({ endpointId: worker === undefined ? undefined : `w${worker}` }) as unknown as Leg;
  const parties = [{ leg: leg(), party: { number: a } }, { leg: leg(), party: { number: b } }] as const;
  return { parties: () => parties as never, release: () => undefined, down: Promise.resolve() };
}

function placed(...calls: RunningCall[]): (number: string) => PartyCalls {
  const running = new RunningCalls();
  for (const c of calls) running.add(c);
  return (number) => running.partyCalls(number, (endpoint) => Number(endpoint.slice(1)));
}

describe('sharedMediaWorker', () => {
  it('puts a consultation call in the worker of the call the caller is already in', () => {
    expect(sharedMediaWorker(['1002', '1004'], placed(call('2001', '2002', 0), call('1002', '1003', 1)))).toBe(1);
  });

  it('uses the callee\'s call when the caller is in none (a second call reaching an attendant)', () => {
    expect(sharedMediaWorker(['1002', '1003'], placed(call('1003', undefined, 1)))).toBe(1);
  });

  it('prefers the caller\'s worker over the callee\'s', () => {
    expect(sharedMediaWorker(['1002', '1003'], placed(call('1003', '3000', 0), call('1002', '3001', 1)))).toBe(1);
  });

  it('leaves the choice to the pool when neither party is in a call', () => {
    expect(sharedMediaWorker(['1002', '1003'], placed(call('2001', '2002', 0)))).toBeUndefined();
  });

  it('spreads the calls of a party carrying more calls than a phone has lines', () => {
    const calls = Array.from({ length: 5 }, (_, i) => call('1001', `11${i}`, i % 2));
    expect(sharedMediaWorker(['1002', '1001'], placed(...calls), 4)).toBeUndefined();
    expect(sharedMediaWorker(['1002', '1001'], placed(...calls.slice(0, 4)), 4)).toBe(0);
  });

  it('falls back to the callee when the caller carries too many calls', () => {
    const calls = [call('1003', '9', 1), ...Array.from({ length: 5 }, (_, i) => call('1002', `11${i}`, 0))];
    expect(sharedMediaWorker(['1002', '1003'], placed(...calls), 4)).toBe(1);
  });

  it('ignores legs without media yet', () => {
    expect(sharedMediaWorker(['1002'], placed(call('1002', '1003', undefined)))).toBeUndefined();
  });
});

describe('RunningCalls', () => {
  it('indexes calls by their parties\' numbers and forgets ended ones', () => {
    const running = new RunningCalls();
    const ab = call('1001', '1002', 0);
    const ac = call('1001', '1003', 1);
    running.add(ab);
    running.add(ac);
    expect(running.of('1001').size).toBe(2);
    expect([...running.of('1002')]).toEqual([ab]);
    running.delete(ab);
    running.delete(ab);
    expect([...running.of('1001')]).toEqual([ac]);
    expect(running.of('1002').size).toBe(0);
    expect([...running]).toEqual([ac]);
  });
});
