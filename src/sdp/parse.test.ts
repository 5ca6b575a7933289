import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as sdpTransform from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { isSdpParseError } from './model.js';
import type { SessionDescription } from './model.js';
import { parseSessionDescription } from './parse.js';

/** Fixtures are stored with LF; SDP travels with CRLF. */
function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').replace(/\r?\n/g, '\r\n');
}

function parsed(name: string): SessionDescription {
  const d = parseSessionDescription(fixture(name));
  if (isSdpParseError(d)) throw new Error(`${name}: ${d.reason}`);
  return d;
}

describe('parseSessionDescription', () => {
  it('reads a Chromium WebRTC offer: origin, BUNDLE, ICE, DTLS, codecs, telephone-events, ssrc', () => {
    const d = parsed('chromium-offer.sdp');
    // A session id past 2^53 survives as text.
    expect(d.origin).toMatchObject({ username: '-', sessionId: '4611731400430051336', sessionVersion: '2', address: '127.0.0.1' });
    expect(d.groups).toEqual([{ semantics: 'BUNDLE', mids: ['0', '1'] }]);
    expect(d.media.map((m) => m.kind)).toEqual(['audio', 'video']);
    const audio = d.media[0]!;
    expect(audio).toMatchObject({ port: 54321, proto: 'UDP/TLS/RTP/SAVPF', mid: '0', rtcpMux: true, direction: 'sendrecv' });
    expect(audio.formats).toEqual(['111', '63', '9', '0', '8', '13', '110', '126']);
    expect(audio.connection).toEqual({ addressType: 'IP4', address: '192.0.2.10' });
    expect(audio.rtcp).toEqual({ port: 9, address: '0.0.0.0' });
    const opus = audio.codecs.find((c) => c.pt === 111)!;
    expect(opus).toMatchObject({ encodingName: 'opus', clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' });
    expect(opus.fmtpParams).toEqual({ minptime: '10', useinbandfec: '1' });
    expect(audio.codecs.find((c) => c.pt === 9)).toMatchObject({ encodingName: 'G722', clockRate: 8000, channels: 1 });
    expect(audio.telephoneEvents).toEqual([{ pt: 110, clockRate: 48000 }, { pt: 126, clockRate: 8000 }]);
    expect(audio.ice).toMatchObject({ ufrag: 'EsAw', pwd: 'bP+XJMM09aR8AiX1jdukzR6Y', lite: false, options: 'trickle', endOfCandidates: false });
    expect(audio.ice!.candidates).toHaveLength(2);
    expect(audio.ice!.candidates[0]).toMatchObject({ foundation: '1467250027', component: 1, transport: 'udp', priority: 2122260223, address: '192.0.2.10', port: 54321, type: 'host' });
    expect(audio.ice!.candidates[1]!.tcpType).toBe('active');
    expect(audio.dtls).toEqual({ fingerprint: { algorithm: 'sha-256', value: expect.stringMatching(/^DA:39:A3/) as unknown }, setup: 'actpass' });
    expect(audio.ssrcs).toContainEqual({ ssrc: 3735928559, attribute: 'cname', value: 'Qx3yKjz0XyqH2j8a' });
    expect(audio.raw.startsWith('m=audio 54321 UDP/TLS/RTP/SAVPF')).toBe(true);
    expect(audio.raw.endsWith('msid:6d2b8a4e-0c1c-4a4e-9ad6-4c1f3b2f7e10 3c0f7d8e-5b1a-4f2e-8d3c-9a1b2c3d4e5f\r\n')).toBe(true);
    expect(d.media[1]!.raw.startsWith('m=video 54321')).toBe(true);
    expect(d.media[1]!.codecs.map((c) => c.encodingName)).toEqual(['VP8', 'rtx', 'H264', 'rtx']);
  });

  it('reads a baresip offer with session-level c= and a=ptime', () => {
    const audio = parsed('baresip-offer.sdp').media[0]!;
    expect(audio.connection?.address).toBe('198.51.100.20');
    expect(audio.ptime).toBe(20);
    expect(audio.telephoneEvents).toEqual([{ pt: 101, clockRate: 8000 }]);
    expect(audio.codecs.find((c) => c.pt === 101)!.fmtpParams).toEqual({ '0-15': '' });
    expect(audio.rtcpMux).toBe(false);
    expect(audio.ice).toBeUndefined();
    expect(audio.dtls).toBeUndefined();
  });

  it('knows static payload types without a=rtpmap', () => {
    const d = parseSessionDescription('v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8 9 18\r\n');
    if (isSdpParseError(d)) throw new Error(d.reason);
    expect(d.media[0]!.codecs.map((c) => `${c.pt}:${c.encodingName}/${c.clockRate}`)).toEqual(['0:PCMU/8000', '8:PCMA/8000', '9:G722/8000', '18:G729/8000']);
    expect(d.media[0]!.direction).toBe('sendrecv');
  });

  it('reads Grandstream ptime and maxptime, SDES crypto lines', () => {
    const gs = parsed('grandstream-offer.sdp').media[0]!;
    expect([gs.ptime, gs.maxptime]).toEqual([30, 60]);
    const sdes = parsed('sdes-offer.sdp').media[0]!;
    expect(sdes.proto).toBe('RTP/SAVP');
    expect(sdes.crypto).toEqual([
      { tag: 1, suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: 'inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^31', sessionParams: undefined },
      { tag: 2, suite: 'AES_CM_128_HMAC_SHA1_32', keyParams: 'inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^31', sessionParams: undefined },
    ]);
  });

  it('inherits a session-level direction and lets the media level override it', () => {
    const text = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\na=sendonly\r\n'
      + 'm=audio 4000 RTP/AVP 0\r\nm=audio 4002 RTP/AVP 0\r\na=inactive\r\n';
    const d = parseSessionDescription(text);
    if (isSdpParseError(d)) throw new Error(d.reason);
    expect(d.direction).toBe('sendonly');
    expect(d.media.map((m) => m.direction)).toEqual(['sendonly', 'inactive']);
  });

  it('lets a media-level c= override the session one, and accepts LF-only bodies', () => {
    const text = 'v=0\no=- 1 1 IN IP6 2001:db8::1\ns=-\nc=IN IP6 2001:db8::1\nt=0 0\nm=audio 4000 RTP/AVP 0\nm=audio 4002 RTP/AVP 0\nc=IN IP4 10.0.0.9/127\n';
    const d = parseSessionDescription(text);
    if (isSdpParseError(d)) throw new Error(d.reason);
    expect(d.media[0]!.connection).toEqual({ addressType: 'IP6', address: '2001:db8::1' });
    expect(d.media[1]!.connection).toEqual({ addressType: 'IP4', address: '10.0.0.9' });
    expect(d.media[1]!.raw).toBe('m=audio 4002 RTP/AVP 0\r\nc=IN IP4 10.0.0.9/127\r\n');
  });

  it('reads non-RTP sections (BFCP, T.38 disabled) as application/other without codecs', () => {
    const d = parsed('unknown-application-offer.sdp');
    expect(d.media.map((m) => [m.kind, m.media, m.port, m.proto, m.formats.join(' ')])).toEqual([
      ['audio', 'audio', 49170, 'RTP/AVP', '0 8 101'],
      ['application', 'application', 49180, 'TCP/BFCP', '*'],
      ['other', 'image', 0, 'udptl', 't38'],
    ]);
    expect(d.media[1]!.codecs).toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['not SDP', 'hello world'],
    ['no v=0', 'o=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\n'],
    ['no o=', 'v=0\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n'],
    ['bad o=', 'v=0\r\no=- abc 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n'],
    ['bad m= port', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio abc RTP/AVP 0\r\n'],
    ['port out of range', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n'],
    ['m= without formats', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP\r\n'],
    ['RTP format not a number', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP PCMU\r\n'],
    ['payload type over 127', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 200\r\n'],
    ['no c= for an active section', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n'],
    ['malformed c=', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP9 1.2.3.4\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n'],
    ['garbage line', 'v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nthis is not sdp\r\nm=audio 4000 RTP/AVP 0\r\n'],
  ])('returns an error, without throwing, for %s', (_name, text) => {
    const d = parseSessionDescription(text);
    expect(isSdpParseError(d)).toBe(true);
  });

  it('never throws on arbitrary input', () => {
    const base = fixture('chromium-offer.sdp');
    for (let cut = 0; cut < base.length; cut += 37) {
      const mangled = base.slice(0, cut) + '\u0000=:%' + base.slice(cut + 5);
      expect(() => parseSessionDescription(mangled)).not.toThrow();
    }
    expect(isSdpParseError(parseSessionDescription(undefined as unknown as string))).toBe(true);
  });

  it('never throws on random lines made of SDP pieces (fast-check)', () => {
    const piece = fc.constantFrom('v=0', 'o=- 1 1 IN IP4 1.2.3.4', 'c=IN IP4 1.2.3.4', 'm=audio 4000 RTP/AVP 0 101', 'm=video 0 RTP/AVP 99',
      'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=rtpmap:', 'a=candidate:1 1 udp', 'a=crypto:x', 'a=fingerprint:',
      'a=ssrc:abc', 'a=group:BUNDLE', 'a=ptime:-5', 'a=rtcp:x', 'm=audio 1 x', 'c=IN IP4', 'a=setup:bogus');
    fc.assert(fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 30 }), fc.boolean(), (lines, withHeader) => {
      const text = (withHeader ? ['v=0', 'o=- 1 1 IN IP4 1.2.3.4', 's=-', 't=0 0', ...lines] : lines).join('\r\n');
      const d = parseSessionDescription(text);
      if (!isSdpParseError(d)) for (const m of d.media) expect(m.raw.startsWith('m=')).toBe(true);
    }), { numRuns: 500 });
  });

  it('round-trips through sdp-transform keeping attributes it does not understand', () => {
    const text = fixture('video-phone-offer.sdp');
    const again = sdpTransform.write(sdpTransform.parse(text));
    expect(again).toContain('a=x-gs-video-flags:dual-stream 1');
    expect(again).toContain('a=content:main');
    const d = parseSessionDescription(again);
    if (isSdpParseError(d)) throw new Error(d.reason);
    expect(d.media[1]!.raw).toContain('a=x-gs-video-flags:dual-stream 1');
    expect(d.media[1]!.codecs.map((c) => c.fmtpParams['packetization-mode'])).toEqual(['1', '0']);
  });
});
