import { describe, expect, it } from 'vitest';
import { LegEnd, type EndSignal } from './leg-end.js';

describe('LegEnd', () => {
  it('runs each listener once, in order, and keeps the first reason', () => {
    const end = new LegEnd();
    const seen: string[] = [];
    end.addEventListener('abort', () => seen.push('a'));
    end.addEventListener('abort', () => seen.push(`b:${String(end.reason)}`), { once: true });
    end.end('busy');
    end.end('normal');
    expect(seen).toEqual(['a', 'b:busy']);
    expect(end.aborted).toBe(true);
    expect(end.reason).toBe('busy');
  });

  it('skips removed listeners and those added after the end, as an AbortSignal does', () => {
    const end = new LegEnd();
    const seen: string[] = [];
    const removed = (): void => void seen.push('removed');
    end.addEventListener('abort', removed);
    end.removeEventListener('abort', removed);
    end.end(undefined);
    end.addEventListener('abort', () => seen.push('late'));
    expect(seen).toEqual([]);
  });

  it('still runs the other listeners when one throws, and lets the error surface uncaught', async () => {
    const end = new LegEnd();
    const seen: string[] = [];
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown): void => void uncaught.push(err);
    process.prependListener('uncaughtException', onUncaught);
    try {
      end.addEventListener('abort', () => {
        throw new Error('listener failed');
      });
      end.addEventListener('abort', () => seen.push('second'));
      end.end('normal');
      expect(seen).toEqual(['second']);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.removeListener('uncaughtException', onUncaught);
    }
    expect(uncaught).toHaveLength(1);
  });

  it('takes a real AbortSignal where an EndSignal is read', () => {
    const controller = new AbortController();
    const signal: EndSignal = controller.signal;
    let fired = 0;
    signal.addEventListener('abort', () => fired++, { once: true });
    controller.abort('why');
    expect([fired, signal.aborted, signal.reason]).toEqual([1, true, 'why']);
  });
});
