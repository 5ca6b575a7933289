import { describe, expect, it } from 'vitest';
import { cseq, fromTag, isParseError, parseCSeq, parseMessage, parseNameAddr, parseUri, parseVia, toTag, topVia } from './index.js';
import type { SipRequest, SipUri } from './index.js';

const text = [
  'REGISTER sip:pbx.atende.test SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bKcache1',
  'From: "A" <sip:1001@pbx.atende.test;user=phone>;tag=f1',
  'To: <sip:1001@pbx.atende.test>',
  'Call-ID: c1',
  'CSeq: 3 REGISTER',
  'Content-Length: 0',
  '', '',
].join('\r\n');

describe('memoized header parses', () => {
  it('hand out fresh objects: mutating one result never shows in the next', () => {
    const req = parseMessage(Buffer.from(text)) as SipRequest;
    const via = topVia(req);
    if (via === undefined) throw new Error('no Via');
    via.params['received'] = '203.0.113.9';
    via.host = 'changed';
    expect(topVia(req)).toEqual({ protocol: 'SIP/2.0', transport: 'UDP', host: '192.0.2.10', port: 5060, params: { rport: null, branch: 'z9hG4bKcache1' } });

    const from = parseNameAddr('"A" <sip:1001@pbx.atende.test;user=phone>;tag=f1');
    if (isParseError(from)) throw new Error(from.reason);
    from.params['tag'] = 'x';
    (from.uri as SipUri).params['user'] = 'ip';
    (from.uri as SipUri).headers['h'] = 'v';
    expect(fromTag(req)).toBe('f1');
    expect(parseNameAddr('"A" <sip:1001@pbx.atende.test;user=phone>;tag=f1')).toEqual({
      displayName: 'A', params: { tag: 'f1' },
      uri: { scheme: 'sip', user: '1001', host: 'pbx.atende.test', params: { user: 'phone' }, headers: {} },
    });

    const c = cseq(req);
    if (c === undefined) throw new Error('no CSeq');
    c.seq = 99;
    expect(parseCSeq('3 REGISTER')).toEqual({ seq: 3, method: 'REGISTER' });
    expect(cseq(req)).toEqual({ seq: 3, method: 'REGISTER' });

    const uri = parseUri(req.uri) as SipUri;
    uri.params['lr'] = null;
    expect(parseUri(req.uri)).toEqual({ scheme: 'sip', host: 'pbx.atende.test', params: {}, headers: {} });
    expect(toTag(req)).toBeUndefined();
  });

  it('give the same answers with and without a remembered value, also past the ring size', () => {
    const vias = Array.from({ length: 40 }, (_, i) => `SIP/2.0/TCP h${i}.test;branch=z9hG4bK${i}`);
    const first = vias.map((v) => parseVia(v));
    for (let i = 0; i < vias.length; i++) {
      const msg = parseMessage(Buffer.from(text.replace('SIP/2.0/UDP 192.0.2.10:5060;rport;branch=z9hG4bKcache1', vias[i] as string)));
      if (isParseError(msg)) throw new Error(msg.reason);
      expect(topVia(msg)).toEqual(first[i]);
    }
    for (let i = 0; i < vias.length; i++) expect(parseVia(vias[i] as string)).toEqual(first[i]);
    expect(isParseError(parseVia('SIP/2.0 nohost'))).toBe(true);
  });

  it('keep a parameter named __proto__ an own entry in the copies', () => {
    const n = parseNameAddr('<sip:a@b>;__proto__=x');
    const msg = parseMessage(Buffer.from(text.replace('To: <sip:1001@pbx.atende.test>', 'To: <sip:a@b>;__proto__=x')));
    if (isParseError(n) || isParseError(msg)) throw new Error('parse');
    const again = parseNameAddr('<sip:a@b>;__proto__=x');
    if (isParseError(again)) throw new Error('parse');
    expect(Object.keys(again.params)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(again.params)).toBe(Object.prototype);
    expect(again).toEqual(n);
  });
});
