import { describe, expect, it } from 'vitest';
import type { Via } from '../message/types.js';
import { parseMessage } from '../message/index.js';
import type { SipResponse } from '../message/types.js';
import { prepareResponse, routeResponse } from './response-routing.js';

function via(transport: string, host: string, port: number | undefined, params: Via['params'] = {}): Via {
  const v: Via = { protocol: 'SIP/2.0', transport, host, params: { branch: 'z9hG4bKabc', ...params } };
  if (port !== undefined) v.port = port;
  return v;
}

describe('routeResponse', () => {
  it('UDP without received or rport: sent-by host and port', () => {
    expect(routeResponse(via('UDP', 'pc33.example.com', 5070))).toEqual({
      ok: true,
      target: { protocol: 'udp', address: 'pc33.example.com', port: 5070 },
    });
  });

  it('UDP defaults to port 5060', () => {
    expect(routeResponse(via('UDP', '192.0.2.1', undefined))).toEqual({
      ok: true,
      target: { protocol: 'udp', address: '192.0.2.1', port: 5060 },
    });
  });

  it('UDP with received only: received address, sent-by port (RFC 3261 18.2.2)', () => {
    expect(routeResponse(via('UDP', '10.0.0.5', 5062, { received: '198.51.100.7' }))).toEqual({
      ok: true,
      target: { protocol: 'udp', address: '198.51.100.7', port: 5062 },
    });
  });

  it('UDP with received and rport: received address and rport (RFC 3581 section 4)', () => {
    expect(routeResponse(via('UDP', '10.0.0.5', 5062, { received: '198.51.100.7', rport: '40123' }))).toEqual({
      ok: true,
      target: { protocol: 'udp', address: '198.51.100.7', port: 40123 },
    });
  });

  it('UDP with rport but host already the source: sent-by host and rport', () => {
    expect(routeResponse(via('UDP', '198.51.100.7', 5062, { rport: '40123' }))).toEqual({
      ok: true,
      target: { protocol: 'udp', address: '198.51.100.7', port: 40123 },
    });
  });

  it('UDP with an empty rport (never filled) falls back to sent-by port', () => {
    expect(routeResponse(via('UDP', '198.51.100.7', 5062, { rport: null }))).toEqual({
      ok: true,
      target: { protocol: 'udp', address: '198.51.100.7', port: 5062 },
    });
  });

  it('UDP with maddr: maddr wins over received', () => {
    expect(routeResponse(via('UDP', '10.0.0.5', 5062, { maddr: '239.1.1.1', received: '198.51.100.7' }))).toEqual({
      ok: true,
      target: { protocol: 'udp', address: '239.1.1.1', port: 5062 },
    });
  });

  it('TCP: the request connection first, received/sent-by as fallback', () => {
    expect(routeResponse(via('TCP', 'client.example.com', undefined, { received: '198.51.100.7' }), 'tcp-1')).toEqual({
      ok: true,
      target: { protocol: 'tcp', address: '198.51.100.7', port: 5060, connectionId: 'tcp-1' },
    });
  });

  it('TLS defaults to 5061 and strips IPv6 brackets', () => {
    expect(routeResponse(via('TLS', '[2001:db8::1]', undefined))).toEqual({
      ok: true,
      target: { protocol: 'tls', address: '2001:db8::1', port: 5061 },
    });
  });

  it('WSS keeps the connection id; unknown transports are refused', () => {
    const route = routeResponse(via('WSS', 'df7jal23ls0d.invalid', undefined, { received: '203.0.113.9', rport: '51000' }), 'wss-9');
    expect(route).toEqual({
      ok: true,
      target: { protocol: 'wss', address: '203.0.113.9', port: 51000, connectionId: 'wss-9' },
    });
    expect(routeResponse(via('SCTP', 'h', 5060)).ok).toBe(false);
  });
});

describe('prepareResponse', () => {
  function answer(method: string): SipResponse {
    const text = [
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKprep;rport=40123;received=198.51.100.7',
      'From: <sip:1001@atende.local>;tag=a',
      'To: <sip:1001@atende.local>;tag=b',
      'Call-ID: prep',
      `CSeq: 1 ${method}`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    return parseMessage(Buffer.from(text)) as SipResponse;
  }

  it('marks answers to REGISTER bulk (they may wait for the turn end), and no others', () => {
    const local = { protocol: 'udp', address: '127.0.0.1', port: 5060 } as const;
    const register = prepareResponse(answer('REGISTER'), { message: answer('REGISTER'), source: local, local, receivedAt: 0 });
    expect(register).toMatchObject({ target: { protocol: 'udp', address: '198.51.100.7', port: 40123 }, local, bulk: true });
    for (const method of ['INVITE', 'BYE', 'OPTIONS']) {
      const prepared = prepareResponse(answer(method));
      expect(typeof prepared === 'string' ? prepared : prepared.bulk, method).toBeUndefined();
    }
  });
});
