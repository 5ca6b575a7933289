import { describe, expect, it } from 'vitest';
import { createRequest, isParseError, parseMessage, parseUri } from '../message/index.js';
import type { SipRequest, Uri } from '../message/index.js';
import { uriEquivalent } from './contact-uri-match.js';
import { parseDeltaSeconds, readRegister } from './register-request.js';

function request(headerLines: string[]): SipRequest {
  const text = [
    'REGISTER sip:atende.local SIP/2.0',
    'Via: SIP/2.0/UDP 192.168.1.20;branch=z9hG4bK-r1',
    'From: <sip:1001@atende.local>;tag=1',
    'To: <sip:1001@atende.local>',
    'Call-ID: reg-1',
    ...headerLines,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const m = parseMessage(Buffer.from(text));
  if (isParseError(m) || m.type !== 'request') throw new Error('fixture does not parse');
  return m;
}

function uri(s: string): Uri {
  const u = parseUri(s);
  if (isParseError(u)) throw new Error(s);
  return u;
}

describe('readRegister', () => {
  it('reads contacts (compact and comma-joined), verbatim URIs, params, Path, outbound, Via count', () => {
    const view = readRegister(
      request([
        'CSeq: 7 REGISTER',
        'm: "Ana, desk" <sip:1001@10.0.0.8;Transport=TCP>;q=0.7;expires=90, sip:1001@10.0.0.9;reg-id=2;+sip.instance="<urn:uuid:9>"',
        'Expires: 300',
        'Path: <sip:p1.example;lr;ob>, <sip:p2.example;lr>',
        'k: path, outbound',
        'User-Agent: Yealink T46U',
      ]),
    );
    expect(view).toMatchObject({
      callId: 'reg-1',
      cseq: 7,
      wildcard: false,
      expires: 300,
      path: ['<sip:p1.example;lr;ob>', '<sip:p2.example;lr>'],
      supportsOutbound: true,
      viaCount: 1,
      userAgent: 'Yealink T46U',
    });
    if ('status' in view) throw new Error('unexpected rejection');
    expect(view.contacts.map(({ parsed: _p, ...c }) => c)).toEqual([
      { uri: 'sip:1001@10.0.0.8;Transport=TCP', q: 0.7, expires: 90 },
      { uri: 'sip:1001@10.0.0.9', regId: 2, instanceId: '<urn:uuid:9>' },
    ]);
  });

  it('rejects a bad CSeq, a CSeq of another method, a missing Call-ID, a bad reg-id or q', () => {
    // The parser already refuses some of these on the wire; built requests reach us unchecked.
    const built = (headers: Array<[string, string]>) =>
      readRegister(createRequest({ method: 'REGISTER', uri: 'sip:atende.local', headers: headers.map(([name, value]) => ({ name, value })) }));
    expect(built([['Call-ID', 'a'], ['CSeq', 'x REGISTER']])).toMatchObject({ status: 400, reason: 'Invalid CSeq' });
    expect(built([['Call-ID', 'a'], ['CSeq', '1 INVITE']])).toMatchObject({ status: 400, reason: 'Invalid CSeq' });
    expect(built([['CSeq', '1 REGISTER']])).toMatchObject({ status: 400, reason: 'Missing Call-ID' });
    expect(readRegister(request(['CSeq: 1 REGISTER', 'Contact: <sip:a@h>;+sip.instance="<urn:x>";reg-id=0']))).toMatchObject({ status: 400 });
    expect(readRegister(request(['CSeq: 1 REGISTER', 'Contact: <sip:a@h>;q=']))).toMatchObject({ status: 400 });
  });

  it('parses delta-seconds, capping at 2^32-1', () => {
    expect(parseDeltaSeconds('60')).toBe(60);
    expect(parseDeltaSeconds(' 0 ')).toBe(0);
    expect(parseDeltaSeconds('-1')).toBeUndefined();
    expect(parseDeltaSeconds('1e3')).toBeUndefined();
    expect(parseDeltaSeconds('99999999999999')).toBe(4294967295);
  });

  it('reads a malformed Expires header as 3600', () => {
    expect(readRegister(request(['CSeq: 1 REGISTER', 'Expires: never']))).toMatchObject({ expires: 3600 });
  });
});

describe('uriEquivalent (RFC 3261 19.1.4)', () => {
  it('follows the RFC examples', () => {
    expect(uriEquivalent(uri('sip:%61lice@atlanta.com;transport=TCP'), uri('sip:alice@AtLanTa.CoM;Transport=tcp'))).toBe(true);
    expect(uriEquivalent(uri('sip:carol@chicago.com'), uri('sip:carol@chicago.com;newparam=5'))).toBe(true);
    expect(uriEquivalent(uri('sip:alice@atlanta.com'), uri('sip:ALICE@atlanta.com'))).toBe(false);
    expect(uriEquivalent(uri('sip:bob@biloxi.com'), uri('sip:bob@biloxi.com:5060'))).toBe(false);
    expect(uriEquivalent(uri('sip:bob@biloxi.com'), uri('sip:bob@biloxi.com;transport=udp'))).toBe(true);
    expect(uriEquivalent(uri('sip:bob@biloxi.com'), uri('sip:bob@biloxi.com;user=phone'))).toBe(false);
    expect(uriEquivalent(uri('sip:bob@biloxi.com;maddr=1.2.3.4'), uri('sip:bob@biloxi.com'))).toBe(false);
    expect(uriEquivalent(uri('sip:a@h;transport=tcp'), uri('sip:a@h;transport=udp'))).toBe(false);
    expect(uriEquivalent(uri('sip:a@h'), uri('sips:a@h'))).toBe(false);
    expect(uriEquivalent(uri('sip:carol@chicago.com?Subject=next%20meeting'), uri('sip:carol@chicago.com?Subject=next meeting'.replace(' ', '%20')))).toBe(true);
    expect(uriEquivalent(uri('sip:carol@chicago.com?Subject=a'), uri('sip:carol@chicago.com'))).toBe(false);
  });
});
