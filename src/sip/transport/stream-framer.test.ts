import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findContentLength, StreamFramer, type StreamFrame } from './stream-framer.js';

function message(body = '', extra = ''): string {
  return (
    'OPTIONS sip:a@example.com SIP/2.0\r\n' +
    'Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1\r\n' +
    extra +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
    body
  );
}

function messages(frames: StreamFrame[]): string[] {
  return frames.flatMap((f) => (f.type === 'message' ? [f.data.toString()] : []));
}

describe('StreamFramer', () => {
  it('joins a message split across chunks, byte by byte', () => {
    const framer = new StreamFramer();
    const text = message('hello body');
    const out: StreamFrame[] = [];
    for (const byte of Buffer.from(text)) out.push(...framer.push(Buffer.from([byte])));
    expect(messages(out)).toEqual([text]);
    expect(framer.buffered).toBe(0);
  });

  it('splits several messages in one chunk, keeping a trailing partial one', () => {
    const framer = new StreamFramer();
    const a = message('one');
    const b = message('', 'Subject: two\r\n');
    const c = message('three');
    const out = framer.push(Buffer.from(a + b + c.slice(0, 20)));
    expect(messages(out)).toEqual([a, b]);
    expect(messages(framer.push(Buffer.from(c.slice(20))))).toEqual([c]);
  });

  it('counts the body in bytes, not characters', () => {
    const framer = new StreamFramer();
    const text = message('ação');
    expect(messages(framer.push(Buffer.from(text)))).toEqual([text]);
  });

  it('answers a double-CRLF ping, skips stray CRLFs, and waits on an ambiguous CRLF', () => {
    const framer = new StreamFramer();
    expect(framer.push(Buffer.from('\r\n\r\n'))).toEqual([{ type: 'ping' }]);
    expect(framer.push(Buffer.from('\r\n'))).toEqual([]);
    expect(framer.push(Buffer.from('\r\n'))).toEqual([{ type: 'ping' }]);
    const text = message();
    const out = framer.push(Buffer.from('\r\n' + text));
    expect(out.map((f) => f.type)).toEqual(['message']);
    expect(messages(out)).toEqual([text]);
  });

  it('fails on a missing Content-Length and hands back the header block', () => {
    const framer = new StreamFramer();
    const out = framer.push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKx\r\n\r\nrest'));
    expect(out).toHaveLength(1);
    const frame = out[0]!;
    expect(frame.type).toBe('error');
    if (frame.type !== 'error') return;
    expect(frame.reason).toMatch(/Content-Length/);
    expect(frame.head?.toString()).toBe('OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKx\r\n\r\n');
    // Dead after an error: nothing more comes out.
    expect(framer.push(Buffer.from(message()))).toEqual([]);
  });

  it('fails on a message over the size limit before the body arrives', () => {
    const framer = new StreamFramer({ maxMessageBytes: 200 });
    const out = framer.push(Buffer.from(message().replace('Content-Length: 0', 'Content-Length: 5000')));
    expect(out.map((f) => f.type)).toEqual(['error']);
    expect(out[0]?.type === 'error' && out[0].reason).toBe('Message too large');
  });

  it('fails on an endless header block', () => {
    const framer = new StreamFramer({ maxHeaderBytes: 100 });
    const out = framer.push(Buffer.from('X'.repeat(150)));
    expect(out.map((f) => f.type)).toEqual(['error']);
  });

  it('accepts the compact form and rejects conflicting or malformed lengths', () => {
    expect(findContentLength(Buffer.from('INVITE x SIP/2.0\r\nl: 12'))).toEqual({ ok: true, value: 12 });
    expect(findContentLength(Buffer.from('INVITE x SIP/2.0\r\nContent-Length : 3\r\nl: 4')).ok).toBe(false);
    expect(findContentLength(Buffer.from('INVITE x SIP/2.0\r\nContent-Length: -3')).ok).toBe(false);
    expect(findContentLength(Buffer.from('INVITE x SIP/2.0\r\nContent-Length: 3\r\nContent-Length: 3'))).toEqual({
      ok: true,
      value: 3,
    });
  });
});

describe('StreamFramer properties', () => {
  const bodyArb = fc.string({ maxLength: 60 });

  it('yields the same messages and pings however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(bodyArb.map((b) => message(b)), fc.constant('\r\n\r\n')), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (parts, cuts) => {
          const stream = Buffer.from(parts.join(''));
          const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const framer = new StreamFramer();
          const out: StreamFrame[] = [];
          let from = 0;
          for (const p of [...points, stream.length]) {
            out.push(...framer.push(stream.subarray(from, p)));
            from = p;
          }
          expect(out.map((f) => (f.type === 'message' ? f.data.toString() : f.type))).toEqual(
            parts.map((p) => (p === '\r\n\r\n' ? 'ping' : p)),
          );
        },
      ),
    );
  });

  it('never throws on random bytes and never holds more than the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (chunks) => {
        const framer = new StreamFramer({ maxMessageBytes: 512, maxHeaderBytes: 256 });
        for (const c of chunks) {
          framer.push(Buffer.from(c));
          expect(framer.buffered).toBeLessThanOrEqual(512 + 300);
        }
      }),
    );
  });
});
