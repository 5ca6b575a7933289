import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalHeaderName, cseq, frameStreamMessage, fromTag, getHeaderValues, isParseError, parseMessage,
  parseNameAddr, parseUri, parseVia, serializeMessage, topVia,
} from './index.js';
import type { HeaderField, SipMessage } from './index.js';

const root = join(import.meta.dirname, '../../../test/fixtures/sip');
const fixtures = ['valid', 'invalid'].flatMap((d) => readdirSync(join(root, d)).map((f) => readFileSync(join(root, d, f))));

/** Exercises every lazy reader on whatever came out; none may throw. */
function touch(result: SipMessage | ReturnType<typeof parseMessage>): void {
  // The try/catch in parseMessage is only a belt: reaching it means the parser threw.
  if (isParseError(result)) expect(result.reason).not.toBe('internal parser error');
  const msg = isParseError(result) ? result.request : result;
  if (msg === undefined) return;
  topVia(msg);
  cseq(msg);
  fromTag(msg);
  if (msg.type === 'request') parseUri(msg.uri);
  for (const h of msg.headers) {
    for (const v of getHeaderValues(msg, h.name)) {
      parseNameAddr(v);
      parseVia(v);
      parseUri(v);
    }
  }
  serializeMessage(msg);
}

describe('parser robustness (fast-check)', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const r = parseMessage(Buffer.from(bytes));
        touch(r);
        frameStreamMessage(Buffer.from(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mutations of the fixtures', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(',', ';', '"', '<', '>', ':', '\r\n', '\n', ' ', '\t', '\\', '%', '[', ']', '@', '=', '\0', '\r\n ', 'SIP/2.0') }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(mutation, { minLength: 1, maxLength: 8 }), (original, mutations) => {
        let b = Buffer.from(original);
        for (const m of mutations) {
          const at = b.length === 0 ? 0 : m.at % b.length;
          if (m.kind === 'flip') b[at] = m.byte;
          else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.text), b.subarray(at)]);
          else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
          else b = b.subarray(0, at);
        }
        touch(parseMessage(b));
        frameStreamMessage(b);
      }),
      { numRuns: 3000 },
    );
  });
});

// ---- generated valid messages ----
const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9\-.!%*_+`'~]{0,12}$/);
const hostName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z][a-z0-9-]{0,10}){0,3}$/),
  fc.ipV4(),
  fc.ipV6().map((a) => `[${a}]`),
);
const userPart = fc.stringMatching(/^([A-Za-z0-9\-_.!~*'()&=+$,?/]|%[0-9A-F]{2}){1,16}$/);
const uriParam = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), fc.option(fc.stringMatching(/^[A-Za-z0-9\-_.]{1,10}$/), { nil: undefined }));
const sipUri = fc
  .record({
    scheme: fc.constantFrom('sip', 'sips'),
    user: fc.option(userPart, { nil: undefined }),
    host: hostName,
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    params: fc.array(uriParam, { maxLength: 3 }),
  })
  .map((u) => `${u.scheme}:${u.user === undefined ? '' : `${u.user}@`}${u.host}${u.port === undefined ? '' : `:${u.port}`}${u.params.map(([k, v]) => (v === undefined ? `;${k}` : `;${k}=${v}`)).join('')}`);
const requestUri = fc.oneof(sipUri, fc.constant('tel:+15550100'), fc.constant('urn:service:sos'));
// Header text: printable ASCII and some UTF-8, no line breaks, no surrounding whitespace.
const headerValue = fc
  .string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), fc.constantFrom('é', 'ñ', '中', '😀', '\t')), maxLength: 60 })
  .map((s) => s.replace(/^[ \t]+|[ \t]+$/g, ''));
const CORE = new Set(['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Content-Length']);
const extraHeader = fc
  .record({ name: token, value: headerValue })
  .map((h) => ({ name: canonicalHeaderName(h.name), value: h.value }))
  .filter((h) => !CORE.has(h.name));

const generatedMessage: fc.Arbitrary<SipMessage> = fc
  .record({
    isRequest: fc.boolean(),
    method: token,
    uri: requestUri,
    status: fc.integer({ min: 100, max: 699 }),
    reason: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 30 }),
    viaHost: hostName,
    branch: fc.stringMatching(/^z9hG4bK[A-Za-z0-9]{1,12}$/),
    from: sipUri,
    to: sipUri,
    callId: fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}@]{1,30}$/),
    seq: fc.integer({ min: 0, max: 0x7fffffff }),
    extra: fc.array(extraHeader, { maxLength: 12 }),
    body: fc.uint8Array({ maxLength: 300 }),
  })
  .map((g) => {
    const headers: HeaderField[] = [
      { name: 'Via', value: `SIP/2.0/UDP ${g.viaHost};branch=${g.branch}` },
      { name: 'From', value: `<${g.from}>;tag=1` },
      { name: 'To', value: `<${g.to}>` },
      { name: 'Call-ID', value: g.callId },
      { name: 'CSeq', value: `${g.seq} ${g.method}` },
      ...g.extra,
    ];
    const base = { version: 'SIP/2.0', headers, body: Buffer.from(g.body) };
    return g.isRequest
      ? { type: 'request' as const, method: g.method, uri: g.uri, ...base }
      : { type: 'response' as const, status: g.status, reason: g.reason, ...base };
  });

function withoutLength(m: SipMessage): unknown {
  return { ...m, headers: m.headers.filter((h) => h.name !== 'Content-Length') };
}

describe('serialize/parse round trip (fast-check)', () => {
  it('parse(serialize(m)) equals m, and serializing again is byte-identical', () => {
    fc.assert(
      fc.property(generatedMessage, (m) => {
        const wire = serializeMessage(m);
        const parsed = parseMessage(wire);
        if (isParseError(parsed)) throw new Error(`${parsed.reason}\n${wire.toString()}`);
        expect(withoutLength(parsed)).toEqual(withoutLength(m));
        expect(serializeMessage(parsed).equals(wire)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });
});
