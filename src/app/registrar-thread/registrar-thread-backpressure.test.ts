import { describe, expect, it, vi } from 'vitest';
import { silentLogger, systemClock } from '../../core/index.js';
import { MemoryBindingStore } from '../../sip/registrar/index.js';
import type { PreparedResponse, RawInbound } from '../../sip/transport/index.js';
import { RegistrarThread } from './registrar-thread.js';
import { LOCAL, registrarStart, SOURCE, userRegister } from './registrar-thread.test-support.js';

function raw(branch: string): RawInbound {
  return { data: Buffer.from(userRegister({ branch })), source: SOURCE, local: LOCAL, warningHost: '127.0.0.1' };
}

describe('RegistrarThread back-pressure', () => {
  it('drops REGISTERs beyond its queue while the thread is behind, and takes them again once it caught up', async () => {
    const sent: PreparedResponse[] = [];
    const thread = await RegistrarThread.start(registrarStart(), {
      clock: systemClock,
      logger: silentLogger(),
      sendPrepared: async (p) => void sent.push(p),
      store: new MemoryBindingStore(),
      maxQueued: 3,
      rejected: () => undefined,
      edge: { authFailed: () => undefined, inspectRequest: () => 'accept' },
    });
    try {
      // Ten in one loop turn: the thread cannot report anything taken in between.
      for (let i = 0; i < 10; i++) expect(thread.divert(raw(`z9hG4bK-burst-${i}`))).toBe(true);
      expect(thread.dropped).toBe(7);
      await vi.waitFor(() => expect(sent).toHaveLength(3), { timeout: 5000, interval: 5 });
      // Taken reports arrive with the answers: the queue is free again.
      await vi.waitFor(() => {
        expect(thread.divert(raw(`z9hG4bK-after-${sent.length}`))).toBe(true);
        expect(sent.length).toBeGreaterThanOrEqual(4);
      }, { timeout: 5000, interval: 20 });
      expect(thread.dropped).toBe(7);
      expect(sent.every((p) => p.bytes.toString('utf8').startsWith('SIP/2.0 401 '))).toBe(true);
    } finally {
      await thread.close();
    }
  });
});
