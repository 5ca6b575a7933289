import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { STUN_ATTR } from './stun-constants.js';
import { isStunParseError, parseStunMessage, stunMessageType, type StunMessage } from './stun-message.js';
import { verifyFingerprint, verifyMessageIntegrity } from './stun-integrity.js';
import {
  errorCodeAttribute, readErrorCode, readXorMappedAddress, textAttribute, xorMappedAddressAttribute,
} from './stun-attributes.js';
import { serializeStunMessage } from './stun-serialize.js';
import { bytesToIp, ipToBytes } from './transport-address.js';

const TID = Buffer.from('0102030405060708090a0b0c', 'hex');

function parse(b: Buffer): StunMessage {
  const m = parseStunMessage(b);
  if (isStunParseError(m)) throw new Error(m.reason);
  return m;
}

describe('STUN message', () => {
  it('encodes method and class into the type field (RFC 5389 6)', () => {
    expect(stunMessageType(1, 'request')).toBe(0x0001);
    expect(stunMessageType(1, 'indication')).toBe(0x0011);
    expect(stunMessageType(1, 'success')).toBe(0x0101);
    expect(stunMessageType(1, 'error')).toBe(0x0111);
  });

  it('round-trips an error response with ERROR-CODE', () => {
    const b = serializeStunMessage({ method: 1, class: 'error', transactionId: TID,
      attributes: [errorCodeAttribute(401, 'Unauthorized')] }, { fingerprint: true });
    const m = parse(b);
    expect(m.class).toBe('error');
    expect(readErrorCode(m)).toEqual({ code: 401, reason: 'Unauthorized' });
    expect(verifyFingerprint(m)).toBe(true);
    expect(verifyMessageIntegrity(m, Buffer.from('x'))).toBe(false);
  });

  it('round-trips XOR-MAPPED-ADDRESS for IPv4, IPv6 and IPv4-mapped IPv6', () => {
    for (const address of ['203.0.113.9', '::1', 'fe80::1:2', '2001:db8::8:800:200c:417a', '::ffff:198.51.100.7']) {
      const b = serializeStunMessage({ method: 1, class: 'success', transactionId: TID,
        attributes: [xorMappedAddressAttribute({ address, port: 65000 }, TID)!] });
      const back = readXorMappedAddress(parse(b));
      expect(back?.port).toBe(65000);
      expect(ipToBytes(back!.address)).toEqual(ipToBytes(address));
    }
    expect(xorMappedAddressAttribute({ address: 'not-an-ip', port: 1 }, TID)).toBeUndefined();
    expect(bytesToIp(ipToBytes('2001:db8:0:0:1:0:0:1')!)).toBe('2001:db8::1:0:0:1');
  });

  it('ignores attributes after MESSAGE-INTEGRITY except FINGERPRINT, and detects tampering', () => {
    const key = Buffer.from('secret');
    const b = serializeStunMessage({ method: 1, class: 'request', transactionId: TID,
      attributes: [textAttribute(STUN_ATTR.username, 'a:b')] }, { integrityKey: key, fingerprint: true });
    const m = parse(b);
    expect(verifyMessageIntegrity(m, key) && verifyFingerprint(m)).toBe(true);
    const tampered = Buffer.from(b);
    tampered[25] = 0x63; // 'a:b' -> 'a:c'... inside USERNAME
    const t = parse(tampered);
    expect(verifyMessageIntegrity(t, key)).toBe(false);
    expect(verifyFingerprint(t)).toBe(false);
  });

  it('refuses malformed input with a parse error', () => {
    const good = serializeStunMessage({ method: 1, class: 'request', transactionId: TID,
      attributes: [textAttribute(STUN_ATTR.username, 'abcd')] }, { fingerprint: true });
    const cases: Buffer[] = [
      good.subarray(0, 19),
      Buffer.concat([good, Buffer.alloc(4)]), // length field does not match
      (() => { const x = Buffer.from(good); x[4] = 0; return x; })(), // cookie
      (() => { const x = Buffer.from(good); x[0] = 0x80; return x; })(), // top bits
      (() => { const x = Buffer.from(good); x.writeUInt16BE(200, 22); return x; })(), // attr overrun
      Buffer.concat([good, Buffer.from('00060000', 'hex')]).fill(0, 2, 3).fill(good.length - 20 + 4, 3, 4), // after FP
    ];
    for (const c of cases) expect(isStunParseError(parseStunMessage(c))).toBe(true);
  });

  it('never throws on arbitrary bytes (fuzz)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
      const b = Buffer.from(bytes);
      if (b.length >= 8) b.writeUInt32BE(0x2112a442, 4);
      if (b.length >= 4) b.writeUInt16BE(Math.max(0, b.length - 20) & 0xfffc, 2);
      const m = parseStunMessage(b);
      if (!isStunParseError(m)) {
        readXorMappedAddress(m);
        readErrorCode(m);
        verifyFingerprint(m);
        verifyMessageIntegrity(m, Buffer.from('k'));
      }
    }), { numRuns: 2000 });
  });
});
