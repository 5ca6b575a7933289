import { describe, expect, it } from 'vitest';
import {
  fragmentHandshake,
  HandshakeReassembler,
  HandshakeType,
  parseHandshakeFragments,
  serializeHandshake,
} from './handshake-fragment.js';
import type { HandshakeFragment } from './handshake-fragment.js';

function fragmentsOf(msgType: number, seq: number, body: Buffer, max: number): HandshakeFragment[] {
  return fragmentHandshake(msgType, seq, body, max).flatMap((b) => parseHandshakeFragments(b) ?? []);
}

describe('handshake fragmentation and reassembly (RFC 6347 4.2.3)', () => {
  const body = Buffer.from(Array.from({ length: 1000 }, (_, i) => i & 0xff));

  it('splits a message into fragments that carry offsets and the full length', () => {
    const frags = fragmentsOf(HandshakeType.certificate, 2, body, 300);
    expect(frags.map((f) => [f.fragmentOffset, f.fragmentLength])).toEqual([[0, 300], [300, 300], [600, 300], [900, 100]]);
    expect(frags.every((f) => f.length === 1000 && f.messageSeq === 2 && f.msgType === 11)).toBe(true);
  });

  it('reassembles fragments out of order and with overlaps, delivering messages in message_seq order', () => {
    const r = new HandshakeReassembler(2);
    const cert = fragmentsOf(HandshakeType.certificate, 2, body, 300);
    const overlap = fragmentsOf(HandshakeType.certificate, 2, body, 450);
    const cke = fragmentsOf(HandshakeType.clientKeyExchange, 3, Buffer.from('key'), 300);
    // The later message first: it waits for message 2.
    expect(r.add(cke[0] as HandshakeFragment)).toBe('ok');
    expect(r.next()).toBeUndefined();
    for (const f of [cert[3], cert[1], cert[0]]) expect(r.add(f as HandshakeFragment)).toBe('ok');
    expect(r.next()).toBeUndefined(); // bytes 600..900 still missing
    // 450..900 overlaps what we have and fills the gap.
    expect(r.add(overlap[1] as HandshakeFragment)).toBe('ok');
    const first = r.next();
    expect(first?.messageSeq).toBe(2);
    expect(first?.body).toEqual(body);
    expect(r.next()?.body.toString()).toBe('key');
    expect(r.next()).toBeUndefined();
    // A fragment of an already delivered message signals a peer retransmission.
    expect(r.add(cert[0] as HandshakeFragment)).toBe('old');
  });

  it('rejects fragments that disagree with the message they belong to, or lie too far ahead', () => {
    const r = new HandshakeReassembler(0);
    const a = fragmentsOf(HandshakeType.certificate, 0, body, 300);
    r.add(a[0] as HandshakeFragment);
    const other = fragmentsOf(HandshakeType.certificate, 0, Buffer.alloc(50), 300)[0] as HandshakeFragment;
    expect(r.add(other)).toBe('invalid');
    const far = fragmentsOf(HandshakeType.finished, 50, Buffer.alloc(12), 300)[0] as HandshakeFragment;
    expect(r.add(far)).toBe('invalid');
  });

  it('accepts only ClientHello while a server waits for one, whatever its message_seq', () => {
    const r = new HandshakeReassembler(undefined);
    expect(r.add(fragmentsOf(HandshakeType.finished, 0, Buffer.alloc(12), 100)[0] as HandshakeFragment)).toBe('invalid');
    expect(r.add(fragmentsOf(HandshakeType.clientHello, 1, Buffer.from('hi'), 100)[0] as HandshakeFragment)).toBe('ok');
    expect(r.next()).toMatchObject({ msgType: HandshakeType.clientHello, messageSeq: 1 });
  });

  it('hashes messages in their unfragmented form and refuses malformed headers', () => {
    const whole = serializeHandshake(HandshakeType.finished, 4, Buffer.alloc(12, 1));
    expect(whole.readUIntBE(6, 3)).toBe(0);
    expect(whole.readUIntBE(9, 3)).toBe(12);
    expect(parseHandshakeFragments(whole.subarray(0, 20))).toBeUndefined();
    const lying = Buffer.from(whole);
    lying.writeUIntBE(5, 6, 3); // offset 5 + length 12 > total 12
    expect(parseHandshakeFragments(lying)).toBeUndefined();
  });
});
