import { describe, expect, it } from 'vitest';
import { collectorTransition, startCollector, type CollectorInput, type CollectorSettings, type CollectorStep } from './digit-collector.js';

function run(settings: CollectorSettings, inputs: CollectorInput[]): CollectorStep[] {
  const steps = [startCollector(settings)];
  for (const i of inputs) steps.push(collectorTransition((steps.at(-1) as CollectorStep).state, i, settings));
  return steps;
}

const d = (digit: string): CollectorInput => ({ type: 'digit', digit });

describe('digit collection', () => {
  const settings = { max: 4, terminator: '#', firstDigitMs: 5000, interDigitMs: 3000 };

  it('waits firstDigitMs for the first digit, then interDigitMs between digits, up to max', () => {
    const steps = run(settings, [d('1'), d('2'), d('3'), d('4')]);
    expect(steps.map((s) => s.armMs)).toEqual([5000, 3000, 3000, 3000, undefined]);
    expect(steps.at(-1)?.state).toEqual({ phase: 'done', digits: '1234', reason: 'max' });
  });

  it('ends on the terminator, which is not returned', () => {
    expect(run(settings, [d('4'), d('2'), d('#')]).at(-1)?.state).toEqual({ phase: 'done', digits: '42', reason: 'terminator' });
    expect(run(settings, [d('#')]).at(-1)?.state).toEqual({ phase: 'done', digits: '', reason: 'terminator' });
  });

  it('returns what it has on a timeout, and ignores input once done', () => {
    const steps = run(settings, [d('7'), { type: 'timeout' }, d('8')]);
    expect(steps[2]?.state).toEqual({ phase: 'done', digits: '7', reason: 'timeout' });
    expect(steps[3]?.state).toEqual(steps[2]?.state);
    expect(run(settings, [{ type: 'timeout' }]).at(-1)?.state).toEqual({ phase: 'done', digits: '', reason: 'timeout' });
  });

  it('without a terminator, # is an ordinary digit', () => {
    expect(run({ max: 2, firstDigitMs: 5000, interDigitMs: 3000 }, [d('#'), d('1')]).at(-1)?.state)
      .toEqual({ phase: 'done', digits: '#1', reason: 'max' });
  });
});
