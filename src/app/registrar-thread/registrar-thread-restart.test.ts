import type { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger, systemClock } from '../../core/index.js';
import { MemoryBindingStore, type Binding } from '../../sip/registrar/index.js';
import type { PreparedResponse } from '../../sip/transport/index.js';
import { RegistrarThread } from './registrar-thread.js';
import { answerChallenge, LOCAL, parseResponse, registrarStart, SOURCE, userRegister } from './registrar-thread.test-support.js';

describe('RegistrarThread after its thread dies', () => {
  it('starts another from the bindings last reported, which keeps answering REGISTERs', async () => {
    const now = systemClock.now();
    const stored: Binding = {
      aor: '1001', contact: 'sip:1001@127.0.0.1:5998', expiresAt: now + 600_000, callId: 'c-1', cseq: 1, path: [],
      source: { protocol: 'udp', address: '127.0.0.1', port: 5998 }, updatedAt: now,
    };
    const sent: PreparedResponse[] = [];
    const thread = await RegistrarThread.start(registrarStart({ bindings: [stored] }), {
      clock: systemClock,
      logger: silentLogger(),
      sendPrepared: async (p) => void sent.push(p),
      store: new MemoryBindingStore(),
      rejected: () => undefined,
      edge: { authFailed: () => undefined, inspectRequest: () => 'accept' },
    });
    const hand = (text: string): boolean => thread.divert({ data: Buffer.from(text), source: SOURCE, local: LOCAL, warningHost: '127.0.0.1' });
    try {
      expect(thread.bindings.lookup('1001').map((b) => b.contact)).toEqual([stored.contact]);
      // The test reaches the thread itself to kill it, as a crash would.
      await (thread as unknown as { worker: Worker }).worker.terminate();
      await vi.waitFor(() => expect(thread.restarts).toBe(1), { timeout: 5000 });
      // The replacement answers: a REGISTER without credentials gets its 401 (retried until it is up).
      await vi.waitFor(() => {
        hand(userRegister({ branch: `z9hG4bK-after-${sent.length}`, contact: '*', expires: '0' }));
        expect(sent.length).toBeGreaterThan(0);
      }, { timeout: 5000, interval: 100 });
      const challenge = parseResponse(sent[0]!.bytes);
      expect(challenge.status).toBe(401);
      // "Contact: *" removes what the replacement holds: only a thread that started from the
      // reported bindings has the stored one to remove and report gone.
      const count = sent.length;
      hand(userRegister({ branch: 'z9hG4bK-star', cseq: 2, contact: '*', expires: '0', authorization: answerChallenge(challenge) }));
      // (Late 401s to the retried REGISTERs may come in between.)
      await vi.waitFor(() => expect(sent.slice(count).some((p) => parseResponse(p.bytes).status === 200)).toBe(true), { timeout: 5000, interval: 5 });
      expect(thread.bindings.lookup('1001')).toEqual([]);
    } finally {
      await thread.close();
    }
  }, 15_000);
});
