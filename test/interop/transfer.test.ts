// Call transfer over real SIP and RTP (RFC 3515 REFER, RFC 3892 Referred-By, RFC 4488
// Refer-Sub): a blind transfer between extensions run by dialExtension on the call layer
// (A, our SIP test client, is the transferor; B, a SIPp callee streaming 440 Hz, the transferee;
// C, a second test client with an RTP socket, the target), and leg.transfer() asking a SIPp
// phone to transfer itself.
import { createSocket, type Socket } from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isTransferError, originate, type ForkTarget, type InboundLeg, type TransferError } from '../../src/call/index.js';
import { decodeALaw, decodeMuLaw } from '../../src/media/codec/g711.js';
import { dialExtension } from '../../src/pbx/dial/dial-extension.js';
import { cseq, getHeader, type SipRequest } from '../../src/sip/message/index.js';
import { startLegStack, type LegStack } from '../support/leg-stack.js';
import { measureTone } from '../support/peers/goertzel.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';
import { describeSippResult, startSipp, type SippHandle } from '../support/peers/sipp.js';
import { randomToken, sdp, SipTestClient, sleep, type ClientDialog } from '../support/sip-test-client.js';

let stack: LegStack;
let sipPort: number;
let talkWav: string;
const clients: SipTestClient[] = [];
const sinks: RtpSink[] = [];

beforeAll(async () => {
  // Two media workers, as on a 2-core server: a transfer must work wherever the calls landed.
  stack = await startLegStack({ codecs: ['PCMU', 'PCMA'], workers: 2 });
  sipPort = stack.transport.viaSentBy('udp').port;
  const dir = await makePeerDir('interop-transfer-audio');
  talkWav = join(dir, 'talk.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'mu-law', talkWav, 'synth', '1', 'sine', '440']);
});

afterEach(async () => {
  stack.onInbound = undefined;
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of sinks.splice(0)) s.close();
  // Whatever a test did, nothing of its legs may be left.
  for (let i = 0; i < 80 && (stack.pool.endpointCount > 0 || stack.registry.size > 0); i++) await sleep(25);
  expect(stack.pool.endpointCount).toBe(0);
  expect(stack.registry.size).toBe(0);
  expect(stack.registry.dialogCount).toBe(0);
});

afterAll(async () => {
  await stopAllPeers();
  await stack?.close();
  await removePeerDirs();
});

interface RtpSink {
  port: number;
  packets: { pt: number; payload: Buffer }[];
  close(): void;
}

async function rtpSink(): Promise<RtpSink> {
  const sock: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const sink: RtpSink = { port: sock.address().port, packets: [], close: () => sock.close() };
  sock.on('message', (buf) => {
    if (buf.length > 12 && (buf[0] ?? 0) >> 6 === 2) sink.packets.push({ pt: (buf[1] ?? 0) & 0x7f, payload: buf.subarray(12) });
  });
  sinks.push(sink);
  return sink;
}

/** How much of what arrived at the sink is a 440 Hz tone (the transferee's voice). */
function toneRatio(packets: readonly { pt: number; payload: Buffer }[], freq: number): number {
  const audio = packets.filter((p) => p.pt === 0 || p.pt === 8);
  const samples = new Float64Array(audio.reduce((n, p) => n + p.payload.length, 0));
  let at = 0;
  for (const p of audio) {
    const pcm = p.pt === 0 ? decodeMuLaw(p.payload) : decodeALaw(p.payload);
    for (const s of pcm) samples[at++] = s / 32768;
  }
  return measureTone({ sampleRate: 8000, channels: 1, samples }, freq).ratio;
}

async function client(user: string): Promise<SipTestClient> {
  const c = await SipTestClient.open({ transport: 'udp', serverPort: sipPort, user });
  clients.push(c);
  return c;
}

async function transferee(): Promise<SippHandle> {
  const dir = await makePeerDir('interop-transfer-b');
  execFileSync('cp', [talkWav, join(dir, 'talk.wav')]);
  return startSipp({ scenario: 'uas-answer-rtp', calls: 1, timeoutMs: 60_000, dir });
}

function forkTo(port: number, user: string): ForkTarget {
  return { requestUri: `sip:${user}@127.0.0.1:${port}`, target: { protocol: 'udp', address: '127.0.0.1', port } };
}

/** Routes INVITEs into dialExtension: 1002 is B, 1003 is C; REFERs may name 1003. */
function dialPlan(b: SippHandle, c: SipTestClient | undefined): void {
  stack.onInbound = (leg: InboundLeg) => {
    const dialed = leg.to.number === '1003' && c !== undefined ? { user: '1003', port: c.localPort } : { user: '1002', port: b.ports.local };
    void dialExtension(stack.deps, {
      caller: leg,
      from: { uri: 'sip:1001@atende.local', number: '1001' },
      toUri: `sip:${dialed.user}@atende.local`,
      forks: [forkTo(dialed.port, dialed.user)],
      ringTimeoutMs: 5000,
      transferTarget: ({ user }) => (user === '1003' && c !== undefined ? { toUri: 'sip:1003@atende.local', forks: [forkTo(c.localPort, '1003')] } : undefined),
    }).catch(() => undefined);
  };
}

/** A calls through the stack and ACKs the 200: the dialog A sends REFER in. */
async function call(a: SipTestClient, rtpPort: number): Promise<ClientDialog> {
  const invite = a.inviteRequest('1002', { body: sdp('127.0.0.1', rtpPort) });
  await a.send(invite);
  const ok = await a.waitForResponse(invite, 200, 10_000);
  expect(ok.status).toBe(200);
  const d = a.dialogFromResponse(invite, ok);
  await a.send(a.inDialog(d, 'ACK', { seq: cseq(invite)?.seq ?? 1 }));
  return d;
}

function referRequest(a: SipTestClient, d: ClientDialog, referTo: string, extra: { name: string; value: string }[] = []): SipRequest {
  const refer = a.inDialog(d, 'REFER');
  refer.headers.push(
    { name: 'Contact', value: `<${a.contactUri()}>` },
    { name: 'Refer-To', value: referTo },
    { name: 'Referred-By', value: '<sip:1001@atende.local>' },
    ...extra,
  );
  return refer;
}

/** Sends A's REFER in dialog `d` and returns the status of its final answer. */
async function sendRefer(a: SipTestClient, d: ClientDialog, referTo: string, extra: { name: string; value: string }[] = []): Promise<number> {
  const refer = referRequest(a, d, referTo, extra);
  await a.send(refer);
  return (await a.waitForResponse(refer, 200)).status;
}

/** Hangs up dialog `d` from `phone` (BYE); returns the status of the answer. */
async function hangUp(phone: SipTestClient, d: ClientDialog): Promise<number> {
  const bye = phone.inDialog(d, 'BYE');
  await phone.send(bye);
  return (await phone.waitForResponse(bye, 200)).status;
}

interface Notified {
  status: string;
  state: string;
  event: string;
  contentType: string;
}

/** The next NOTIFY A gets, answered 200: its sipfrag status line and subscription state. */
async function nextNotify(a: SipTestClient, timeoutMs = 5000): Promise<Notified> {
  const n = await a.waitForRequest('NOTIFY', timeoutMs);
  await a.respond(n, 200);
  return {
    status: n.body.toString('utf8').trim(),
    state: getHeader(n, 'Subscription-State') ?? '',
    event: getHeader(n, 'Event') ?? '',
    contentType: getHeader(n, 'Content-Type') ?? '',
  };
}

describe('transfer between extensions (dialExtension)', () => {
  it('A transfers B to 1003: 202, NOTIFY 100 then 180 then 200, A gets BYE, B talks to C', async () => {
    const b = await transferee();
    const a = await client('1001');
    const c = await client('1003');
    const sinkA = await rtpSink();
    const sinkC = await rtpSink();
    dialPlan(b, c);
    const d = await call(a, sinkA.port);
    await sleep(500);
    expect(sinkA.packets.length).toBeGreaterThan(10);

    expect(await sendRefer(a, d, '<sip:1003@atende.local>')).toBe(202);
    const trying = await nextNotify(a);
    expect(trying).toEqual({ status: 'SIP/2.0 100 Trying', state: 'active;expires=300', event: 'refer', contentType: 'message/sipfrag;version=2.0' });

    // C rings, then answers; it sees B's identity calling.
    const inv = await c.waitForRequest('INVITE', 5000);
    expect(getHeader(inv, 'To')).toContain('sip:1003@atende.local');
    expect(getHeader(inv, 'From')).toContain('sip:1002@');
    const toTag = randomToken(4);
    await c.respond(inv, 180, { toTag });
    expect((await nextNotify(a)).status).toBe('SIP/2.0 180 Ringing');
    await c.respond(inv, 200, { toTag, body: sdp('127.0.0.1', sinkC.port) });
    await c.waitForRequest('ACK', 3000);

    const done = await nextNotify(a);
    expect(done.status).toBe('SIP/2.0 200 OK');
    expect(done.state).toBe('terminated;reason=noresource');
    const bye = await a.waitForRequest('BYE', 3000);
    await a.respond(bye, 200);
    expect(getHeader(bye, 'Reason')).toBe('Q.850;cause=16');

    // B's 440 Hz now reaches C through Atende; B was not hung up.
    await sleep(1000);
    expect(sinkC.packets.length).toBeGreaterThan(30);
    expect(toneRatio(sinkC.packets, 440)).toBeGreaterThan(0.5);
    expect(toneRatio(sinkC.packets, 1000)).toBeLessThan(0.05);
    expect(await b.logLines(/BYE from Atende/)).toHaveLength(0);

    // C hangs up: B gets our BYE, the call is over.
    const dc = c.dialogFromRequest(inv, toTag);
    expect(await hangUp(c, dc)).toBe(200);
    const r = await b.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
    expect(await b.logLines(/BYE from Atende/)).toHaveLength(1);
  });

  it('a busy target: NOTIFY 486, and A (still on the line) is bridged with B again', async () => {
    const b = await transferee();
    const a = await client('1001');
    const c = await client('1003');
    const sinkA = await rtpSink();
    dialPlan(b, c);
    const d = await call(a, sinkA.port);

    expect(await sendRefer(a, d, '<sip:1003@atende.local>')).toBe(202);
    expect((await nextNotify(a)).status).toBe('SIP/2.0 100 Trying');
    const inv = await c.waitForRequest('INVITE', 5000);
    await c.respond(inv, 486, { toTag: randomToken(4) });
    const busy = await nextNotify(a);
    expect(busy.status).toBe('SIP/2.0 486 Busy Here');
    expect(busy.state).toBe('terminated;reason=noresource');

    // Reconnected: B's tone reaches A again.
    await sleep(300);
    sinkA.packets.length = 0;
    await sleep(1000);
    expect(sinkA.packets.length).toBeGreaterThan(30);
    expect(toneRatio(sinkA.packets, 440)).toBeGreaterThan(0.5);
    expect(toneRatio(sinkA.packets, 1000)).toBeLessThan(0.05);

    expect(await hangUp(a, d)).toBe(200);
    const r = await b.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });

  it('a busy target after the transferor hung up: B hears busy tone for about 3 s, then BYE', async () => {
    const b = await transferee();
    const a = await client('1001');
    const c = await client('1003');
    const sinkA = await rtpSink();
    dialPlan(b, c);
    const d = await call(a, sinkA.port);
    expect(await sendRefer(a, d, '<sip:1003@atende.local>')).toBe(202);
    expect((await nextNotify(a)).status).toBe('SIP/2.0 100 Trying');
    // Like most phones after a blind transfer: A hangs up at once.
    expect(await hangUp(a, d)).toBe(200);
    const inv = await c.waitForRequest('INVITE', 5000);
    await c.respond(inv, 486, { toTag: randomToken(4) });
    const failedAt = Date.now();
    await b.waitForLog(/BYE from Atende/, 8000);
    expect(Date.now() - failedAt).toBeGreaterThan(2500);
    const r = await b.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });

  it('attended transfer: A talks to B, then to C; REFER with Replaces bridges B with C and ends both of A\'s calls', async () => {
    const b = await transferee();
    const a = await client('1001');
    const c = await client('1003');
    const sinkA1 = await rtpSink();
    const sinkA2 = await rtpSink();
    const sinkC = await rtpSink();
    dialPlan(b, c);
    const d1 = await call(a, sinkA1.port);
    // B is on hold at the phone (not modelled); A calls C through Atende.
    const invite2 = a.inviteRequest('1003', { body: sdp('127.0.0.1', sinkA2.port) });
    await a.send(invite2);
    const inv = await c.waitForRequest('INVITE', 5000);
    const toTag = randomToken(4);
    await c.respond(inv, 200, { toTag, body: sdp('127.0.0.1', sinkC.port) });
    const ok2 = await a.waitForResponse(invite2, 200, 5000);
    const d2 = a.dialogFromResponse(invite2, ok2);
    await a.send(a.inDialog(d2, 'ACK', { seq: cseq(invite2)?.seq ?? 1 }));
    await c.waitForRequest('ACK', 3000);

    // RFC 3891: tags as the dialog's other end (Atende) sees them: to-tag is Atende's.
    const replaces = encodeURIComponent(`${d2.callId};to-tag=${d2.remoteTag};from-tag=${d2.localTag}`);
    expect(await sendRefer(a, d1, `<sip:1003@atende.local?Replaces=${replaces}>`)).toBe(202);
    expect((await nextNotify(a)).status).toBe('SIP/2.0 100 Trying');
    const done = await nextNotify(a);
    expect(done.status).toBe('SIP/2.0 200 OK');
    expect(done.state).toBe('terminated;reason=noresource');
    const byes = [await a.waitForRequest('BYE', 3000), await a.waitForRequest('BYE', 3000)];
    for (const bye of byes) await a.respond(bye, 200);
    expect(byes.map((m) => getHeader(m, 'Call-ID')).sort()).toEqual([d1.callId, d2.callId].sort());
    // No new INVITE to C: its existing call now carries B.
    expect(await c.silentFor(200, (m) => m.type === 'request' && m.method === 'INVITE')).toBe(true);
    sinkC.packets.length = 0;
    await sleep(1000);
    expect(sinkC.packets.length).toBeGreaterThan(30);
    expect(toneRatio(sinkC.packets, 440)).toBeGreaterThan(0.5);

    expect(await hangUp(c, c.dialogFromRequest(inv, toTag))).toBe(200);
    const r = await b.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });

  it('a REFER with Replaces naming no call of ours gets 481 and the call goes on', async () => {
    const b = await transferee();
    const a = await client('1001');
    const sinkA = await rtpSink();
    dialPlan(b, undefined);
    const d = await call(a, sinkA.port);
    expect(await sendRefer(a, d, '<sip:1003@atende.local?Replaces=nope%40x%3Bto-tag%3D1%3Bfrom-tag%3D2>')).toBe(481);
    expect(await hangUp(a, d)).toBe(200);
    expect((await b.done()).exitCode).toBe(0);
  });

  it('a REFER to something not ours gets 404 and the call goes on', async () => {
    const b = await transferee();
    const a = await client('1001');
    const sinkA = await rtpSink();
    dialPlan(b, undefined);
    const d = await call(a, sinkA.port);
    expect(await sendRefer(a, d, '<sip:9999@atende.local>')).toBe(404);
    sinkA.packets.length = 0;
    await sleep(500);
    expect(sinkA.packets.length).toBeGreaterThan(10);
    expect(await hangUp(a, d)).toBe(200);
    expect((await b.done()).exitCode).toBe(0);
  });
});

describe('REFER on an answered leg (onRefer)', () => {
  async function answeredLeg(): Promise<{ a: SipTestClient; d: ClientDialog; leg: InboundLeg }> {
    const a = await client('1001');
    let taken: InboundLeg | undefined;
    stack.onInbound = (leg) => {
      taken = leg;
      void leg.answer().catch(() => undefined);
    };
    const d = await call(a, 40_000);
    if (taken === undefined) throw new Error('no leg');
    return { a, d, leg: taken };
  }

  it('without a handler: 603 Decline; with Replaces (attended transfer): 501', async () => {
    const { a, d, leg } = await answeredLeg();
    const first = referRequest(a, d, '<sip:1003@atende.local>');
    await a.send(first);
    expect((await a.waitForResponse(first, 200)).status).toBe(603);
    const targets: string[] = [];
    leg.onRefer((r) => {
      targets.push(r.target);
      r.accept();
    });
    const attended = referRequest(a, d, '<sip:1003@atende.local?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>');
    await a.send(attended);
    expect((await a.waitForResponse(attended, 200)).status).toBe(501);
    expect(targets).toEqual([]);
    await leg.hangup();
    await a.respond(await a.waitForRequest('BYE'), 200);
  });

  it('Refer-Sub: false (RFC 4488): 202 with Refer-Sub: false and no NOTIFY at all', async () => {
    const { a, d, leg } = await answeredLeg();
    const seen: { target: string; referredBy: string | undefined; subscription: boolean }[] = [];
    leg.onRefer(async (r) => {
      seen.push({ target: r.target, referredBy: r.referredBy, subscription: r.subscription });
      r.accept();
      await r.report(200, 'OK');
    });
    const refer = referRequest(a, d, '<sip:1003@atende.local>', [{ name: 'Refer-Sub', value: 'false' }, { name: 'Supported', value: 'norefersub' }]);
    await a.send(refer);
    const res = await a.waitForResponse(refer, 200);
    expect(res.status).toBe(202);
    expect(getHeader(res, 'Refer-Sub')).toBe('false');
    expect(seen).toEqual([{ target: 'sip:1003@atende.local', referredBy: '<sip:1001@atende.local>', subscription: false }]);
    expect(await a.silentFor(600, (m) => m.type === 'request' && m.method === 'NOTIFY')).toBe(true);
    await leg.hangup();
    await a.respond(await a.waitForRequest('BYE'), 200);
  });
});

describe('leg.transfer (REFER sent by Atende)', () => {
  async function phone(scenario: string, keys: [string, string][] = []): Promise<SippHandle> {
    const dir = await makePeerDir(`interop-transfer-${scenario}`);
    return startSipp({ scenario, calls: 1, timeoutMs: 30_000, dir, extraArgs: keys.flatMap(([k, v]) => ['-key', k, v]) });
  }
  const from = { uri: 'sip:atende@atende.local', displayName: 'Atende' };

  it('resolves when the phone reports 200 in its NOTIFY; Refer-To and Referred-By reach it', async () => {
    const sipp = await phone('uas-refer-notify', [['status', '200'], ['reason', 'OK']]);
    const leg = await originate(stack.deps, { toUri: 'sip:2001@example.test', forks: [forkTo(sipp.ports.local, '2001')] }, { from, timeoutMs: 5000 });
    await leg.transfer('sip:2002@example.test');
    expect(await sipp.logLines(/REFER to sip:2002@example.test referred by sip:atende@atende.local/)).toHaveLength(1);
    await sipp.waitForLog(/final NOTIFY answered/, 2000);
    await leg.hangup();
    await leg.settled();
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });

  it('rejects with the status a NOTIFY reports (486)', async () => {
    const sipp = await phone('uas-refer-notify', [['status', '486'], ['reason', 'Busy Here']]);
    const leg = await originate(stack.deps, { toUri: 'sip:2001@example.test', forks: [forkTo(sipp.ports.local, '2001')] }, { from, timeoutMs: 5000 });
    const err = await leg.transfer('sip:2002@example.test').then(() => undefined, (e: unknown) => e);
    expect(isTransferError(err)).toBe(true);
    expect((err as TransferError).status).toBe(486);
    await sipp.waitForLog(/final NOTIFY answered/, 2000);
    await leg.hangup();
    await leg.settled();
    expect((await sipp.done()).exitCode).toBe(0);
  });

  it('rejects with 603 when the phone declines the REFER', async () => {
    const sipp = await phone('uas-refer-decline');
    const leg = await originate(stack.deps, { toUri: 'sip:2001@example.test', forks: [forkTo(sipp.ports.local, '2001')] }, { from, timeoutMs: 5000 });
    const err = await leg.transfer('sip:2002@example.test').then(() => undefined, (e: unknown) => e);
    expect(isTransferError(err)).toBe(true);
    expect((err as TransferError).status).toBe(603);
    // The call is still up after a refused transfer.
    expect(leg.state).toBe('answered');
    await leg.hangup();
    await leg.settled();
    const r = await sipp.done();
    expect(r.exitCode, describeSippResult(r)).toBe(0);
  });
});
