import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/index.js';
import {
  answerSdesOffer, formatSdesCrypto, generateSdesCrypto, isSdesParseError, parseSdesCrypto,
  srtpSessionFromSdes, type SdesCrypto,
} from './sdes.js';
import { SrtpSession } from './srtp-session.js';

const RFC_EXAMPLE = '1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4';

function rtp(seq: number): Buffer {
  const b = Buffer.alloc(32, 0x55);
  b[0] = 0x80;
  b.writeUInt16BE(seq, 2);
  b.writeUInt32BE(0xabcdef01, 8);
  return b;
}

describe('SDES a=crypto (RFC 4568)', () => {
  it('parses the RFC example with lifetime and MKI and serializes it back unchanged', () => {
    const c = parseSdesCrypto(RFC_EXAMPLE);
    if (isSdesParseError(c)) throw new Error(c.reason);
    expect(c.tag).toBe(1);
    expect(c.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(c.keys[0]?.keySalt).toHaveLength(30);
    expect(c.keys[0]?.lifetime).toBe(2 ** 20);
    expect(c.keys[0]?.mki).toEqual({ value: 1, length: 4 });
    expect(formatSdesCrypto(c)).toBe(RFC_EXAMPLE);
  });

  it('keeps session parameters and several keys', () => {
    const v = '2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:32 FEC_ORDER=FEC_SRTP';
    const c = parseSdesCrypto(v);
    if (isSdesParseError(c)) throw new Error(c.reason);
    expect(c.keys).toHaveLength(2);
    expect(c.sessionParams).toEqual(['FEC_ORDER=FEC_SRTP']);
    expect(formatSdesCrypto(c)).toBe(v);
  });

  it('returns parse errors, never throws, on bad input', () => {
    for (const bad of ['', '1 AES_CM_128_HMAC_SHA1_80', 'x AES inline:AAAA', '1 S uri:foo', '1 S inline:!!!',
      '1 S inline:AAAA|2^x', '1 S inline:AAAA|1:0', '1 S inline:AAAA|1:1|2:1']) {
      expect(isSdesParseError(parseSdesCrypto(bad))).toBe(true);
    }
  });

  it('generates a fresh 30-byte key from the random source', () => {
    const c = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80', seededRandom(7))!;
    expect(c.keys[0]?.keySalt).toHaveLength(30);
    expect(generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80', seededRandom(8))!.keys[0]?.keySalt)
      .not.toEqual(c.keys[0]?.keySalt);
    expect(generateSdesCrypto(1, 'F8_128_HMAC_SHA1_80', seededRandom(7))).toBeUndefined();
  });

  it('answers an offer with the first supported line and both sides talk', () => {
    const offerer = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80', seededRandom(1))!;
    const offered = ['1 AES_256_CM_HMAC_SHA1_80 inline:' + Buffer.alloc(46).toString('base64'),
      formatSdesCrypto({ ...offerer, tag: 2 }), formatSdesCrypto({ ...offerer, tag: 3, suite: 'AES_CM_128_HMAC_SHA1_32' })];
    const answer = answerSdesOffer(offered, seededRandom(2))!;
    expect(answer.local.tag).toBe(2);
    expect(answer.local.suite).toBe('AES_CM_128_HMAC_SHA1_80');
    const ours = srtpSessionFromSdes(answer.local, answer.remote) as SrtpSession;
    const theirs = srtpSessionFromSdes({ ...offerer, tag: 2 }, answer.local) as SrtpSession;
    expect(ours).toBeInstanceOf(SrtpSession);
    const r = ours.unprotectRtp((theirs.protectRtp(rtp(9)) as { packet: Buffer }).packet);
    expect(r).toEqual({ ok: true, packet: rtp(9) });
    expect(answerSdesOffer(['1 AES_CM_128_HMAC_SHA1_80 inline:AAAA'], seededRandom(2))).toBeUndefined();
    expect(answerSdesOffer(['1 AES_CM_128_HMAC_SHA1_80 inline:' + Buffer.alloc(30).toString('base64') + ' UNENCRYPTED_SRTP'],
      seededRandom(2))).toBeUndefined();
  });

  it('carries a signalled MKI in each packet and refuses a different one', () => {
    const rnd = seededRandom(3);
    const mk = (mki: number): SdesCrypto => {
      const c = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80', rnd)!;
      return { ...c, keys: [{ keySalt: c.keys[0]!.keySalt, mki: { value: mki, length: 2 } }] };
    };
    const a = mk(1);
    const b = mk(2);
    const sa = srtpSessionFromSdes(a, b) as SrtpSession;
    const sb = srtpSessionFromSdes(b, a) as SrtpSession;
    const sealed = (sa.protectRtp(rtp(1)) as { packet: Buffer }).packet;
    expect(sealed).toHaveLength(32 + 2 + 10);
    expect(sealed.readUInt16BE(32)).toBe(1);
    expect(sb.unprotectRtp(sealed)).toEqual({ ok: true, packet: rtp(1) });
    const wrongMki = Buffer.from((sa.protectRtp(rtp(2)) as { packet: Buffer }).packet);
    wrongMki.writeUInt16BE(7, 32);
    expect(sb.unprotectRtp(wrongMki)).toEqual({ ok: false, error: 'mki-mismatch' });
    const rtcp = Buffer.from('80c9000100000001', 'hex');
    expect(sb.unprotectRtcp((sa.protectRtcp(rtcp) as { packet: Buffer }).packet)).toEqual({ ok: true, packet: rtcp });
  });

  it('refuses mismatched suites and bad key lengths with a reason', () => {
    const a = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80', seededRandom(1))!;
    const b = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_32', seededRandom(2))!;
    expect(typeof srtpSessionFromSdes(a, b)).toBe('string');
    expect(srtpSessionFromSdes(a, { ...a, keys: [{ keySalt: Buffer.alloc(20) }] })).toMatch(/remote/);
  });
});
