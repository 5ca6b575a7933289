import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { silentLogger, systemClock } from '../../core/index.js';
import { MemoryBindingStore, type Binding } from '../../sip/registrar/index.js';
import type { PreparedResponse } from '../../sip/transport/index.js';
import type { RegistrarStart } from './protocol.js';
import { RegistrarThread } from './registrar-thread.js';

const CRLF = '\r\n';

function register(callId: string): Uint8Array {
  const lines = [
    'REGISTER sip:atende.local SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-r1;rport',
    'Max-Forwards: 70',
    'From: <sip:1001@atende.local>;tag=r1',
    'To: <sip:1001@atende.local>',
    `Call-ID: ${callId}`,
    'CSeq: 1 REGISTER',
    'Contact: <sip:1001@127.0.0.1:5999>',
    'Content-Length: 0',
    '',
    '',
  ];
  return Buffer.from(lines.join(CRLF));
}

describe('RegistrarThread after its thread dies', () => {
  it('starts another from the bindings last reported, which keeps answering REGISTERs', async () => {
    const now = systemClock.now();
    const stored: Binding = {
      aor: '1001', contact: 'sip:1001@127.0.0.1:5998', expiresAt: now + 600_000, callId: 'c-1', cseq: 1, path: [],
      source: { protocol: 'udp', address: '127.0.0.1', port: 5998 }, updatedAt: now,
    };
    const ha1 = createHash('md5').update('1001:atende.local:s3cret-1001').digest('hex');
    const start: RegistrarStart = {
      settings: { identity: { domain: 'atende.local', bindAddress: '127.0.0.1', ports: [5060], extraHosts: [] }, algorithms: ['MD5'], scannerUserAgents: [] },
      directory: [['1001', 'Ana', 'never', [['MD5\u0000atende.local', ha1]]]],
      secret: Buffer.alloc(32, 7),
      bindings: [stored],
      maxMessageBytes: 65_535,
      logLevel: 'silent',
    };
    const sent: PreparedResponse[] = [];
    const thread = await RegistrarThread.start(start, {
      clock: systemClock,
      logger: silentLogger(),
      sendPrepared: async (p) => void sent.push(p),
      store: new MemoryBindingStore(),
      edge: { authFailed: () => undefined, inspectRequest: () => 'accept' },
    });
    try {
      expect(thread.bindings.lookup('1001').map((b) => b.contact)).toEqual([stored.contact]);
      // The test reaches the thread itself to kill it, as a crash would.
      await (thread as unknown as { worker: Worker }).worker.terminate();
      await vi.waitFor(() => expect(thread.restarts).toBe(1), { timeout: 5000 });
      const raw = { source: { protocol: 'udp' as const, address: '127.0.0.1', port: 5999 }, local: { protocol: 'udp' as const, address: '127.0.0.1', port: 5060 }, warningHost: '127.0.0.1' };
      // The replacement answers: a REGISTER without credentials gets its 401.
      await vi.waitFor(() => {
        thread.divert({ ...raw, data: Buffer.from(register(`after-${sent.length}`)) });
        expect(sent.some((p) => p.bytes.toString('utf8').startsWith('SIP/2.0 401 '))).toBe(true);
      }, { timeout: 5000, interval: 100 });
      expect(thread.bindings.lookup('1001').map((b) => b.contact)).toEqual([stored.contact]);
    } finally {
      await thread.close();
    }
  }, 15_000);
});
