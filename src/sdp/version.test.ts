import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAnswer } from './answer.js';
import { isSdpParseError } from './model.js';
import type { SessionDescription } from './model.js';
import { parseSessionDescription } from './parse.js';
import { SdpSessionVersion } from './version.js';

function parse(text: string): SessionDescription {
  const d = parseSessionDescription(text);
  if (isSdpParseError(d)) throw new Error(d.reason);
  return d;
}

const yealink = readFileSync(new URL('./fixtures/yealink-offer.sdp', import.meta.url), 'utf8');
const held = readFileSync(new URL('./fixtures/hold-sendonly-offer.sdp', import.meta.url), 'utf8');

describe('SdpSessionVersion', () => {
  it('stamps o= with our id and username, keeping the version for identical content', () => {
    const v = new SdpSessionVersion('1000', 3, 'atende');
    const sdp = 'v=0\r\no=x 1 99 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
    expect(v.stamp(sdp)).toContain('o=atende 1000 3 IN IP4 10.0.0.1\r\n');
    expect(v.stamp(sdp)).toContain('o=atende 1000 3 ');
    expect(v.stamp(sdp.replace('4000', '4002'))).toContain('o=atende 1000 4 ');
    expect(v.version).toBe('4');
  });

  it('counts past 2^53 without losing precision', () => {
    const v = new SdpSessionVersion('1', 2n ** 60n);
    v.stamp('v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=a\r\n');
    expect(v.stamp('v=0\r\no=- 1 1 IN IP4 1.1.1.1\r\ns=b\r\n')).toContain(`o=- 1 ${(2n ** 60n + 1n).toString()} `);
  });

  it('answers to re-INVITEs bump the version only when the answer changes (hold, then unhold)', () => {
    const v = new SdpSessionVersion('555');
    const local = { address: '203.0.113.5', port: 40000, codecs: ['G722' as const], session: v };
    const versions = [yealink, yealink, held, yealink].map((offer) => parse(createAnswer(parse(offer), local).sdp).origin.sessionVersion);
    expect(versions).toEqual(['0', '0', '1', '2']);
  });

  it('rejects a non-numeric session id', () => {
    expect(() => new SdpSessionVersion('abc')).toThrow(RangeError);
  });
});
