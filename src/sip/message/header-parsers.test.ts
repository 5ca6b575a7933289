import { describe, expect, it } from 'vitest';
import {
  addHeader, canonicalHeaderName, createRequest, createResponse, defaultReason, formatNameAddr,
  formatUri, formatVia, frameStreamMessage, getHeader, getHeaderValues, isParseError, parseCSeq,
  parseMessage, parseNameAddr, parseUri, parseVia, removeHeader, serializeMessage, setHeader, toTag,
  unescapeUriComponent,
} from './index.js';
import type { SipRequest } from './index.js';

describe('canonicalHeaderName', () => {
  it('expands compact forms and fixes the case of known names', () => {
    expect(canonicalHeaderName('i')).toBe('Call-ID');
    expect(canonicalHeaderName('V')).toBe('Via');
    expect(canonicalHeaderName('x')).toBe('Session-Expires');
    expect(canonicalHeaderName('call-id')).toBe('Call-ID');
    expect(canonicalHeaderName('CSEQ')).toBe('CSeq');
    expect(canonicalHeaderName('www-authenticate')).toBe('WWW-Authenticate');
    expect(canonicalHeaderName('rack')).toBe('RAck');
    expect(canonicalHeaderName('min-se')).toBe('Min-SE');
    expect(canonicalHeaderName('X-Odd-Case')).toBe('X-Odd-Case');
  });
});

describe('parseUri / formatUri', () => {
  it('reads the parts of a sip URI and writes it back unchanged', () => {
    const s = 'sip:alice:secret@atende.test:5070;transport=tcp;lr?Subject=hi%20there&Priority=urgent';
    const u = parseUri(s);
    expect(u).toEqual({
      scheme: 'sip', user: 'alice', password: 'secret', host: 'atende.test', port: 5070,
      params: { transport: 'tcp', lr: null }, headers: { Subject: 'hi%20there', Priority: 'urgent' },
    });
    expect(formatUri(u as never)).toBe(s);
  });
  it('keeps escapes in the user part and decodes them on request', () => {
    const u = parseUri('sips:sip%3Auser%40x@[2001:db8::1]');
    expect(u).toMatchObject({ scheme: 'sips', user: 'sip%3Auser%40x', host: '[2001:db8::1]' });
    expect(unescapeUriComponent('sip%3Auser%40x')).toBe('sip:user@x');
    expect(formatUri({ scheme: 'sip', user: 'a b', host: 'h', params: {}, headers: {} })).toBe('sip:a%20b@h');
  });
  it('reads tel and keeps other schemes as written', () => {
    expect(parseUri('tel:+55-11-5555;phone-context=+55')).toEqual({ scheme: 'tel', number: '+55-11-5555', params: { 'phone-context': '+55' } });
    expect(parseUri('urn:service:sos')).toEqual({ scheme: 'urn', raw: 'urn:service:sos' });
  });
  it('refuses broken URIs', () => {
    for (const bad of ['', 'nocolon', 'sip:', 'sip:@host', 'sip:host:99999', 'sip:[::1', 'sip:a b@c', 'sip:<x>', 'sip:host;=v', '1sip:x']) {
      expect(isParseError(parseUri(bad)), bad).toBe(true);
    }
  });
});

describe('parseNameAddr / formatNameAddr', () => {
  it('reads quoted display names with escapes', () => {
    const n = parseNameAddr('"Ana \\"A\\" Silva" <sip:ana@atende.test>;tag=x1;+sip.instance="<urn:uuid:1>"');
    expect(n).toMatchObject({ displayName: 'Ana "A" Silva', params: { tag: 'x1', '+sip.instance': '"<urn:uuid:1>"' } });
    expect(parseNameAddr(formatNameAddr(n as never))).toEqual(n);
  });
  it('reads token display names and no display name', () => {
    expect(parseNameAddr('Bob Smith <sip:b@h>')).toMatchObject({ displayName: 'Bob Smith', params: {} });
    expect(parseNameAddr('<sip:b@h;lr>')).toMatchObject({ uri: { params: { lr: null } }, params: {} });
  });
  it('gives addr-spec parameters to the header, not the URI (RFC 3261 20.10)', () => {
    const n = parseNameAddr('sip:b@h;tag=88;expires=60');
    expect(n).toMatchObject({ uri: { host: 'h', params: {} }, params: { tag: '88', expires: '60' } });
    expect(n).not.toHaveProperty('displayName');
  });
  it('refuses unterminated quotes and missing brackets', () => {
    for (const bad of ['"open <sip:a@b>', '<sip:a@b', '"x" sip:a@b', '', 'Bob "x" <sip:a@b>', '<sip:a@b>;tag="unterminated']) {
      expect(isParseError(parseNameAddr(bad)), bad).toBe(true);
    }
  });
});

describe('parseVia / formatVia', () => {
  it('reads protocol, transport, host, port and params', () => {
    const v = parseVia('SIP/2.0/udp 192.0.2.1:5060;branch=z9hG4bK77;rport;received=192.0.2.99');
    expect(v).toEqual({ protocol: 'SIP/2.0', transport: 'UDP', host: '192.0.2.1', port: 5060, params: { branch: 'z9hG4bK77', rport: null, received: '192.0.2.99' } });
    expect(formatVia(v as never)).toBe('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK77;rport;received=192.0.2.99');
  });
  it('reads IPv6 and spaces around slashes', () => {
    expect(parseVia('SIP / 2.0 / TLS [2001:db8::5]:5061 ;branch=z9hG4bKx')).toMatchObject({ transport: 'TLS', host: '[2001:db8::5]', port: 5061 });
  });
  it('refuses broken Vias', () => {
    for (const bad of ['', 'SIP/2.0/UDP', 'SIP/2.0 host', 'SIP/2.0/UDP host:abc', 'SIP/2.0/UDP host;', 'SIP/2.0/UDP host junk']) {
      expect(isParseError(parseVia(bad)), bad).toBe(true);
    }
  });
});

describe('parseCSeq', () => {
  it('reads number and method', () => {
    expect(parseCSeq(' 4711   INVITE ')).toEqual({ seq: 4711, method: 'INVITE' });
    expect(parseCSeq('2147483647 ACK')).toEqual({ seq: 2147483647, method: 'ACK' });
  });
  it('refuses broken values', () => {
    for (const bad of ['', 'INVITE', '12', '-1 INVITE', '2147483648 INVITE', '1 INV ITE', 'x1 BYE']) {
      expect(isParseError(parseCSeq(bad)), bad).toBe(true);
    }
  });
});

function sampleRequest(): SipRequest {
  return createRequest({
    method: 'INVITE',
    uri: 'sip:bob@atende.test',
    headers: [
      { name: 'v', value: 'SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2' },
      { name: 'Via', value: 'SIP/2.0/UDP c;branch=z9hG4bK3' },
      { name: 'From', value: '<sip:a@atende.test>;tag=f' },
      { name: 'To', value: '<sip:bob@atende.test>' },
      { name: 'Call-ID', value: 'c1' },
      { name: 'CSeq', value: '1 INVITE' },
      { name: 'Record-Route', value: '<sip:p;lr>' },
      { name: 'WWW-Authenticate', value: 'Digest realm="a,b", nonce="n"' },
      { name: 'Max-Forwards', value: '70' },
    ],
  });
}

describe('header field access', () => {
  it('gets values case-insensitively and compact-aware, splitting list headers only', () => {
    const r = sampleRequest();
    expect(getHeader(r, 'VIA')).toBe('SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2');
    expect(getHeaderValues(r, 'v')).toHaveLength(3);
    expect(getHeaderValues(r, 'www-authenticate')).toEqual(['Digest realm="a,b", nonce="n"']);
    expect(getHeader(r, 'i')).toBe('c1');
  });
  it('sets, adds and removes fields in the right places', () => {
    const r = sampleRequest();
    addHeader(r, 'Via', 'SIP/2.0/UDP top;branch=z9hG4bK0', 'top');
    expect(r.headers[0]).toEqual({ name: 'Via', value: 'SIP/2.0/UDP top;branch=z9hG4bK0' });
    addHeader(r, 'Route', '<sip:r;lr>', 'top');
    expect(r.headers[0]?.name).toBe('Route');
    addHeader(r, 'x-new', '1');
    expect(r.headers.at(-1)).toEqual({ name: 'x-new', value: '1' });
    setHeader(r, 'v', 'SIP/2.0/TCP only;branch=z9hG4bK9');
    expect(getHeaderValues(r, 'Via')).toEqual(['SIP/2.0/TCP only;branch=z9hG4bK9']);
    expect(r.headers[1]?.name).toBe('Via');
    setHeader(r, 'Subject', 'new');
    expect(r.headers.at(-1)).toEqual({ name: 'Subject', value: 'new' });
    removeHeader(r, 'record-route');
    expect(getHeader(r, 'Record-Route')).toBeUndefined();
  });
});

describe('createResponse', () => {
  it('copies Via (in order), From, To, Call-ID, CSeq and adds the To tag', () => {
    const req = sampleRequest();
    const res = createResponse(req, 486, undefined, { toTag: 't9', headers: [{ name: 'Retry-After', value: '30' }] });
    expect(res.reason).toBe('Busy Here');
    expect(res.headers.map((h) => h.name)).toEqual(['Via', 'Via', 'From', 'To', 'Call-ID', 'CSeq', 'Retry-After']);
    expect(getHeaderValues(res, 'Via')).toHaveLength(3);
    expect(toTag(res)).toBe('t9');
    const parsed = parseMessage(serializeMessage(res));
    expect(isParseError(parsed)).toBe(false);
  });
  it('never tags a 100 and keeps an existing tag', () => {
    const req = sampleRequest();
    expect(toTag(createResponse(req, 100, undefined, { toTag: 'x' }))).toBeUndefined();
    setHeader(req, 'To', '<sip:bob@atende.test>;tag=old');
    expect(toTag(createResponse(req, 200, 'Fine', { toTag: 'new' }))).toBe('old');
    expect(defaultReason(299)).toBe('OK');
    expect(defaultReason(481)).toBe('Call/Transaction Does Not Exist');
  });
});

describe('serializeMessage', () => {
  it('writes the real Content-Length and CRLF line ends, never raw line breaks in values', () => {
    const r = sampleRequest();
    r.body = Buffer.from('v=0\r\n');
    addHeader(r, 'Content-Length', '999');
    addHeader(r, 'Subject', 'evil\r\nInjected: yes');
    const wire = serializeMessage(r).toString('latin1');
    expect(wire).toContain('Content-Length: 5\r\n');
    expect(wire).not.toContain('999');
    expect(wire).not.toMatch(/\nInjected/);
    expect(wire.endsWith('\r\n\r\nv=0\r\n')).toBe(true);
    expect(wire.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describe('parseMessage limits', () => {
  const base = 'OPTIONS sip:h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:h>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n';
  it('honours custom limits', () => {
    expect(isParseError(parseMessage(Buffer.from(`${base}\r\n`), { maxHeaders: 4 }))).toBe(true);
    expect(isParseError(parseMessage(Buffer.from(`${base}\r\n`), { maxMessageBytes: 50 }))).toBe(true);
    expect(isParseError(parseMessage(Buffer.from(`${base}\r\nbody`), { maxBodyBytes: 3 }))).toBe(true);
    expect(isParseError(parseMessage(Buffer.from(`${base}\r\nbody`)))).toBe(false);
  });
});

describe('frameStreamMessage', () => {
  const one = Buffer.from('OPTIONS sip:h SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nl: 4\r\n\r\nbody');
  it('frames complete messages, waits for partial ones and passes keep-alives', () => {
    expect(frameStreamMessage(Buffer.concat([one, one]))).toEqual({ length: one.length, keepAlive: false });
    expect(frameStreamMessage(one.subarray(0, one.length - 1))).toBeUndefined();
    expect(frameStreamMessage(one.subarray(0, 20))).toBeUndefined();
    expect(frameStreamMessage(Buffer.from('\r\n\r\n'))).toEqual({ length: 4, keepAlive: true });
    expect(frameStreamMessage(Buffer.concat([Buffer.from('\r\n'), one]))).toEqual({ length: 2, keepAlive: true });
  });
  it('refuses streams without Content-Length or with an endless line', () => {
    expect(isParseError(frameStreamMessage(Buffer.from('OPTIONS sip:h SIP/2.0\r\nVia: x\r\n\r\n')))).toBe(true);
    expect(isParseError(frameStreamMessage(Buffer.alloc(9000, 0x41)))).toBe(true);
  });
});
