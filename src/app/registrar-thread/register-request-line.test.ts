import { describe, expect, it } from 'vitest';
import { isRegisterRequest } from './register-request-line.js';

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'));
const REGISTER = 'REGISTER sip:atende.local SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK-1\r\n\r\n';

describe('isRegisterRequest', () => {
  it('takes a REGISTER request line', () => {
    expect(isRegisterRequest(bytes(REGISTER))).toBe(true);
  });

  it('skips the CRLFs a sender may put before the request line (RFC 3261 7.5)', () => {
    expect(isRegisterRequest(bytes(`\r\n\r\n${REGISTER}`))).toBe(true);
    expect(isRegisterRequest(bytes(`\n${REGISTER}`))).toBe(true);
  });

  it('matches the method case-sensitively (RFC 3261 7.1)', () => {
    expect(isRegisterRequest(bytes(REGISTER.replace('REGISTER', 'register')))).toBe(false);
    expect(isRegisterRequest(bytes(REGISTER.replace('REGISTER', 'Register')))).toBe(false);
  });

  it('wants the whole method followed by a space', () => {
    expect(isRegisterRequest(bytes('REGISTERX sip:atende.local SIP/2.0\r\n\r\n'))).toBe(false);
    expect(isRegisterRequest(bytes('REGISTER\r\n\r\n'))).toBe(false);
    expect(isRegisterRequest(bytes('REGISTER\tsip:atende.local SIP/2.0\r\n\r\n'))).toBe(false);
    expect(isRegisterRequest(bytes(' REGISTER sip:atende.local SIP/2.0\r\n\r\n'))).toBe(false);
  });

  it('leaves other requests and responses alone', () => {
    expect(isRegisterRequest(bytes('INVITE sip:1001@atende.local SIP/2.0\r\n\r\n'))).toBe(false);
    expect(isRegisterRequest(bytes('SIP/2.0 200 OK\r\nCSeq: 1 REGISTER\r\n\r\n'))).toBe(false);
  });

  it('leaves empty, short and CRLF-only buffers alone', () => {
    expect(isRegisterRequest(new Uint8Array(0))).toBe(false);
    expect(isRegisterRequest(bytes('REGISTER'))).toBe(false);
    expect(isRegisterRequest(bytes('REG'))).toBe(false);
    expect(isRegisterRequest(bytes('\r\n\r\n'))).toBe(false);
    expect(isRegisterRequest(bytes('\r\nREGISTER'))).toBe(false);
  });

  it('reads a view at its own offset, not its buffer start', () => {
    const pool = Buffer.from(`INVITE ${REGISTER}`, 'latin1');
    expect(isRegisterRequest(pool.subarray('INVITE '.length))).toBe(true);
    expect(isRegisterRequest(pool.subarray(0, 20))).toBe(false);
  });
});
