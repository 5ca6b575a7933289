import { describe, expect, it } from 'vitest';
import { getHeader, getHeaderValues, isParseError, parseMessage, parseVia, topVia, type SipRequest } from '../message/index.js';
import { readInbound, stampReceivedAndRport } from './inbound-message.js';
import type { TransportAddress } from './types.js';

const source: TransportAddress = { protocol: 'udp', address: '198.51.100.7', port: 40123 };

function request(via: string, extra = '', method = 'OPTIONS'): string {
  return (
    `${method} sip:100@example.com SIP/2.0\r\n` +
    `Via: ${via}\r\n` +
    'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1\r\n' +
    'From: <sip:a@example.com>;tag=1\r\n' +
    'To: <sip:100@example.com>\r\n' +
    'Call-ID: c1@example.com\r\n' +
    `CSeq: 1 ${method}\r\n` +
    extra +
    'Content-Length: 0\r\n\r\n'
  );
}

function parseRequest(text: string): SipRequest {
  const m = parseMessage(Buffer.from(text));
  if (isParseError(m) || m.type !== 'request') throw new Error('fixture did not parse');
  return m;
}

describe('stampReceivedAndRport', () => {
  it('adds received when the sent-by host is not the source address (RFC 3261 18.2.1)', () => {
    const req = parseRequest(request('SIP/2.0/UDP pc33.example.com:5060;branch=z9hG4bK1'));
    expect(stampReceivedAndRport(req, source)).toBe(true);
    expect(getHeaderValues(req, 'Via')).toEqual([
      'SIP/2.0/UDP pc33.example.com:5060;branch=z9hG4bK1;received=198.51.100.7',
      'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1',
    ]);
  });

  it('leaves the Via alone when sent-by is the source and no rport was asked', () => {
    const req = parseRequest(request('SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK1'));
    stampReceivedAndRport(req, source);
    expect(getHeader(req, 'Via')).toBe('SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK1');
  });

  it('fills an empty rport and always adds received then (RFC 3581 section 4)', () => {
    const req = parseRequest(request('SIP/2.0/UDP 198.51.100.7:5060;rport;branch=z9hG4bK1'));
    stampReceivedAndRport(req, source);
    expect(getHeaderValues(req, 'Via')[0]).toBe(
      'SIP/2.0/UDP 198.51.100.7:5060;rport=40123;branch=z9hG4bK1;received=198.51.100.7',
    );
  });

  it('splits comma-joined Vias, keeping their order and place', () => {
    const text = request('SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bK1, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2');
    const req = parseRequest(text);
    stampReceivedAndRport(req, source);
    expect(req.headers.map((h) => h.name).slice(0, 4)).toEqual(['Via', 'Via', 'Via', 'From']);
    expect(getHeaderValues(req, 'Via')).toEqual([
      'SIP/2.0/UDP 10.0.0.1;rport=40123;branch=z9hG4bK1;received=198.51.100.7',
      'SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK2',
      'SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1',
    ]);
  });

  it('reads the stamped Via back as a fresh parse of its text would (IPv4 and IPv6 sources)', () => {
    for (const from of [source, { protocol: 'udp', address: '2001:db8::7', port: 5070 } as const]) {
      const req = parseRequest(request('SIP/2.0/udp [2001:DB8::1]:5062;RPort;branch=z9hG4bK1;maddr=x.example.com'));
      stampReceivedAndRport(req, from);
      const remembered = topVia(req);
      const text = getHeader(req, 'Via') as string;
      // Push the stamped text out of the parse memo (each parsed message remembers its top Via),
      // so this parse really reads the text.
      for (let i = 0; i < 40; i++) parseRequest(request(`SIP/2.0/UDP 10.9.9.${i};branch=z9hG4bK${i}`));
      expect(remembered).toEqual(parseVia(text));
      expect(remembered?.params['received']).toBe(from.address);
      expect(remembered?.params['rport']).toBe(String(from.port));
    }
  });
});

describe('readInbound', () => {
  it('passes a good request up, stamped', () => {
    const result = readInbound(Buffer.from(request('SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bK1')), source, 'sip.example.com');
    expect(result.kind).toBe('message');
    if (result.kind !== 'message') return;
    expect(getHeader(result.message, 'Via')).toContain('rport=40123');
  });

  it('answers a broken request with 400 and a Warning naming the reason', () => {
    const broken = request('SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1').replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE');
    const result = readInbound(Buffer.from(broken), source, 'sip.example.com');
    expect(result.kind).toBe('rejected');
    if (result.kind !== 'rejected') return;
    expect(result.response?.status).toBe(400);
    expect(getHeader(result.response!, 'Warning')).toMatch(/^399 sip\.example\.com "CSeq method does not match/);
    expect(getHeader(result.response!, 'Call-ID')).toBe('c1@example.com');
  });

  it('answers another SIP version with 505', () => {
    const text = request('SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1').replace('SIP/2.0\r\n', 'SIP/3.0\r\n');
    const result = readInbound(Buffer.from(text), source, 'h');
    expect(result.kind === 'rejected' && result.response?.status).toBe(505);
  });

  it('never answers a broken ACK, nor garbage', () => {
    const ack = request('SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1', '', 'ACK').replace('CSeq: 1 ACK', 'CSeq: 1 BYE');
    const a = readInbound(Buffer.from(ack), source, 'h');
    expect(a.kind === 'rejected' && a.response).toBeUndefined();
    const g = readInbound(Buffer.from('\x00\x01garbage'), source, 'h');
    expect(g).toMatchObject({ kind: 'rejected' });
    expect(g.kind === 'rejected' && g.response).toBeUndefined();
  });
});
