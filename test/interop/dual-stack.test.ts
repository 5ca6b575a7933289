// Calls between an IPv6 and an IPv4 softphone through Atende bound to "::": each leg's SIP (Via
// sent-by, Contact) and SDP (c=) are of its own device's family, the media is anchored in
// Atende (one endpoint per family) and each side hears the other's tone. And with media of one
// family only, a device of the other is refused cleanly (488), both ways.
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOriginateError, originate } from '../../src/call/index.js';
import { serializeMessage, type SipMessage } from '../../src/sip/message/index.js';
import type { PreparedResponse, SendTarget } from '../../src/sip/transport/index.js';
import { startAtende, type TestAtende } from '../support/atende.js';
import { startLegStack, type LegStack } from '../support/leg-stack.js';
import { startBaresip, type Baresip } from '../support/peers/baresip.js';
import { expectHeardEachOther, talk } from '../support/peers/baresip-call.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';

/** A message Atende sent, with the address it went to. */
interface Sent { to: string; text: string }

let atende: TestAtende;
let work: string;
const sent: Sent[] = [];

beforeAll(async () => {
  work = await makePeerDir('interop-dual-stack');
  atende = await startAtende({
    extensionCount: 4, tls: false, trusted: ['127.0.0.1/32', '::1/128'], env: { ATENDE_SIP_BIND: '::' },
  });
  // Every message Atende sends, and where: the transaction layer and the legs send through this object.
  const transport = atende.server.transport;
  const send = transport.send.bind(transport);
  const text = (m: SipMessage): string => serializeMessage(m).toString('utf8');
  transport.send = (m: SipMessage, target: SendTarget) => {
    sent.push({ to: target.address, text: text(m) });
    return send(m, target);
  };
  // Every response goes out prepared (serialized once; sendResponse prepares and calls this).
  const sendPrepared = transport.sendPrepared.bind(transport);
  transport.sendPrepared = (p: PreparedResponse) => {
    sent.push({ to: p.target.address, text: p.bytes.toString('utf8') });
    return sendPrepared(p);
  };
});

afterAll(async () => {
  await stopAllPeers();
  await atende?.stop();
  await removePeerDirs();
});

function phone(user: string, address: '::1' | '127.0.0.1', tone: number, autoAnswer: boolean): Promise<Baresip> {
  const host = address === '::1' ? '[::1]' : address;
  return startBaresip({
    user, password: `pw-${user}`, registrar: `${host}:${atende.sipPort}`, listenAddress: address,
    audioSource: `ausine,${tone}`, autoAnswer, recordDir: join(work, `rec-${user}`),
  });
}

/** Our address in what Atende sent to `to`: Contact hosts, request Via sent-by hosts, SDP c= lines. */
function ourAddressesSentTo(to: string): { contacts: string[]; vias: string[]; connections: string[] } {
  const out = { contacts: [] as string[], vias: [] as string[], connections: [] as string[] };
  for (const m of sent.filter((s) => s.to === to)) {
    for (const c of m.text.matchAll(/^Contact: <sip:atende@(\[[^\]]+\]|[^:>;]+)/gm)) out.contacts.push(c[1]!);
    // Only a request's top Via is ours (a response carries the device's).
    if (!m.text.startsWith('SIP/2.0')) {
      const via = /^Via: SIP\/2\.0\/\S+ (\[[^\]]+\]|[^:;\s]+)/m.exec(m.text);
      if (via) out.vias.push(via[1]!);
    }
    for (const c of m.text.matchAll(/^c=IN (IP[46]) /gm)) out.connections.push(c[1]!);
  }
  return out;
}

/** `requests`: Atende sent this device requests (the callee's INVITE), so Vias of ours to check. */
function expectFamily(to: string, ipv6: boolean, requests: boolean): void {
  const ours = ourAddressesSentTo(to);
  expect(ours.contacts.length, `Contacts sent to ${to}`).toBeGreaterThan(0);
  if (requests) expect(ours.vias.length, `Vias sent to ${to}`).toBeGreaterThan(0);
  expect(ours.connections.length, `SDP sent to ${to}`).toBeGreaterThan(0);
  for (const host of [...ours.contacts, ...ours.vias]) expect(host.startsWith('['), `${host} sent to ${to}`).toBe(ipv6);
  expect(new Set(ours.connections)).toEqual(new Set([ipv6 ? 'IP6' : 'IP4']));
}

describe('IPv6 and IPv4 softphones through Atende bound to "::"', () => {
  const cases: { name: string; caller: [string, '::1' | '127.0.0.1']; callee: [string, '::1' | '127.0.0.1'] }[] = [
    { name: 'an IPv6 phone calls an IPv4 phone', caller: ['1001', '::1'], callee: ['1002', '127.0.0.1'] },
    { name: 'an IPv4 phone calls an IPv6 phone', caller: ['1003', '127.0.0.1'], callee: ['1004', '::1'] },
  ];
  for (const { name, caller: [a, aAddress], callee: [b, bAddress] } of cases) {
    it(`${name}: each leg in its own family, and they hear each other`, async () => {
      sent.length = 0;
      const caller = await phone(a, aAddress, 1000, false);
      const callee = await phone(b, bAddress, 440, true);
      await caller.waitForEvent('REGISTER_OK', 5000);
      await callee.waitForEvent('REGISTER_OK', 5000);
      // An IPv4 phone on the dual-stack socket is known by its plain address, not ::ffff:127.0.0.1.
      expect(atende.server.registrar.lookup(a)[0]?.source.address).toBe(aAddress);
      expect(atende.server.registrar.lookup(b)[0]?.source.address).toBe(bAddress);

      const callerHost = aAddress === '::1' ? '[::1]' : aAddress;
      await talk(caller, callee, `sip:${b}@${callerHost}:${atende.sipPort}`);

      expectFamily(aAddress, aAddress === '::1', false);
      expectFamily(bAddress, bAddress === '::1', true);

      await expectHeardEachOther(caller, callee, 1000, 440);
      await Promise.all([caller.stop(), callee.stop()]);
      expect(atende.server.legs.size).toBe(0);
    });
  }
});

describe('media of one family only (IPv4)', () => {
  let stack: LegStack;
  beforeAll(async () => {
    stack = await startLegStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('answers an offer of the other family with 488 and opens no endpoint', async () => {
    stack.onInbound = (leg) => void leg.answer().catch(() => undefined);
    const socket = createSocket('udp4');
    try {
      await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
      const port = socket.address().port;
      const body = 'v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
      const invite = [
        'INVITE sip:2000@127.0.0.1 SIP/2.0', `Via: SIP/2.0/UDP 127.0.0.1:${port};rport;branch=z9hG4bK-v6offer`,
        'Max-Forwards: 70', 'From: <sip:v6@example.test>;tag=v6', 'To: <sip:2000@example.test>', 'Call-ID: v6-offer-1',
        'CSeq: 1 INVITE', `Contact: <sip:v6@127.0.0.1:${port}>`, 'Content-Type: application/sdp',
        `Content-Length: ${Buffer.byteLength(body)}`, '', body,
      ].join('\r\n');
      const finals: string[] = [];
      const final = new Promise<string>((resolve) => socket.on('message', (b) => {
        const line = b.toString('utf8').split('\r\n')[0] ?? '';
        if (!/^SIP\/2\.0 1\d\d/.test(line)) {
          finals.push(line);
          resolve(line);
        }
      }));
      socket.send(invite, stack.transport.viaSentBy('udp').port, '127.0.0.1');
      expect(await final).toBe('SIP/2.0 488 Not Acceptable Here');
      expect(stack.pool.endpointCount).toBe(0);
    } finally {
      stack.onInbound = undefined;
      socket.close();
    }
  });

  it('fails a call to an IPv6 device with 488 before anything is sent', async () => {
    const fork = { requestUri: 'sip:2000@[::1]:5060', target: { protocol: 'udp' as const, address: '::1', port: 5060 } };
    const err = await originate(stack.deps, { toUri: 'sip:2000@example.test', forks: [fork] }, { from: { uri: 'sip:1000@example.test' }, timeoutMs: 2000 })
      .then(() => undefined, (e: unknown) => e);
    expect(isOriginateError(err) && err.status).toBe(488);
    expect(stack.pool.endpointCount).toBe(0);
    expect(stack.registry.size).toBe(0);
  });
});
