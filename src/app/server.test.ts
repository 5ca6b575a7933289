import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtende, type TestAtende } from '../../test/support/atende.js';
import { parseMessage, serializeMessage, createRequest, isParseError, getHeader, type SipResponse } from '../sip/message/index.js';

async function udpExchange(port: number, raw: Buffer, timeoutMs = 2000): Promise<SipResponse | undefined> {
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  try {
    return await new Promise<SipResponse | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      sock.on('message', (data) => {
        const m = parseMessage(data);
        if (!isParseError(m) && m.type === 'response' && m.status >= 200) {
          clearTimeout(timer);
          resolve(m);
        }
      });
      sock.send(raw, port, '127.0.0.1');
    });
  } finally {
    sock.close();
  }
}

function options(port: number, localPort = 5999): Buffer {
  return serializeMessage(
    createRequest({
      method: 'OPTIONS',
      uri: `sip:atende.local`,
      headers: [
        { name: 'Via', value: `SIP/2.0/UDP 127.0.0.1:${localPort};branch=z9hG4bK-opt-${Math.random().toString(36).slice(2)};rport` },
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: '<sip:probe@127.0.0.1>;tag=p1' },
        { name: 'To', value: '<sip:atende.local>' },
        { name: 'Call-ID', value: `opt-${port}-${Math.random()}` },
        { name: 'CSeq', value: '1 OPTIONS' },
      ],
    }),
  );
}

describe('Atende server (in process)', () => {
  let atende: TestAtende;
  beforeAll(async () => {
    atende = await startAtende({ extensionCount: 2 });
  });
  afterAll(async () => {
    await atende?.stop();
  });

  it('answers GET /api/health with 200 {"status":"ok"} and a JSON 404 for unknown API paths', async () => {
    const res = await fetch(`http://127.0.0.1:${atende.httpPort}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    const missing = await fetch(`http://127.0.0.1:${atende.httpPort}/api/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
  });

  it('answers OPTIONS over UDP with 200 and Allow (keep-alive pings)', async () => {
    const res = await udpExchange(atende.sipPort, options(atende.sipPort));
    expect(res?.status).toBe(200);
    expect(getHeader(res!, 'Allow')).toContain('INVITE');
  });

  it('answers a REGISTER without credentials with a digest challenge', async () => {
    const reg = createRequest({
      method: 'REGISTER',
      uri: 'sip:atende.local',
      headers: [
        { name: 'Via', value: 'SIP/2.0/UDP 127.0.0.1:5998;branch=z9hG4bK-reg-1;rport' },
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: '<sip:1001@atende.local>;tag=r1' },
        { name: 'To', value: '<sip:1001@atende.local>' },
        { name: 'Call-ID', value: 'reg-challenge-1' },
        { name: 'CSeq', value: '1 REGISTER' },
        { name: 'Contact', value: '<sip:1001@127.0.0.1:5998>' },
      ],
    });
    const res = await udpExchange(atende.sipPort, serializeMessage(reg));
    expect(res?.status).toBe(401);
    expect(getHeader(res!, 'WWW-Authenticate')).toMatch(/^Digest realm="atende.local"/);
  });
});
