// A media worker pool for the tests of one describe block: started before them, its events
// collected, the test phones closed and the events cleared after each test, the pool closed at
// the end. Call it inside the describe block.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { MediaWorkerPool, type MediaEvent } from '../../src/media/worker/index.js';
import { rtpPhone, type RtpPhone } from './rtp-phone.js';

export interface MediaWorkerFixture {
  readonly pool: MediaWorkerPool;
  /** Every event of the pool since the test began. */
  readonly events: MediaEvent[];
  /** A phone closed after the test (SSRCs counted up from `firstSsrc`). */
  newPhone(): Promise<RtpPhone>;
}

export function mediaWorkerFixture(opts: { workers: number; ports: string; firstSsrc?: number }): MediaWorkerFixture {
  let pool: MediaWorkerPool | undefined;
  const events: MediaEvent[] = [];
  const phones: RtpPhone[] = [];
  let nextSsrc = opts.firstSsrc ?? 0x1000;
  beforeAll(async () => {
    pool = await MediaWorkerPool.start({ workers: opts.workers, ports: opts.ports });
    pool.on((e) => events.push(e));
  });
  afterEach(() => {
    for (const p of phones.splice(0)) p.close();
    events.length = 0;
  });
  afterAll(async () => {
    await pool?.close();
  });
  return {
    get pool(): MediaWorkerPool {
      if (pool === undefined) throw new Error('the media worker pool starts in beforeAll');
      return pool;
    },
    events,
    async newPhone() {
      const p = await rtpPhone(nextSsrc++);
      phones.push(p);
      return p;
    },
  };
}
