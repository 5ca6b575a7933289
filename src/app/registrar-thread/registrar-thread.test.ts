import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seededRandom, silentLogger, systemClock } from '../../core/index.js';
import { DigestAuthenticator } from '../../sip/auth/index.js';
import { createResponse, getHeader, type SipResponse } from '../../sip/message/index.js';
import { MemoryBindingStore, type Binding } from '../../sip/registrar/index.js';
import type { PreparedResponse, RawInbound } from '../../sip/transport/index.js';
import { RegistrarThread } from './registrar-thread.js';
import { answerChallenge, LOCAL, parseResponse, registrarStart, SECRET, SOURCE, userRegister } from './registrar-thread.test-support.js';

interface Sent {
  prepared: PreparedResponse;
  response: SipResponse;
  /** The replica's contacts for 1001 at the moment the response reached sendPrepared. */
  replicaAtSend: string[];
}

const sent: Sent[] = [];
const authFailures: Array<{ address: string; reason: string }> = [];
const inspected: Array<{ address: string; userAgent?: string }> = [];
const rejections: boolean[] = [];
/** Counts saves: the main thread saves only the bindings a report changed. */
class CountingStore extends MemoryBindingStore {
  readonly saves: string[] = [];
  override async save(b: Binding): Promise<void> {
    this.saves.push(`${b.aor} ${b.contact} ${b.cseq}`);
    await super.save(b);
  }
}

const store = new CountingStore();
let thread: RegistrarThread | undefined;

function running(): RegistrarThread {
  if (!thread) throw new Error('thread not started');
  return thread;
}

function raw(text: string): RawInbound {
  // A view into a larger buffer, as a datagram pool gives it: the thread must get only its bytes.
  const pool = Buffer.from(`garbage before${text}garbage after`, 'utf8');
  const start = 'garbage before'.length;
  return { data: pool.subarray(start, start + Buffer.byteLength(text)), source: SOURCE, local: LOCAL, warningHost: '127.0.0.1' };
}

/** Hands `text` over and waits for the answer number `count` (1-based). */
async function answerTo(text: string): Promise<Sent> {
  const count = sent.length + 1;
  expect(running().divert(raw(text))).toBe(true);
  await vi.waitFor(() => expect(sent.length).toBeGreaterThanOrEqual(count), { timeout: 5_000, interval: 5 });
  return sent[count - 1]!;
}

beforeAll(async () => {
  thread = await RegistrarThread.start(registrarStart(), {
    clock: systemClock,
    logger: silentLogger(),
    sendPrepared: async (prepared) => {
      sent.push({ prepared, response: parseResponse(prepared.bytes), replicaAtSend: running().bindings.lookup('1001').map((b) => b.contact) });
    },
    store,
    rejected: (answered) => rejections.push(answered),
    edge: {
      authFailed: (address, detail) => authFailures.push({ address, reason: detail.reason }),
      inspectRequest: (request) => inspected.push(request),
    },
  });
}, 15_000);

afterAll(async () => {
  await thread?.close();
});

describe('RegistrarThread', () => {
  it('diverts REGISTERs only', () => {
    expect(running().divert(raw('INVITE sip:1001@atende.local SIP/2.0\r\nContent-Length: 0\r\n\r\n'))).toBe(false);
    expect(running().divert(raw('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n'))).toBe(false);
    expect(sent).toHaveLength(0);
  });

  it('answers a REGISTER without credentials with a 401 through sendPrepared', async () => {
    const { prepared, response } = await answerTo(userRegister({ branch: 'z9hG4bK-t401' }));
    expect(response.status).toBe(401);
    expect(getHeader(response, 'WWW-Authenticate')).toMatch(/^Digest realm="atende\.local"/);
    expect(prepared.target).toEqual(SOURCE);
    expect(prepared.local).toEqual(LOCAL);
    // An answer to REGISTER: it may leave with the turn's others.
    expect(prepared.bulk).toBe(true);
  });

  it('has the binding in the replica and the store by the time the 200 is sent', async () => {
    const challenge = await answerTo(userRegister({ branch: 'z9hG4bK-tok1' }));
    const authorization = answerChallenge(challenge.response);
    const ok = await answerTo(userRegister({ branch: 'z9hG4bK-tok2', cseq: 2, authorization }));
    expect(ok.response.status).toBe(200);
    expect(getHeader(ok.response, 'Contact')).toMatch(/^<sip:1001@192\.168\.1\.20:5060>;expires=\d+$/);
    expect(ok.replicaAtSend).toEqual(['sip:1001@192.168.1.20:5060']);
    expect(running().bindings.lookup('1001')[0]).toMatchObject({ source: SOURCE, callId: '1j9FpLxk3uxtm8tn@192.168.1.20' });
    expect((await store.load()).map((b) => `${b.aor} ${b.contact}`)).toEqual(['1001 sip:1001@192.168.1.20:5060']);
    expect(store.saves).toEqual(['1001 sip:1001@192.168.1.20:5060 2']);
  });

  it('accepts a nonce minted on the main thread with the shared secret', async () => {
    // The secret crosses as workerData: a changed secret would fail this digest.
    const digest = new DigestAuthenticator({ clock: systemClock, random: seededRandom(5), secret: SECRET });
    const headers = digest.challenge({ realm: 'atende.local', algorithms: ['MD5'] }).map((value) => ({ name: 'WWW-Authenticate', value }));
    const mainThread401 = createResponse(
      { type: 'request', method: 'REGISTER', uri: 'sip:atende.local', version: 'SIP/2.0', headers: [], body: Buffer.alloc(0) },
      401,
      'Unauthorized',
      { headers },
    );
    const refresh = userRegister({ branch: 'z9hG4bK-tmain', cseq: 3, authorization: answerChallenge(mainThread401) });
    const ok = await answerTo(refresh);
    expect(ok.response.status).toBe(200);
    // The refresh changed the binding (its CSeq): saved again.
    expect(store.saves).toEqual(['1001 sip:1001@192.168.1.20:5060 2', '1001 sip:1001@192.168.1.20:5060 3']);
    // A retransmission gets the same 200 from the transaction and changes nothing: no save.
    const again = await answerTo(refresh);
    expect(Buffer.from(again.prepared.bytes).equals(Buffer.from(ok.prepared.bytes))).toBe(true);
    expect(store.saves).toHaveLength(2);
  });

  it('feeds authentication failures and scanners to the edge', async () => {
    const challenge = await answerTo(userRegister({ branch: 'z9hG4bK-tbad1' }));
    const forbidden = await answerTo(userRegister({ branch: 'z9hG4bK-tbad2', cseq: 2, authorization: answerChallenge(challenge.response, '1001', 'guess') }));
    expect(forbidden.response.status).toBe(403);
    expect(authFailures).toEqual([{ address: '192.168.1.20', reason: 'bad-response' }]);
    const scanner = userRegister({ branch: 'z9hG4bK-tscan' }).replace('User-Agent: Linphone/5.2.0', 'User-Agent: friendly-scanner');
    expect(running().divert(raw(scanner))).toBe(true);
    await vi.waitFor(() => expect(inspected).toEqual([{ address: '192.168.1.20', userAgent: 'friendly-scanner' }]), { timeout: 5_000, interval: 5 });
  });

  it('reports a REGISTER it could not parse, answered 400, for the transport to count', async () => {
    const broken = userRegister({ branch: 'z9hG4bK-tbroken' }).replace('Content-Length: 0', 'Content-Length: abc');
    const { response } = await answerTo(broken);
    expect(response.status).toBe(400);
    expect(rejections).toEqual([true]);
  });

  it('closes once, and takes no REGISTER afterwards', async () => {
    const first = running().close();
    expect(running().close()).toBe(first);
    await first;
    expect(running().divert(raw(userRegister({ branch: 'z9hG4bK-tlate' })))).toBe(false);
  });
});
