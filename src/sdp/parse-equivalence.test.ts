// Guards the single-pass attribute reader: parseSessionDescription must return what the
// sdp-transform based path returned (parse-reference.test-support.ts) for every input that path
// read, and reject what it rejected, with the same reason.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as sdpTransform from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { createAnswer } from './answer.js';
import type { LocalMediaCapabilities, LocalMediaOffer } from './local-media.js';
import { isSdpParseError } from './model.js';
import type { MediaSection, SdpParseError, SessionDescription } from './model.js';
import { createOffer } from './offer.js';
import { joinSdpLines, parseSessionDescription, sdpLines } from './parse.js';
import { referenceJoinSdpLines, referenceParseSessionDescription, referenceSdpLines } from './parse-reference.test-support.js';
import { SdpSessionVersion } from './version.js';

type Outcome = SessionDescription | SdpParseError | { readonly thrown: string };

function outcome(parse: (text: string) => SessionDescription | SdpParseError, text: string): Outcome {
  try {
    return parse(text);
  } catch (err) {
    return { thrown: err instanceof Error ? err.message : String(err) };
  }
}

const optString = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));
const optNumber = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));

/**
 * sdp-transform turns every value that reads back as the same number into a number, and leaves
 * non-canonical digits ('', '007') as text, whatever field they land in; the new reader gives
 * each field its declared type (text as written, numbers via Number). Identity on well-typed
 * descriptions, so applying it to the new parser's output checks that output's types too.
 */
function toDeclaredTypes(d: SessionDescription): SessionDescription {
  return {
    ...d,
    sessionName: String(d.sessionName),
    groups: d.groups.map((g) => ({ semantics: String(g.semantics), mids: g.mids })),
    media: d.media.map((m): MediaSection => ({
      ...m,
      codecs: m.codecs.map((c) => ({
        ...c, encodingName: String(c.encodingName), clockRate: Number(c.clockRate), channels: Number(c.channels), fmtp: optString(c.fmtp),
      })),
      telephoneEvents: m.telephoneEvents.map((t) => ({ pt: t.pt, clockRate: Number(t.clockRate) })),
      rtcp: m.rtcp && { port: Number(m.rtcp.port), address: optString(m.rtcp.address) },
      crypto: m.crypto.map((c) => ({
        tag: Number(c.tag), suite: String(c.suite), keyParams: String(c.keyParams), sessionParams: optString(c.sessionParams),
      })),
      ice: m.ice && {
        ...m.ice,
        options: optString(m.ice.options),
        candidates: m.ice.candidates.map((c) => ({
          foundation: c.foundation, component: Number(c.component), transport: String(c.transport), priority: Number(c.priority),
          address: String(c.address), port: Number(c.port), type: String(c.type), relatedAddress: optString(c.relatedAddress),
          relatedPort: optNumber(c.relatedPort), tcpType: optString(c.tcpType),
        })),
      },
      dtls: m.dtls && {
        ...m.dtls, fingerprint: { algorithm: String(m.dtls.fingerprint.algorithm), value: String(m.dtls.fingerprint.value) },
      },
      ssrcs: m.ssrcs.map((s) => ({ ssrc: s.ssrc, attribute: String(s.attribute), value: optString(s.value) })),
    })),
  };
}

/** The new parser's outcome is the reference's, exactly (same object shapes, same error reason). */
function expectSame(text: string): void {
  const before = outcome(referenceParseSessionDescription, text);
  const now = outcome(parseSessionDescription, text);
  expect(now).toStrictEqual(before);
}

/**
 * The property the rewrite keeps for every text: same reject decision and reason; where the
 * reference read the text, the same description up to declared types; where the reference threw
 * (our own code choking on a number sdp-transform made), a well-typed description instead.
 */
function expectEquivalent(text: string): void {
  const before = outcome(referenceParseSessionDescription, text);
  const now = outcome(parseSessionDescription, text);
  if ('thrown' in now) throw new Error(`new parser threw: ${now.thrown}`);
  if (!isSdpParseError(now)) expect(toDeclaredTypes(now)).toStrictEqual(now);
  if ('thrown' in before) return;
  if (isSdpParseError(before) || isSdpParseError(now)) expect(now).toStrictEqual(before);
  else expect(now).toStrictEqual(toDeclaredTypes(before));
}

const fixtureNames = readdirSync(new URL('./fixtures/', import.meta.url)).filter((n) => n.endsWith('.sdp')).sort();
const lfFixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

const HEAD = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n';
const phoneAnswer = (body: string): string =>
  `v=0\r\no=- 20095 20095 IN IP4 203.0.113.55\r\ns=SDP data\r\nc=IN IP4 203.0.113.55\r\nt=0 0\r\n${body}`;
const audio = (attrs: string): string => `${HEAD}m=audio 4000 RTP/AVP 0 8 96 101\r\n${attrs}`;
const webrtcAudio = (attrs: string): string =>
  `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n${attrs}`;

/** SDP bodies the other src/sdp tests feed the parser (inline texts, not the fixtures). */
function textsOfOtherTests(): string[] {
  const yealink = crlf(lfFixture('yealink-offer.sdp'));
  const sipp = crlf(lfFixture('sipp-offer.sdp'));
  const chromiumAnswer = crlf(lfFixture('chromium-answer.sdp'));
  return [
    `${HEAD}m=audio 4000 RTP/AVP 0 8 9 18\r\n`,
    `${HEAD}a=sendonly\r\nm=audio 4000 RTP/AVP 0\r\nm=audio 4002 RTP/AVP 0\r\na=inactive\r\n`,
    'v=0\no=- 1 1 IN IP6 2001:db8::1\ns=-\nc=IN IP6 2001:db8::1\nt=0 0\nm=audio 4000 RTP/AVP 0\nm=audio 4002 RTP/AVP 0\nc=IN IP4 10.0.0.9/127\n',
    '', 'hello world', 'o=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\n',
    'v=0\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n',
    'v=0\r\no=- abc 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n',
    ...['abc RTP/AVP 0', '70000 RTP/AVP 0', '4000 RTP/AVP', '4000 RTP/AVP PCMU', '4000 RTP/AVP 200']
      .map((m) => `v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio ${m}\r\n`),
    'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n',
    'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP9 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n',
    'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nthis is not sdp\r\nm=audio 4000 RTP/AVP 0\r\n',
    sdpTransform.write(sdpTransform.parse(crlf(lfFixture('video-phone-offer.sdp')))),
    sipp.replace('a=fmtp:101 0-11,16\r\n', 'a=fmtp:101 0-11,16\r\na=maxptime:20\r\n'),
    `${sipp}m=audio 6002 RTP/AVP 0\r\n`,
    `${HEAD}m=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\nm=audio 4002 RTP/AVP 8\r\n`,
    'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n',
    ...['sendonly', 'recvonly', 'inactive'].map((d) => yealink.replace('a=sendrecv', `a=${d}`)),
    'v=0\r\no=x 1 99 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n',
    new SdpSessionVersion('777', 5).stamp(yealink),
    phoneAnswer('m=audio 11800 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:30\r\n'),
    phoneAnswer('m=audio 11800 RTP/AVP 9\r\na=sendonly\r\n'),
    phoneAnswer('m=audio 11800 RTP/AVP 9\r\na=recvonly\r\n'),
    phoneAnswer('m=audio 0 RTP/AVP 9 0 8 101\r\n'),
    phoneAnswer('m=audio 11800 RTP/SAVP 9\r\na=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk\r\n'),
    phoneAnswer('m=audio 11800 RTP/AVP 9\r\nm=video 0 RTP/AVP 99\r\n'),
    phoneAnswer('m=video 11800 RTP/AVP 9\r\n'),
    phoneAnswer('m=audio eleven RTP/AVP 9\r\n'),
    phoneAnswer('m=audio 11800 RTP/AVP 9\r\nm=video 11802 RTP/AVP 99\r\na=rtpmap:99 H264/90000\r\na=recvonly\r\n'),
    chromiumAnswer.replace('a=setup:active', 'a=setup:actpass'),
    chromiumAnswer.replace(/a=fingerprint:[^\r]*\r\n/, ''),
    `${HEAD}m=video 40002 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 203.0.113.9\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\na=x-unknown:kept\r\na=recvonly\r\n`,
  ];
}

const plainOffer: LocalMediaOffer = {
  address: '203.0.113.5', port: 40000, codecs: [{ name: 'G722' }, { name: 'PCMU' }, { name: 'PCMA' }],
  telephoneEvent: { pt: 101 }, ptime: 20, transport: { profile: 'RTP/AVP' }, session: { id: '3912345678', version: 1 },
};
const ice = {
  ufrag: '1234', pwd: 'atendeicepasswordxxxxxxx', lite: true,
  candidates: [{ foundation: '1', component: 1, transport: 'udp', priority: 2130706431, address: '203.0.113.5', port: 40000, type: 'host' }],
};
const fingerprint = { algorithm: 'sha-256', value: '00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF' };
const webrtcOffer: LocalMediaOffer = {
  ...plainOffer, codecs: [{ name: 'opus', pt: 111, fmtp: 'minptime=10;useinbandfec=1' }, { name: 'PCMU' }],
  telephoneEvent: [{ pt: 110, clockRate: 48000 }, { pt: 101 }],
  transport: { profile: 'UDP/TLS/RTP/SAVPF', ice, fingerprint }, ssrc: { ssrc: 287454020, cname: 'atende' },
};
const answering: LocalMediaCapabilities = {
  address: '203.0.113.5', port: 40000, codecs: ['opus', 'G722', 'PCMU', 'PCMA'], session: { id: '1234', version: 1 },
  webrtc: { ice, fingerprint }, crypto: [{ suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: 'inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj' }],
};

/** What we write ourselves and read back (applyAnswer re-reads our offers). */
function ourOwnTexts(): string[] {
  const answers = fixtureNames.map((name) => {
    const offer = parseSessionDescription(crlf(lfFixture(name)));
    return isSdpParseError(offer) ? '' : createAnswer(offer, answering).sdp;
  });
  return [createOffer(plainOffer), createOffer(webrtcOffer), createOffer({ ...plainOffer, direction: 'sendonly' }), ...answers];
}

const ODD_CASES: Readonly<Record<string, string>> = {
  'LF-only line ends': audio('a=rtpmap:96 opus/48000/2\r\n').replace(/\r\n/g, '\n'),
  'CR-only line ends': audio('a=ptime:20\r\n').replace(/\r\n/g, '\r'),
  'mixed line ends': 'v=0\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\rc=IN IP4 10.0.0.1\r\nt=0 0\nm=audio 4000 RTP/AVP 0\r\na=sendonly\n',
  'trailing blank lines': `${audio('a=ptime:20\r\n')}\r\n\r\n  \r\n`,
  'no final line end': audio('a=ptime:20'),
  'attributes before and after c=': `${HEAD}m=audio 4000 RTP/AVP 0\r\na=ptime:30\r\nc=IN IP4 10.0.0.2\r\na=recvonly\r\n`,
  'session-level direction, fingerprint, setup, ICE inherited': 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n'
    + 'a=inactive\r\na=ice-lite\r\na=ice-ufrag:sess\r\na=ice-pwd:sessionpassword\r\na=ice-options:trickle renomination\r\n'
    + 'a=fingerprint:sha-1 00:11\r\na=setup:PASSIVE\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\n'
    + 'm=audio 9 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:media\r\na=setup:active\r\na=sendrecv\r\n',
  'rtpmap without channels, opus/48000/2, telephone-event': audio('a=rtpmap:96 opus/48000/2\r\na=rtpmap:101 telephone-event/8000\r\na=rtpmap:8 PCMA/8000\r\n'),
  'rtpmap without rate': audio('a=rtpmap:96 speex\r\na=rtpmap:101 telephone-event/8000/1\r\n'),
  'static payloads without rtpmap': `${HEAD}m=audio 4000 RTP/AVP 0 3 8 9 10 18 34 99\r\n`,
  'fmtp with spaces': audio('a=rtpmap:96 opus/48000/2\r\na=fmtp:96 minptime=10; useinbandfec=1 \r\na=fmtp:101 0-15,  16\r\n'),
  'crypto with session params': `${HEAD}m=audio 4000 RTP/SAVP 0\r\n`
    + 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32 KDR=1 UNENCRYPTED_SRTCP\r\n'
    + 'a=crypto:2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP\r\n',
  'ssrc with and without value': audio('a=ssrc:12345 cname:abc\r\na=ssrc:12345 mslabel\r\na=ssrc:4294967295 label:x:y z\r\n'),
  'group BUNDLE and LS': 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\na=group:BUNDLE a  v\r\na=group:LS 1\r\n'
    + 'm=audio 4000 RTP/AVP 0\r\na=mid:a\r\nm=video 4002 RTP/AVP 96\r\na=mid:v\r\n',
  'rtcp port with and without address': audio('a=rtcp:9 IN IP4 0.0.0.0\r\n') + 'm=audio 4002 RTP/AVP 0\r\na=rtcp:4003\r\n'
    + 'm=audio 4004 RTP/AVP 0\r\na=rtcp:53020 IN IP6 2001:db8::9\r\na=rtcp:53021\r\n',
  'numeric-only ice-ufrag, pwd, mid, foundation': webrtcAudio('a=ice-ufrag:1234\r\na=ice-pwd:0012345678901234567890\r\na=mid:0\r\n'
    + 'a=candidate:1 1 udp 2130706431 192.0.2.1 5000 typ host\r\na=fingerprint:sha-256 AA:BB\r\n'),
  'malformed attribute lines sdp-transform ignores': audio('a=rtpmap:abc PCMU/8000\r\na=fmtp:96\r\na=crypto:1 AES\r\n'
    + 'a=candidate:1 1 udp\r\na=fingerprint:sha-256\r\na=ssrc:abc\r\na=group:BUNDLE\r\na=SENDONLY\r\nA=sendonly\r\na=\r\na=:x\r\n'),
  'prefix matches of flag attributes': audio('a=sendrecvX\r\na=rtcp-mux-ish\r\na=end-of-candidatesZ\r\n'),
  'last value wins': audio('a=ptime:20\r\na=ptime:30\r\na=sendonly\r\na=recvonly\r\na=mid:x\r\na=mid:y\r\n'),
  'm=video section': `${HEAD}m=video 5006 RTP/AVP 99 100 34\r\na=rtpmap:99 H264/90000\r\na=rtpmap:100 VP8/90000/2\r\na=fmtp:99 packetization-mode=1\r\n`,
  'port 0 sections': `v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n`,
  'duplicate payload types on the m= line': audio('a=rtpmap:8 PCMA/8000\r\n').replace('RTP/AVP 0 8 96 101', 'RTP/AVP 8 08 8 0'),
  'session name with spaces and an empty one': audio('').replace('s=-', 's= SIP Call '),
  'no s= line': audio('').replace('s=-\r\n', ''),
};

describe('parseSessionDescription matches the sdp-transform path', () => {
  it.each(fixtureNames)('fixture %s, with CRLF and as stored (LF)', (name) => {
    const text = lfFixture(name);
    expect(isSdpParseError(parseSessionDescription(crlf(text)))).toBe(false);
    expectSame(crlf(text));
    expectSame(text);
  });

  it('every SDP text of the other src/sdp tests', () => {
    for (const text of textsOfOtherTests()) expectSame(text);
  });

  it('what createOffer and createAnswer write', () => {
    for (const text of ourOwnTexts()) expectSame(text);
  });

  it.each(Object.entries(ODD_CASES))('%s', (_name, text) => {
    expectSame(text);
  });

  it('splits and joins lines as before', () => {
    for (const text of [...Object.values(ODD_CASES), 'a\r\n\r\nb\n\n', '\r\n', 'x\u2028y\r\n  \t\r\n', '']) {
      expect(sdpLines(text)).toEqual(referenceSdpLines(text));
      expect(joinSdpLines(sdpLines(text))).toBe(referenceJoinSdpLines(referenceSdpLines(text)));
    }
  });
});

/** Values sdp-transform's number conversion and \S / \s handling treat differently. */
const knownToken = fc.constantFrom(
  '', '0', '1', '2', '007', '96', '101', '111', '8000', '48000', '1234', 'NaN', 'Infinity', '-1', '1.5', '20.0', '9007199254740993',
  'abc', 'udp', 'TCP', 'host', 'srflx', 'active', 'passive', 'actpass', 'ACTPASS', 'holdconn', 'sha-256', 'AB:CD', '0.0.0.0',
  '192.0.2.1', '::1', 'IN', 'IP4', 'x\ty', 'a\u00a0b', 'p\u2028q', 'inline:abc|2^20', 'opus', 'PCMU', 'telephone-event', 'BUNDLE',
  'cname:x', 'x:', ' ', 'trickle', '0-16',
);
const token = fc.oneof({ weight: 12, arbitrary: knownToken }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) });
const gap = fc.constantFrom(' ', ' ', ' ', ' ', '', '  ', '\t', '/', ':');
const pt = fc.constantFrom('0', '8', '96', '101', '111', '0', '8', '96', '101', '111', '08', '', 'x');
const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | ''> => fc.oneof(a, fc.constant('' as const));
const spaced = (parts: readonly string[]): string => parts.filter((p) => p !== '').map((p) => ` ${p}`).join('');
const line = (weight: number, arbitrary: fc.Arbitrary<string>): fc.WeightedArbitrary<string> => ({ weight, arbitrary });

const candidateLine = fc.tuple(token, fc.constantFrom('1', '2', '', '01'), token, fc.constantFrom('2122260223', '', '1'), token,
  fc.constantFrom('54321', '9', '', '070'), token,
  fc.array(fc.constantFrom('raddr', 'rport', 'tcptype', 'generation', 'network-id', 'network-cost', 'ufrag'), { maxLength: 5 }),
  fc.array(token, { minLength: 5, maxLength: 5 }))
  .map(([f, c, t, p, ip, port, typ, keys, values]) =>
    `a=candidate:${f} ${c} ${t} ${p} ${ip} ${port} typ ${typ}${keys.map((k, i) => ` ${k} ${values[i] ?? ''}`).join('')}`);

const attributeLine: fc.Arbitrary<string> = fc.oneof(
  line(4, fc.tuple(pt, fc.constantFrom('opus', 'PCMU', 'telephone-event', 'G722', '', 'x-y.z', '123'),
    opt(fc.tuple(fc.constantFrom('/', '/', ' /', '/ '), fc.constantFrom('8000', '48000', '', '08000', 'x')).map(([s, r]) => s + r)),
    opt(fc.tuple(fc.constantFrom('/', ' /'), token).map(([s, c]) => s + c)))
    .map(([p, name, rate, ch]) => `a=rtpmap:${p} ${name}${rate}${rate === '' ? '' : ch}`)),
  line(2, fc.tuple(pt, fc.constantFrom('0-16', 'minptime=10; useinbandfec=1', '16', '', 'a=b\tc=d', 'x|y z ')).map(([p, c]) => `a=fmtp:${p} ${c}`)),
  line(2, fc.tuple(fc.constantFrom('ptime', 'maxptime'), fc.constantFrom('20', '30', '0', '20.0', '20.5', '', '020', '1.2.3', '60ms', ' 20'))
    .map(([n, v]) => `a=${n}:${v}`)),
  line(3, fc.constantFrom('a=sendrecv', 'a=sendonly', 'a=recvonly', 'a=inactive', 'a=sendonlyX', 'a=Inactive', 'a=rtcp-mux', 'a=rtcp-muxed',
    'a=rtcp-rsize', 'a=ice-lite', 'a=ice-lite:x', 'a=end-of-candidates', 'a=end-of-candidates-x', 'a=bundle-only', 'a=x-foo:1')),
  line(2, fc.tuple(token, opt(fc.tuple(fc.constantFrom('IN', 'ATM', ''), fc.constantFrom('IP4', 'IP6', 'IP', 'IP44'), token)
    .map(([n, v, a]) => ` ${n} ${v} ${a}`))).map(([p, rest]) => `a=rtcp:${p}${rest}`)),
  line(2, fc.tuple(token, token, token, opt(token), opt(token)).map(([tag, suite, key, s1, s2]) => `a=crypto:${tag} ${suite} ${key}${spaced([s1, s2])}`)),
  line(6, fc.tuple(fc.constantFrom('ice-ufrag', 'ice-pwd', 'ice-ufrag', 'ice-pwd', 'ice-options', 'setup', 'mid'), token, opt(token))
    .map(([n, v, more]) => `a=${n}:${v}${spaced([more])}`)),
  line(2, fc.tuple(token, token).map(([alg, hash]) => `a=fingerprint:${alg} ${hash}`)),
  line(5, candidateLine),
  line(2, fc.tuple(token, fc.constantFrom('cname', 'msid', 'mslabel', '', 'a_b-c', '1'), opt(token))
    .map(([id, attr, v]) => `a=ssrc:${id} ${attr}${v === '' ? '' : `:${v}`}`)),
  line(1, fc.tuple(token, fc.array(token, { maxLength: 3 })).map(([sem, mids]) => `a=group:${sem} ${mids.join(' ')}`)),
  // Free form: a name sdp-transform knows followed by tokens and odd separators.
  line(3, fc.tuple(fc.constantFrom('rtpmap:', 'fmtp:', 'rtcp:', 'crypto:', 'candidate:', 'fingerprint:', 'ssrc:', 'group:', 'setup:',
    'ice-ufrag:', 'ptime:', 'mid:', 'rtcp-fb:', 'extmap:', 'ssrc-group:', 'msid:', 'sendrecv', 'x-'),
  fc.array(fc.tuple(token, gap), { maxLength: 10 }))
    .map(([name, parts]) => `a=${name}${parts.map(([t, g]) => t + g).join('')}`)),
);

const otherLine = fc.oneof(
  line(8, fc.constantFrom('c=IN IP4 10.0.0.2', 'c=IN IP6 ::', 'c=IN IP4 0.0.0.0/127', 'b=AS:64', 'A=sendonly', 'k=clear:x', 'i=info',
    's=late name', 'o=late 1 1 IN IP4 1.1.1.1', 'x=1')),
  line(1, fc.constantFrom('c=IN IP9 x', 'garbage', '', ' ')),
);
const sectionLine = fc.oneof(line(12, attributeLine), line(1, otherLine));
const mLine = fc.tuple(fc.constantFrom('audio', 'audio', 'video', 'application', 'image'),
  fc.oneof(line(12, fc.constantFrom('0', '9', '4000', '4000')), line(1, fc.constantFrom('70000', 'x'))),
  fc.constantFrom('RTP/AVP', 'UDP/TLS/RTP/SAVPF', 'RTP/SAVP', 'udptl', 'TCP/BFCP'),
  fc.subarray(['0', '8', '96', '101', '111', '08', '8']), fc.oneof(line(12, fc.constant('')), line(1, fc.constantFrom(' *', ' t38'))))
  .map(([media, port, proto, formats, odd]) => `m=${media} ${port} ${proto}${spaced(formats)}${odd}`);
const section = fc.tuple(mLine, fc.boolean(), fc.array(sectionLine, { maxLength: 14 }))
  .map(([m, withC, lines]) => [m, ...(withC ? ['c=IN IP4 192.0.2.9'] : []), ...lines]);
const sdpText = fc.record({
  origin: fc.oneof(line(9, fc.constantFrom('o=- 1 1 IN IP4 10.0.0.1', 'o=- 0 0 IN IP6 ::1')), line(1, fc.constant('o=x 1 2'))),
  name: fc.oneof(token.map((t) => `s=${t}`), fc.constant('s=-')),
  sessionC: fc.oneof(line(9, fc.constantFrom('', 'c=IN IP4 10.0.0.1', 'c=IN IP4 10.0.0.1')), line(1, fc.constant('c=IN IP4 bad/'))),
  sessionLines: fc.array(sectionLine, { maxLength: 8 }),
  sections: fc.array(section, { maxLength: 3 }),
  eol: fc.constantFrom('\r\n', '\r\n', '\n', '\r'),
  tail: fc.constantFrom('', '\r\n', '\r\n', '\r\n\r\n', '\n \n'),
}).map((s) => [
  'v=0', s.origin, s.name, ...(s.sessionC === '' ? [] : [s.sessionC]), 't=0 0', ...s.sessionLines, ...s.sections.flat(),
].join(s.eol) + s.tail);

describe('parseSessionDescription on random SDP (fast-check)', () => {
  it('agrees with the sdp-transform path on reject decisions and descriptions', () => {
    fc.assert(fc.property(sdpText, (text) => expectEquivalent(text)), { numRuns: 4000 });
  });

  it('agrees on random lines around a real offer', () => {
    const base = sdpLines(lfFixture('chromium-candidates-offer.sdp'));
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(base.length), sectionLine), { maxLength: 6 }), (inserts) => {
      const lines = [...base];
      for (const [at, line] of inserts) lines.splice(Math.min(at, lines.length), 0, line);
      expectEquivalent(joinSdpLines(lines));
    }), { numRuns: 1000 });
  });
});

describe('where the sdp-transform path gave the wrong type or threw', () => {
  const section = (text: string): MediaSection => {
    const d = parseSessionDescription(text);
    if (isSdpParseError(d)) throw new Error(d.reason);
    return d.media[0]!;
  };
  const sectionBefore = (text: string): MediaSection => (referenceParseSessionDescription(text) as SessionDescription).media[0]!;

  it('keeps digit-only text as text (s=, a=group, a=ice-options, a=fingerprint, a=candidate, a=crypto, a=ssrc, a=rtcp address)', () => {
    const text = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=1234\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\na=group:1 a\r\n'
      + 'm=audio 4000 RTP/SAVP 0\r\na=ice-ufrag:u\r\na=ice-pwd:p\r\na=ice-options:2\r\na=fingerprint:sha-256 1234\r\n'
      + 'a=candidate:1 1 1 2 1 5000 typ 1 raddr 2 rport 3\r\na=crypto:1 1 2 3\r\na=ssrc:1 cname:42\r\na=rtcp:9 IN IP4 0\r\n';
    const before = referenceParseSessionDescription(text) as SessionDescription;
    const now = parseSessionDescription(text) as SessionDescription;
    expect([before.sessionName, before.groups[0]!.semantics]).toStrictEqual([1234, 1]);
    expect([now.sessionName, now.groups[0]!.semantics]).toStrictEqual(['1234', '1']);
    const [b, n] = [before.media[0]!, now.media[0]!];
    expect([b.ice!.options, b.dtls!.fingerprint.value, b.ice!.candidates[0]!.address, b.crypto[0]!.keyParams, b.ssrcs[0]!.value, b.rtcp!.address])
      .toStrictEqual([2, 1234, 1, 2, 42, 0]);
    expect([n.ice!.options, n.dtls!.fingerprint.value, n.ice!.candidates[0]!.address, n.crypto[0]!.keyParams, n.ssrcs[0]!.value, n.rtcp!.address])
      .toStrictEqual(['2', '1234', '1', '2', '42', '0']);
    expect(n.ice!.candidates[0]).toStrictEqual({
      foundation: '1', component: 1, transport: '1', priority: 2, address: '1', port: 5000, type: '1',
      relatedAddress: '2', relatedPort: 3, tcpType: undefined,
    });
  });

  it('reads numbers written with leading zeros or no digits as Number() of the text', () => {
    const text = `${HEAD}m=audio 4000 RTP/SAVP 96 97\r\na=rtpmap:96 foo/08000/02\r\na=rtpmap:97 bar/\r\na=rtcp:\r\n`
      + 'a=crypto:01 AES_CM_128_HMAC_SHA1_80 inline:x\r\na=ice-ufrag:u\r\na=ice-pwd:p\r\na=candidate:1 01 udp 020 192.0.2.1 5000 typ srflx raddr 10.0.0.1 rport \r\n';
    const [b, n] = [sectionBefore(text), section(text)];
    expect(b.codecs.map((c) => [c.clockRate, c.channels])).toStrictEqual([['08000', '02'], ['', 1]]);
    expect(n.codecs.map((c) => [c.clockRate, c.channels])).toStrictEqual([[8000, 2], [0, 1]]);
    expect([b.rtcp!.port, b.crypto[0]!.tag]).toStrictEqual(['', '01']);
    expect([n.rtcp!.port, n.crypto[0]!.tag]).toStrictEqual([0, 1]);
    const [bc, nc] = [b.ice!.candidates[0]!, n.ice!.candidates[0]!];
    expect([bc.component, bc.priority, bc.relatedPort]).toStrictEqual(['01', '020', '']);
    expect([nc.component, nc.priority, nc.relatedPort]).toStrictEqual([1, 20, 0]);
    expect(section(audio('a=rtpmap:96 opus/48000/x\r\n')).codecs.find((c) => c.pt === 96)!.channels).toBeNaN();
  });

  it.each([
    ['a digit-only a=setup', `${HEAD}m=audio 4000 RTP/AVP 0\r\na=fingerprint:sha-256 AA\r\na=setup:1\r\n`,
      { dtls: { fingerprint: { algorithm: 'sha-256', value: 'AA' }, setup: 'active' } }],
    ['a digit-only encoding name', `${HEAD}m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 123/8000\r\n`,
      { codecs: [{ pt: 96, encodingName: '123', clockRate: 8000 }], telephoneEvents: [] }],
    ['a digit-only a=fmtp value', `${HEAD}m=audio 4000 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 16\r\n`,
      { codecs: [{ pt: 101, fmtp: '16', fmtpParams: { 16: '' } }], telephoneEvents: [{ pt: 101, clockRate: 8000 }] }],
  ])('reads %s, where the sdp-transform path threw', (_name, text, expected) => {
    expect(() => referenceParseSessionDescription(text)).toThrow(TypeError);
    expect(section(text)).toMatchObject(expected);
  });
});
