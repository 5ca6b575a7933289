import { describe, expect, it, vi } from 'vitest';
import { forEachBatched, MessageBatch } from './message-batch.js';

describe('MessageBatch', () => {
  it('sends what one loop turn added as one list, in order, and a lone message as itself', async () => {
    const sent: unknown[] = [];
    const turnEnd = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const batch = new MessageBatch<{ n: number }>((m) => sent.push(m));
    batch.add({ n: 1 });
    batch.add({ n: 2 });
    // A later job of the same turn (a promise continuation) joins the same message.
    await Promise.resolve();
    batch.add({ n: 3 });
    expect(sent).toEqual([]);
    await turnEnd();
    expect(sent).toEqual([[{ n: 1 }, { n: 2 }, { n: 3 }]]);
    batch.add({ n: 4 });
    await turnEnd();
    expect(sent).toEqual([[{ n: 1 }, { n: 2 }, { n: 3 }], { n: 4 }]);
  });

  it('posts what is queued at once when flushed, and nothing more at the turn end or when empty', async () => {
    const sent: unknown[] = [];
    const batch = new MessageBatch<{ n: number }>((m) => sent.push(m));
    batch.flush();
    batch.add({ n: 1 });
    batch.add({ n: 2 });
    batch.flush();
    expect(sent).toEqual([[{ n: 1 }, { n: 2 }]]);
    await new Promise((resolve) => setImmediate(resolve));
    batch.flush();
    expect(sent).toEqual([[{ n: 1 }, { n: 2 }]]);
  });

  it('with a hold, keeps messages of several turns together until the hold ends', () => {
    vi.useFakeTimers();
    try {
      const sent: unknown[] = [];
      const batch = new MessageBatch<{ n: number }>((m) => sent.push(m), 1);
      batch.add({ n: 1 });
      vi.runOnlyPendingTimers(); // nothing but the hold is pending, so this ends it
      expect(sent).toEqual([{ n: 1 }]);
      batch.add({ n: 2 });
      vi.advanceTimersByTime(0);
      batch.add({ n: 3 }); // a later turn, within the hold
      expect(sent).toEqual([{ n: 1 }]);
      vi.advanceTimersByTime(1);
      expect(sent).toEqual([{ n: 1 }, [{ n: 2 }, { n: 3 }]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('hands each batched message to the receiver in order', () => {
    const seen: number[] = [];
    forEachBatched<{ n: number }>([{ n: 1 }, { n: 2 }], (m) => seen.push(m.n));
    forEachBatched<{ n: number }>({ n: 3 }, (m) => seen.push(m.n));
    expect(seen).toEqual([1, 2, 3]);
  });
});
