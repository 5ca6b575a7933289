import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContentType, DTLS_1_0, DTLS_1_2, isDtlsPacket, parseRecords, serializeRecord } from './record-layer.js';
import { AeadRecordProtection } from './record-protection.js';
import { ReplayWindow } from './replay-window.js';

describe('DTLS record framing', () => {
  it('round-trips several records in one datagram', () => {
    const a = serializeRecord(ContentType.handshake, DTLS_1_0, 0, 5, Buffer.from('hello'));
    const b = serializeRecord(ContentType.alert, DTLS_1_2, 1, 2 ** 40 + 3, Buffer.from([2, 40]));
    const records = parseRecords(Buffer.concat([a, b]));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ contentType: 22, version: DTLS_1_0, epoch: 0, sequenceNumber: 5 });
    expect(records[0]?.fragment.toString()).toBe('hello');
    expect(records[1]).toMatchObject({ contentType: 21, version: DTLS_1_2, epoch: 1, sequenceNumber: 2 ** 40 + 3 });
    expect([...(records[1]?.fragment ?? [])]).toEqual([2, 40]);
  });

  it('keeps the records before a truncated or foreign one and drops the rest', () => {
    const a = serializeRecord(ContentType.handshake, DTLS_1_2, 0, 1, Buffer.from('abc'));
    const truncated = serializeRecord(ContentType.handshake, DTLS_1_2, 0, 2, Buffer.from('defgh')).subarray(0, 15);
    expect(parseRecords(Buffer.concat([a, truncated]))).toHaveLength(1);
    const badVersion = serializeRecord(ContentType.handshake, 0x0303, 0, 2, Buffer.from('x'));
    expect(parseRecords(Buffer.concat([a, badVersion]))).toHaveLength(1);
    expect(parseRecords(Buffer.from([0x80, 0, 0]))).toEqual([]);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      parseRecords(Buffer.from(bytes));
    }));
  });

  it('demultiplexes DTLS from STUN and RTP by the first byte (RFC 7983)', () => {
    expect(isDtlsPacket(Buffer.from([22]))).toBe(true);
    expect(isDtlsPacket(Buffer.from([0]))).toBe(false);
    expect(isDtlsPacket(Buffer.from([0x80]))).toBe(false);
    expect(isDtlsPacket(Buffer.alloc(0))).toBe(false);
  });
});

describe('AES-128-GCM record protection', () => {
  const keys = { key: Buffer.alloc(16, 9), implicitIv: Buffer.from([1, 2, 3, 4]) };

  it('opens what it seals and rejects tampering with body or header fields', () => {
    const sealer = new AeadRecordProtection(keys);
    const opener = new AeadRecordProtection(keys);
    const record = sealer.seal(ContentType.handshake, DTLS_1_2, 1, 7, Buffer.from('finished!'));
    const [parsed] = parseRecords(record);
    if (!parsed) throw new Error('no record');
    expect(parsed.fragment.length).toBe(8 + 9 + 16);
    expect(opener.open(22, DTLS_1_2, 1, 7, parsed.fragment)?.toString()).toBe('finished!');
    // The sequence number and type are authenticated (additional data).
    expect(opener.open(22, DTLS_1_2, 1, 8, parsed.fragment)).toBeUndefined();
    expect(opener.open(21, DTLS_1_2, 1, 7, parsed.fragment)).toBeUndefined();
    const flipped = Buffer.from(parsed.fragment);
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    expect(opener.open(22, DTLS_1_2, 1, 7, flipped)).toBeUndefined();
    expect(opener.open(22, DTLS_1_2, 1, 7, Buffer.alloc(10))).toBeUndefined();
  });
});

describe('replay window (RFC 6347 4.1.2.6)', () => {
  it('accepts each sequence number once and refuses ones older than the window', () => {
    const w = new ReplayWindow();
    for (const seq of [0, 1, 5, 3, 100]) {
      expect(w.isAcceptable(seq)).toBe(true);
      w.markReceived(seq);
    }
    expect(w.isAcceptable(5)).toBe(false);
    expect(w.isAcceptable(100)).toBe(false);
    expect(w.isAcceptable(99)).toBe(true);
    expect(w.isAcceptable(37)).toBe(true);
    expect(w.isAcceptable(36)).toBe(false); // 100 - 36 = 64: outside
    w.markReceived(60);
    expect(w.isAcceptable(60)).toBe(false);
    w.markReceived(140); // shifts by 40: 100 is now 40 behind, still remembered
    expect(w.isAcceptable(100)).toBe(false);
    expect(w.isAcceptable(101)).toBe(true);
  });

  it('agrees with a set-based model', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 200 }), (seqs) => {
      const w = new ReplayWindow();
      const seen = new Set<number>();
      let highest = -1;
      for (const s of seqs) {
        const expected = !seen.has(s) && s > highest - 64;
        expect(w.isAcceptable(s)).toBe(expected);
        if (expected) {
          w.markReceived(s);
          seen.add(s);
          highest = Math.max(highest, s);
        }
      }
    }));
  });
});
