// Netstring framing of baresip's ctrl_tcp.
import { describe, expect, it } from 'vitest';
import { decodeNetstrings, encodeNetstring } from './baresip-control.js';
import { baresipAccount } from './baresip.js';

describe('baresip ctrl_tcp framing', () => {
  it('encodes by byte length and decodes split and joined netstrings', () => {
    const one = encodeNetstring('{"command":"dial","params":"sip:1002@é"}');
    expect(one.toString('utf8')).toBe(`${Buffer.byteLength('{"command":"dial","params":"sip:1002@é"}')}:{"command":"dial","params":"sip:1002@é"},`);
    const two = Buffer.concat([one, encodeNetstring('{"event":true}')]);
    const first = decodeNetstrings(two.subarray(0, 10));
    expect(first.payloads).toEqual([]);
    const rest = decodeNetstrings(Buffer.concat([first.rest, two.subarray(10)]));
    expect(rest.payloads).toEqual(['{"command":"dial","params":"sip:1002@é"}', '{"event":true}']);
    expect(rest.rest.length).toBe(0);
  });

  it('writes an account that registers through an outbound proxy when a domain is given', () => {
    expect(baresipAccount({ user: '1001', password: 'pw', registrar: '127.0.0.1:5060', transport: 'udp', autoAnswer: true, regint: 60 }))
      .toBe('<sip:1001@127.0.0.1:5060;transport=udp>;auth_user=1001;auth_pass=pw;regint=60;answermode=auto\n');
    expect(baresipAccount({ user: '1001', password: 'pw', registrar: '127.0.0.1:5061', domain: 'atende.local', transport: 'tls', autoAnswer: false, regint: 600 }))
      .toBe('<sip:1001@atende.local;transport=tls>;auth_user=1001;auth_pass=pw;regint=600;outbound="sip:127.0.0.1:5061;transport=tls"\n');
  });
});
