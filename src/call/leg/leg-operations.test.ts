import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { HangupError } from './hangup-error.js';
import type { HangupCause } from './leg-types.js';
import { LegOperations } from './leg-operations.js';

function setup() {
  const clock = new ManualClock();
  const ctl = new AbortController();
  let cause: HangupCause | undefined;
  const ops = new LegOperations(clock, ctl.signal, () => cause);
  const end = (c: HangupCause): void => {
    cause = c;
    ctl.abort(new HangupError(c));
    ops.wake();
  };
  return { clock, ops, end };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
const noPlay = async () => ({ reason: 'finished' as const });

describe('LegOperations', () => {
  it('counts one key press that arrives by RFC 4733 and by INFO within 300 ms once', () => {
    const { clock, ops } = setup();
    expect(ops.deliverDigit('5', 'rfc4733')).toBe(true);
    expect(ops.deliverDigit('5', 'info')).toBe(false);
    clock.advance(400);
    expect(ops.deliverDigit('5', 'info')).toBe(true);
    // The same route twice is two presses.
    expect(ops.deliverDigit('5', 'info')).toBe(true);
  });

  it('collects digits until the terminator, then times out between digits', async () => {
    const { clock, ops } = setup();
    const first = ops.collect({ max: 4, terminator: '#', firstDigitMs: 5000, interDigitMs: 2000 }, noPlay);
    await flush();
    ops.deliverDigit('1', 'rfc4733');
    ops.deliverDigit('2', 'info');
    ops.deliverDigit('#', 'rfc4733');
    expect(await first).toBe('12');
    const second = ops.collect({ max: 4, firstDigitMs: 5000, interDigitMs: 2000 }, noPlay);
    await flush();
    ops.deliverDigit('7', 'rfc4733');
    await flush();
    clock.advance(2000);
    expect(await second).toBe('7');
    expect(clock.pending).toBe(0);
  });

  it('a pending collect rejects with the hang-up cause when the leg ends, leaving no timer', async () => {
    const { clock, ops, end } = setup();
    const pending = ops.collect({ max: 1, firstDigitMs: 5000, interDigitMs: 0 }, noPlay);
    await flush();
    end('busy');
    await expect(pending).rejects.toMatchObject({ hangupCause: 'busy' });
    expect(clock.pending).toBe(0);
    await expect(ops.abortable(Promise.resolve(1))).rejects.toBeInstanceOf(HangupError);
    expect(() => ops.assertLive()).toThrow(HangupError);
  });
});
