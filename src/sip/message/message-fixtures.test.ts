import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  callId, cseq, fromTag, getHeader, getHeaderValues, isParseError, parseMessage, parseNameAddr,
  parseUri, serializeMessage, toTag, topVia,
} from './index.js';
import type { SipMessage } from './index.js';

const root = join(import.meta.dirname, '../../../test/fixtures/sip');

interface Expected {
  ok: boolean;
  respondable?: boolean;
  status?: number;
  type?: 'request' | 'response';
  method?: string;
  reason?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  bodyLength?: number;
  cseq?: { seq: number; method: string };
  topVia?: { transport: string; host: string; port?: number; branch: string };
  fromTag?: string;
  toTag?: string;
  viaCount?: number;
  requestUriUser?: string;
  requestUriHost?: string;
  requestUriScheme?: string;
  fromDisplayName?: string;
  toDisplayName?: string;
  lfOnly?: boolean;
}

const expected = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Record<string, Expected>;

function checkValid(msg: SipMessage, exp: Expected): void {
  expect(msg.type).toBe(exp.type);
  if (msg.type === 'request') {
    expect(msg.method).toBe(exp.method);
    const uri = parseUri(msg.uri);
    expect(isParseError(uri)).toBe(false);
    if (exp.requestUriScheme !== undefined) expect(uri).toMatchObject({ scheme: exp.requestUriScheme });
    if (exp.requestUriUser !== undefined) expect(uri).toMatchObject({ user: exp.requestUriUser });
    if (exp.requestUriHost !== undefined) expect(uri).toMatchObject({ host: exp.requestUriHost });
  } else {
    if (exp.status !== undefined) expect(msg.status).toBe(exp.status);
    if (exp.reason !== undefined) expect(msg.reason).toBe(exp.reason);
  }
  for (const [name, want] of Object.entries(exp.headers ?? {})) {
    if (Array.isArray(want)) expect(getHeaderValues(msg, name)).toEqual(want);
    else expect(getHeader(msg, name)).toBe(want);
  }
  if (exp.body !== undefined) expect(msg.body.toString('utf8')).toBe(exp.body);
  if (exp.bodyLength !== undefined) expect(msg.body.length).toBe(exp.bodyLength);
  if (exp.cseq !== undefined) expect(cseq(msg)).toEqual(exp.cseq);
  if (exp.topVia !== undefined) {
    const v = topVia(msg);
    expect(v).toMatchObject({ transport: exp.topVia.transport, host: exp.topVia.host });
    expect(v?.params['branch']).toBe(exp.topVia.branch);
    if (exp.topVia.port !== undefined) expect(v?.port).toBe(exp.topVia.port);
  }
  if (exp.fromTag !== undefined) expect(fromTag(msg)).toBe(exp.fromTag);
  if (exp.toTag !== undefined) expect(toTag(msg)).toBe(exp.toTag);
  if (exp.viaCount !== undefined) expect(getHeaderValues(msg, 'Via')).toHaveLength(exp.viaCount);
  for (const [header, want] of [['From', exp.fromDisplayName], ['To', exp.toDisplayName]] as const) {
    if (want === undefined) continue;
    const na = parseNameAddr(getHeader(msg, header) ?? '');
    expect(na).toMatchObject({ displayName: want });
  }
  expect(callId(msg)).toBeTruthy();
  // What we accept we can write, and what we write reads back the same.
  const wire = serializeMessage(msg);
  const again = parseMessage(wire);
  expect(isParseError(again)).toBe(false);
  expect(serializeMessage(again as SipMessage).equals(wire)).toBe(true);
}

describe('SIP fixtures (test/fixtures/sip)', () => {
  it('expected.json lists exactly the fixture files', () => {
    const onDisk = ['valid', 'invalid'].flatMap((d) => readdirSync(join(root, d)).map((f) => `${d}/${f}`)).sort();
    expect(Object.keys(expected).sort()).toEqual(onDisk);
  });

  for (const [file, exp] of Object.entries(expected)) {
    it(`${file} -> ${exp.ok ? 'parses' : `rejected${exp.respondable ? ` (answer ${exp.status})` : ' (drop)'}`}`, () => {
      const bytes = readFileSync(join(root, file));
      if (!exp.lfOnly && !file.includes('bare-cr')) {
        // Byte-exact CRLF files: every LF in the header section follows a CR.
        const head = bytes.subarray(0, Math.max(0, bytes.indexOf('\r\n\r\n')));
        for (let i = 0; i < head.length; i++) if (head[i] === 0x0a) expect(head[i - 1]).toBe(0x0d);
        expect(bytes.includes('\r\n')).toBe(true);
      }
      const result = parseMessage(bytes);
      if (exp.ok) {
        if (isParseError(result)) throw new Error(`unexpected parse error: ${result.reason}`);
        checkValid(result, exp);
        return;
      }
      expect(isParseError(result)).toBe(true);
      if (!isParseError(result)) return;
      expect(result.request !== undefined).toBe(exp.respondable);
      expect(result.versionNotSupported === true).toBe(exp.status === 505);
      if (result.request !== undefined) {
        expect(result.request.body.length).toBe(0);
        expect(topVia(result.request)).toBeDefined();
        expect(cseq(result.request)).toBeDefined();
        expect(callId(result.request)).toBeTruthy();
      }
    });
  }
});
