// SIP over WebSocket (RFC 7118) end to end: two WS clients register with digest like SIP.js
// does (made-up .invalid host, transport=ws Contact) and call each other through the B2BUA,
// which can reach a WebSocket client only over the connection it registered on.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAtende, type TestAtende } from '../support/atende.js';
import { eventually, randomToken, SipTestClient, webrtcAnswerSdp } from '../support/sip-test-client.js';
import { getHeader, getHeaderValues, type SipResponse } from '../../src/sip/message/index.js';

let atende: TestAtende;
const clients: SipTestClient[] = [];

async function wsClient(user: string): Promise<SipTestClient> {
  const c = await SipTestClient.open({ transport: 'ws', serverPort: atende.httpPort, user, password: `pw-${user}` });
  clients.push(c);
  return c;
}

/** Registers 1001 and 1002 over their WebSockets; returns [caller, callee]. */
async function registeredPair(): Promise<[SipTestClient, SipTestClient]> {
  // The previous scenario's WebSockets closed; their bindings go with their flows (RFC 5626).
  await eventually(() => atende.server.registrar.lookup('1001').length + atende.server.registrar.lookup('1002').length === 0, 3000, 'old bindings gone');
  const caller = await wsClient('1001');
  const callee = await wsClient('1002');
  expect((await caller.register({ expires: 600 })).status).toBe(200);
  expect((await callee.register({ expires: 600 })).status).toBe(200);
  return [caller, callee];
}

async function settled(): Promise<void> {
  await eventually(() => atende.server.legs.size === 0, 5000, 'no active calls');
  // Answered INVITEs linger in Accepted for Timer L/M (64*T1 = 32 s, RFC 6026) even on reliable transports.
  await eventually(() => {
    const c = atende.server.transactions.counts();
    return c.client === 0 && c.server === 0;
  }, 40_000, 'transactions back to zero');
  expect(atende.server.legs.dialogCount).toBe(0);
}

function allText(c: SipTestClient): string {
  return c.log.map((r) => r.raw.toString('utf8')).join('\n');
}

beforeAll(async () => {
  // Short timers: answered INVITE transactions linger 64*T1 (RFC 6026 Timer L/M) before counts reach zero.
  atende = await startAtende({ extensionCount: 3, sipTimers: { t1: 50, t2: 400, t4: 500 } });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(async () => {
  await atende?.stop();
});

describe('SIP over WebSocket', () => {
  it('registers with digest over ws and the binding names the ws flow', async () => {
    const c = await wsClient('1001');
    const first = c.registerRequest({ expires: 600 });
    await c.send(first);
    const challenge = await c.waitForResponse(first);
    expect(challenge.status).toBe(401);
    expect(getHeaderValues(challenge, 'WWW-Authenticate').join(' ')).toContain('MD5');
    const ok = await c.sendWithAuth(c.withCredentials(first, challenge));
    expect(ok.status).toBe(200);
    expect(getHeader(ok, 'Contact')).toContain('transport=ws');
    const bindings = atende.server.registrar.lookup('1001');
    expect(bindings).toHaveLength(1);
    expect(bindings[0]?.source.protocol).toBe('ws');
    expect(bindings[0]?.connectionId).toBeDefined();
    // Un-register so later scenarios start clean.
    expect((await c.register({ expires: 0 })).status).toBe(200);
    expect(atende.server.registrar.lookup('1001')).toHaveLength(0);
  });

  it('1001 calls 1002: INVITE reaches the callee over its WebSocket, 200/ACK/BYE flow, topology hidden', async () => {
    const [caller, callee] = await registeredPair();
    const authed = await caller.placeCall('1002');

    const incoming = await callee.waitForRequest('INVITE', 3000);
    // Media is anchored: the callee, a WebSocket client (a browser), is offered WebRTC on our
    // address and port (ICE-lite, DTLS-SRTP), not the caller's plain RTP.
    expect(incoming.body.toString()).toMatch(/m=audio \d+ UDP\/TLS\/RTP\/SAVPF/);
    expect(incoming.body.toString()).toContain('a=ice-lite');
    expect(incoming.body.toString()).not.toContain('m=audio 40000');
    // Topology hiding: nothing of the caller's dialog reaches the callee.
    expect(getHeader(incoming, 'Call-ID')).not.toBe(getHeader(authed, 'Call-ID'));
    const callerFromTag = /tag=([^;>\s]+)/.exec(getHeader(authed, 'From') ?? '')?.[1];
    expect(callerFromTag).toBeDefined();
    expect(getHeader(incoming, 'From')).not.toContain(callerFromTag!);
    expect(getHeader(incoming, 'Via')).not.toContain(caller.wsHost);
    expect(getHeader(incoming, 'From')).toContain('sip:1001@atende.local');
    expect(incoming.uri).toContain(callee.wsHost);

    const toTag = randomToken(4);
    await callee.respond(incoming, 180, { toTag });
    const ringing = await caller.waitForResponse(authed, 180);
    expect(ringing.status).toBe(180);
    await callee.respond(incoming, 200, { toTag, body: webrtcAnswerSdp('198.51.100.20', 50000) });
    const answer = await caller.waitForResponse(authed, 200);
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).not.toContain('m=audio 50000');
    expect(answer.body.toString()).not.toContain('198.51.100.20');
    expect(getHeader(answer, 'To')).not.toContain(toTag);

    const callerDialog = caller.dialogFromResponse(authed, answer);
    await caller.send(caller.inDialog(callerDialog, 'ACK', { seq: callerDialog.localSeq }));
    const ack = await callee.waitForRequest('ACK', 3000);
    expect(getHeader(ack, 'Call-ID')).toBe(getHeader(incoming, 'Call-ID'));

    const calleeDialog = callee.dialogFromRequest(incoming, toTag);
    const bye = callee.inDialog(calleeDialog, 'BYE');
    await callee.send(bye);
    expect((await callee.waitForResponse(bye)).status).toBe(200);
    const byeAtCaller = await caller.waitForRequest('BYE', 3000);
    expect(getHeader(byeAtCaller, 'Call-ID')).toBe(getHeader(authed, 'Call-ID'));
    await caller.respond(byeAtCaller, 200);

    const calleeSaw = allText(callee);
    expect(calleeSaw).not.toContain(caller.wsHost);
    expect(calleeSaw).not.toContain(getHeader(authed, 'Call-ID')!);
    expect(calleeSaw).not.toContain('203.0.113.10:'); // the SDP address may pass; never as a signalling address
    await settled();
  }, 60_000);

  it('CANCEL before answer: callee gets CANCEL, caller gets 487', async () => {
    const [caller, callee] = await registeredPair();
    const authed = await caller.placeCall('1002');
    const incoming = await callee.waitForRequest('INVITE', 3000);
    const toTag = randomToken(4);
    await callee.respond(incoming, 180, { toTag });
    await caller.waitForResponse(authed, 180);

    const cancel = caller.cancelRequest(authed);
    await caller.send(cancel);
    expect((await caller.waitForResponse(cancel)).status).toBe(200);

    const cancelAtCallee = await callee.waitForRequest('CANCEL', 3000);
    expect(getHeader(cancelAtCallee, 'Call-ID')).toBe(getHeader(incoming, 'Call-ID'));
    await callee.respond(cancelAtCallee, 200);
    await callee.respond(incoming, 487, { toTag });
    const terminated: SipResponse = await caller.waitForResponse(authed, 300);
    expect(terminated.status).toBe(487);
    await caller.ackNon2xx(authed, terminated);
    await settled();
  });

  it('486 Busy Here from the callee reaches the caller as 486', async () => {
    const [caller, callee] = await registeredPair();
    const authed = await caller.placeCall('1002');
    const incoming = await callee.waitForRequest('INVITE', 3000);
    await callee.respond(incoming, 486, { toTag: randomToken(4) });
    const busy = await caller.waitForResponse(authed, 300);
    expect(busy.status).toBe(486);
    await caller.ackNon2xx(authed, busy);
    await callee.waitForRequest('ACK', 3000);
    await settled();
  });

  it('a call to a provisioned but unregistered extension gets 480', async () => {
    const [caller] = await registeredPair();
    const authed = await caller.placeCall('1003');
    const res = await caller.waitForResponse(authed, 200);
    expect(res.status).toBe(480);
    await caller.ackNon2xx(authed, res);
    await settled();
  });

  it('a call to an unknown number gets 404', async () => {
    const [caller] = await registeredPair();
    const authed = await caller.placeCall('4999');
    const res = await caller.waitForResponse(authed, 200);
    expect(res.status).toBe(404);
    await caller.ackNon2xx(authed, res);
    await settled();
  });
});

describe('SIP over secure WebSocket (WSS) when HTTPS is configured', () => {
  let secure: TestAtende;
  afterAll(async () => {
    await secure?.stop();
  });

  it('registers over wss on the HTTPS port with the generated certificate', async () => {
    secure = await startAtende({ extensionCount: 2, env: { ATENDE_HTTPS_PORT: '0' } });
    const httpsPort = secure.server.listening.https?.port;
    expect(httpsPort).toBeGreaterThan(0);
    const health = await new Promise<number>((resolve, reject) => {
      // The certificate is self-signed: this probe only checks that HTTPS answers.
      import('node:https').then(({ get }) => {
        get({ host: '127.0.0.1', port: httpsPort, path: '/api/health', rejectUnauthorized: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      }, reject);
    });
    expect(health).toBe(200);
    const c = await SipTestClient.open({ transport: 'wss', serverPort: httpsPort as number, user: '1001', password: 'pw-1001' });
    clients.push(c);
    expect((await c.register({ expires: 600 })).status).toBe(200);
    const bindings = secure.server.registrar.lookup('1001');
    expect(bindings[0]?.source.protocol).toBe('wss');
  });
});
