// The registrar suite, run by test/interop/registrar*.test.ts with REGISTERs handled on the main
// thread and on the registrar's own thread. Registrar and location service over UDP and TCP
// (RFC 3261 10, RFC 5626 flows): several contacts per extension with forking, Min-Expires, un-registering, "Contact: *", the server's
// IP address in place of the domain, NAT'd contacts, and bindings that survive a restart.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAtende, type TestAtende } from './atende.js';
import { eventually, randomToken, sdp, SipTestClient, type ClientTransport } from './sip-test-client.js';
import { getHeader, getHeaderValues } from '../../src/sip/message/index.js';

/** Defines the suite; `env` selects where REGISTERs are handled (ATENDE_REGISTRAR_THREAD). */
export function defineRegistrarSuite(name: string, env: Record<string, string>): void {
  let atende: TestAtende;
  const clients: SipTestClient[] = [];

  async function client(user: string, transport: ClientTransport = 'udp', target: TestAtende = atende): Promise<SipTestClient> {
    const c = await SipTestClient.open({ transport, serverPort: target.sipPort, user, password: `pw-${user}` });
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    atende = await startAtende({ extensionCount: 6, env });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await atende?.stop();
  });

  describe(name, () => {
    it('keeps several contacts per extension and forks an INVITE to all; the first answer wins, the other gets CANCEL', async () => {
      const phoneA = await client('1002', 'udp');
      const phoneB = await client('1002', 'tcp');
      expect((await phoneA.register({ expires: 300 })).status).toBe(200);
      const second = await phoneB.register({ expires: 300 });
      expect(second.status).toBe(200);
      // The 200 lists every binding of the AOR (RFC 3261 10.3 step 8).
      expect(getHeaderValues(second, 'Contact')).toHaveLength(2);
      expect(atende.server.registrar.lookup('1002')).toHaveLength(2);

      const caller = await client('1001', 'udp');
      const authed = await caller.placeCall('1002');
      const [atA, atB] = await Promise.all([phoneA.waitForRequest('INVITE', 3000), phoneB.waitForRequest('INVITE', 3000)]);
      expect(getHeader(atA, 'Call-ID')).not.toBe(getHeader(atB, 'Call-ID'));
      const tagA = randomToken(4);
      const tagB = randomToken(4);
      await phoneA.respond(atA, 180, { toTag: tagA });
      await phoneB.respond(atB, 180, { toTag: tagB });
      await caller.waitForResponse(authed, 180);

      await phoneB.respond(atB, 200, { toTag: tagB, body: sdp('198.51.100.2', 52000) });
      const cancel = await phoneA.waitForRequest('CANCEL', 3000);
      expect(getHeader(cancel, 'Call-ID')).toBe(getHeader(atA, 'Call-ID'));
      await phoneA.respond(cancel, 200);
      await phoneA.respond(atA, 487, { toTag: tagA });
      await phoneA.waitForRequest('ACK', 3000, (r) => getHeader(r, 'Call-ID') === getHeader(atA, 'Call-ID'));

      const answer = await caller.waitForResponse(authed, 200);
      expect(answer.status).toBe(200);
      // Media is anchored: the caller gets our description, not the callee's address and port.
      expect(answer.body.toString()).toContain('c=IN IP4 127.0.0.1');
      expect(answer.body.toString()).not.toContain('52000');
      const dialog = caller.dialogFromResponse(authed, answer);
      await caller.send(caller.inDialog(dialog, 'ACK', { seq: dialog.localSeq }));
      await phoneB.waitForRequest('ACK', 3000);

      const bye = caller.inDialog(dialog, 'BYE');
      await caller.send(bye);
      expect((await caller.waitForResponse(bye)).status).toBe(200);
      const byeAtB = await phoneB.waitForRequest('BYE', 3000);
      await phoneB.respond(byeAtB, 200);
      await eventually(() => atende.server.legs.size === 0, 5000, 'call ended');

      // Clean up: remove both bindings at once.
      const star = await phoneA.register({ contact: '*', expires: 0 });
      expect(star.status).toBe(200);
      expect(atende.server.registrar.lookup('1002')).toHaveLength(0);
    });

    it('refuses an expiry below the minimum with 423 and Min-Expires', async () => {
      const phone = await client('1003');
      const res = await phone.register({ expires: 5 });
      expect(res.status).toBe(423);
      expect(Number(getHeader(res, 'Min-Expires'))).toBeGreaterThan(5);
      expect(atende.server.registrar.lookup('1003')).toHaveLength(0);
      const retry = await phone.register({ expires: Number(getHeader(res, 'Min-Expires')) });
      expect(retry.status).toBe(200);
      expect(atende.server.registrar.lookup('1003')).toHaveLength(1);
      expect((await phone.register({ expires: 0 })).status).toBe(200);
    });

    it('un-registers one contact with Expires: 0 and keeps the others', async () => {
      const a = await client('1004');
      const b = await client('1004');
      expect((await a.register({ expires: 300 })).status).toBe(200);
      expect((await b.register({ expires: 300 })).status).toBe(200);
      expect(atende.server.registrar.lookup('1004')).toHaveLength(2);
      const gone = await a.register({ expires: 0 });
      expect(gone.status).toBe(200);
      const left = atende.server.registrar.lookup('1004');
      expect(left).toHaveLength(1);
      expect(left[0]?.contact).toContain(`:${b.localPort}`);
      // The response lists what is left.
      expect(getHeaderValues(gone, 'Contact').join(',')).toContain(`:${b.localPort}`);
      expect(getHeaderValues(gone, 'Contact').join(',')).not.toContain(`:${a.localPort}`);
    });

    it('"Contact: *" with Expires: 0 removes every binding; with another Expires it is a 400', async () => {
      const a = await client('1005');
      const b = await client('1005', 'tcp');
      expect((await a.register({ expires: 300 })).status).toBe(200);
      expect((await b.register({ expires: 300 })).status).toBe(200);
      expect(atende.server.registrar.lookup('1005')).toHaveLength(2);
      const bad = await a.register({ contact: '*', expires: 300 });
      expect(bad.status).toBe(400);
      expect(atende.server.registrar.lookup('1005')).toHaveLength(2);
      const star = await a.register({ contact: '*', expires: 0 });
      expect(star.status).toBe(200);
      expect(getHeader(star, 'Contact')).toBeUndefined();
      expect(atende.server.registrar.lookup('1005')).toHaveLength(0);
    });

    it('accepts a phone set up with the server IP instead of the domain, and calls to it work the same', async () => {
      const phone = await client('1006');
      const res = await phone.register({ expires: 300, uri: `sip:127.0.0.1:${atende.sipPort}`, aorHost: '127.0.0.1' });
      expect(res.status).toBe(200);
      expect(atende.server.registrar.lookup('1006')).toHaveLength(1);

      const caller = await client('1001');
      const authed = await caller.placeCall('1006', { uri: `sip:1006@127.0.0.1:${atende.sipPort}` });
      const incoming = await phone.waitForRequest('INVITE', 3000);
      await phone.respond(incoming, 486, { toTag: randomToken(4) });
      const busy = await caller.waitForResponse(authed, 300);
      expect(busy.status).toBe(486);
      await caller.ackNon2xx(authed, busy);
      expect((await phone.register({ expires: 0, uri: `sip:127.0.0.1:${atende.sipPort}`, aorHost: '127.0.0.1' })).status).toBe(200);
      await eventually(() => atende.server.legs.size === 0, 5000, 'call ended');
    });

    it("reaches a NAT'd phone on the address and port it registered from, not its private Contact", async () => {
      const phone = await client('1002');
      const res = await phone.register({ expires: 300, contact: '<sip:1002@10.9.9.9:5060>' });
      expect(res.status).toBe(200);
      const caller = await client('1001');
      const authed = await caller.placeCall('1002');
      const incoming = await phone.waitForRequest('INVITE', 3000);
      // Request-URI is the registered Contact (RFC 3261 16.5), the packet went to the flow.
      expect(incoming.uri).toBe('sip:1002@10.9.9.9:5060');
      await phone.respond(incoming, 480, { toTag: randomToken(4) });
      const unavailable = await caller.waitForResponse(authed, 300);
      expect(unavailable.status).toBe(480);
      await caller.ackNon2xx(authed, unavailable);
      expect((await phone.register({ expires: 0, contact: '<sip:1002@10.9.9.9:5060>' })).status).toBe(200);
      await eventually(() => atende.server.legs.size === 0, 5000, 'call ended');
    });

    it('keeps bindings across a restart on the same data dir', async () => {
      const first = await startAtende({ extensionCount: 2, env });
      let second: TestAtende | undefined;
      try {
        const phone = await client('1002', 'udp', first);
        expect((await phone.register({ expires: 600 })).status).toBe(200);
        await first.server.close();

        second = await startAtende({ extensionCount: 2, dataDir: first.dataDir, sipPort: first.sipPort, env });
        expect(second.sipPort).toBe(first.sipPort);
        expect(second.server.registrar.lookup('1002')).toHaveLength(1);
        const caller = await client('1001', 'udp', second);
        const authed = await caller.placeCall('1002');
        const incoming = await phone.waitForRequest('INVITE', 3000);
        await phone.respond(incoming, 486, { toTag: randomToken(4) });
        const busy = await caller.waitForResponse(authed, 300);
        expect(busy.status).toBe(486);
        await caller.ackNon2xx(authed, busy);
      } finally {
        await first.server.close();
        await (second ?? first).stop();
      }
    });
  });
}
