import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAnswer } from './answer.js';
import type { LocalMediaCapabilities } from './local-media.js';
import { isSdpParseError } from './model.js';
import type { SessionDescription } from './model.js';
import { parseSessionDescription } from './parse.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').replace(/\r?\n/g, '\r\n');
}

function parse(text: string): SessionDescription {
  const d = parseSessionDescription(text);
  if (isSdpParseError(d)) throw new Error(d.reason);
  return d;
}

const offer = (name: string): SessionDescription => parse(fixture(name));

const webrtc: LocalMediaCapabilities['webrtc'] = {
  ice: {
    ufrag: 'AtNd', pwd: 'atendeicepasswordxxxxxxx', lite: true,
    candidates: [{ foundation: '1', component: 1, transport: 'udp', priority: 2130706431, address: '203.0.113.5', port: 40000, type: 'host' }],
  },
  fingerprint: { algorithm: 'sha-256', value: '00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF' },
};

function local(over: Partial<LocalMediaCapabilities> = {}): LocalMediaCapabilities {
  return {
    address: '203.0.113.5', port: 40000, codecs: ['opus', 'G722', 'PCMU', 'PCMA'],
    session: { id: '1234', version: 1 }, webrtc, ...over,
  };
}

describe('createAnswer: Chromium offer', () => {
  it('answers opus (with its payload type) when we prefer it, video refused with port 0', () => {
    const a = createAnswer(offer('chromium-offer.sdp'), local());
    const answer = parse(a.sdp);
    expect(answer.media).toHaveLength(2);
    const audio = answer.media[0]!;
    expect(audio).toMatchObject({ port: 40000, proto: 'UDP/TLS/RTP/SAVPF', mid: '0', rtcpMux: true, direction: 'sendrecv', ptime: 20 });
    // pt 111 kept (RFC 3264 6.1); telephone-event at opus's clock (48000), with the offerer's pt 110.
    expect(audio.formats).toEqual(['111', '110']);
    expect(audio.codecs[0]).toMatchObject({ encodingName: 'opus', clockRate: 48000, channels: 2 });
    expect(audio.telephoneEvents).toEqual([{ pt: 110, clockRate: 48000 }]);
    expect(audio.ice).toMatchObject({ ufrag: 'AtNd', lite: true });
    expect(audio.ice!.candidates[0]).toMatchObject({ address: '203.0.113.5', port: 40000 });
    expect(audio.dtls?.setup).toBe('active');
    expect(answer.iceLite).toBe(true);
    expect(answer.groups).toEqual([{ semantics: 'BUNDLE', mids: ['0'] }]);
    expect(answer.media[1]).toMatchObject({ kind: 'video', port: 0, proto: 'UDP/TLS/RTP/SAVPF', mid: '1' });
    expect(answer.media[1]!.formats).toEqual(['96', '97', '102', '103']);

    const [s0, s1] = a.streams;
    expect(s0).toMatchObject({
      kind: 'audio', index: 0, mid: '0', rejected: false, remoteAddress: '192.0.2.10', remotePort: 54321,
      rtcpMux: true, remoteRtcpPort: 54321, ptime: 20, localDirection: 'sendrecv', remoteDirection: 'sendrecv', remoteHold: false,
      telephoneEvent: { pt: 110, clockRate: 48000 },
    });
    expect(s0!.codec).toMatchObject({ name: 'opus', pt: 111, clockRate: 48000, channels: 2, fmtp: { useinbandfec: '1' } });
    expect(s0!.ice?.ufrag).toBe('EsAw');
    expect(s0!.dtls).toMatchObject({ setup: 'actpass', localSetup: 'active', role: 'client', fingerprint: { algorithm: 'sha-256' } });
    expect(s1).toMatchObject({ kind: 'video', rejected: true, rejectReason: 'unsupported-media' });
    expect(a.allRejected).toBe(false);
  });

  it('answers PCMU with pt 0 and telephone-event/8000 when we prefer PCMU', () => {
    const a = createAnswer(offer('chromium-offer.sdp'), local({ codecs: ['PCMU', 'opus'] }));
    const audio = parse(a.sdp).media[0]!;
    expect(audio.formats).toEqual(['0', '126']);
    expect(a.streams[0]!.codec).toMatchObject({ name: 'PCMU', pt: 0, clockRate: 8000 });
    expect(a.streams[0]!.telephoneEvent).toEqual({ pt: 126, clockRate: 8000 });
  });

  it('can follow the offerer\'s order instead of ours', () => {
    const a = createAnswer(offer('chromium-offer.sdp'), local({ codecs: ['PCMA', 'G722'], codecOrder: 'remote' }));
    expect(a.streams[0]!.codec).toMatchObject({ name: 'G722', pt: 9 });
  });

  it('takes the passive DTLS role when asked', () => {
    const a = createAnswer(offer('chromium-offer.sdp'), local({ webrtc: { ...webrtc!, setup: 'passive' } }));
    expect(parse(a.sdp).media[0]!.dtls?.setup).toBe('passive');
    expect(a.streams[0]!.dtls?.role).toBe('server');
  });

  it('relays the video section with the caller\'s replacement text', () => {
    const replacement = 'm=video 40002 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 203.0.113.9\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\na=x-unknown:kept\r\na=recvonly\r\n';
    const a = createAnswer(offer('chromium-offer.sdp'), local({ passthrough: [{ index: 1, text: replacement }] }));
    expect(a.sdp.endsWith(replacement)).toBe(true);
    expect(a.streams[1]).toMatchObject({ kind: 'video', rejected: false, passthrough: true, remotePort: 54321, localDirection: 'recvonly' });
    expect(a.streams[1]!.codec).toMatchObject({ encodingName: 'VP8', pt: 96, name: undefined });
  });

  it('refuses a replacement of another media kind', () => {
    const a = createAnswer(offer('chromium-offer.sdp'), local({ passthrough: [{ index: 1, text: 'm=audio 40002 UDP/TLS/RTP/SAVPF 96\r\n' }] }));
    expect(a.streams[1]).toMatchObject({ rejected: true, rejectReason: 'passthrough-invalid' });
    expect(parse(a.sdp).media[1]!.port).toBe(0);
  });

  it('refuses WebRTC when we have no DTLS/ICE, and says all sections were refused', () => {
    const a = createAnswer(offer('chromium-offer.sdp'), local({ webrtc: undefined }));
    expect(a.streams[0]).toMatchObject({ rejected: true, rejectReason: 'unsupported-profile' });
    expect(a.allRejected).toBe(true);
    expect(parse(a.sdp).media.map((m) => m.port)).toEqual([0, 0]);
  });

  it('does not take a trickle offer\'s c=0.0.0.0 for hold', () => {
    const a = createAnswer(offer('chromium-trickle-offer.sdp'), local());
    expect(a.streams[0]).toMatchObject({ remoteHold: false, remoteDirection: 'sendrecv', localDirection: 'sendrecv', remotePort: 9 });
    // Only telephone-event/8000 was offered: it cannot ride an opus (48 kHz) stream.
    expect(a.streams[0]!.telephoneEvent).toBeUndefined();
  });
});

describe('createAnswer: SIP phones', () => {
  const phone = (over: Partial<LocalMediaCapabilities> = {}): LocalMediaCapabilities =>
    local({ codecs: ['G722', 'PCMU', 'PCMA'], webrtc: undefined, ...over });

  it('answers a Yealink G722 offer with G722, pt 9, ptime 20, te 101', () => {
    const a = createAnswer(offer('yealink-offer.sdp'), phone());
    const audio = parse(a.sdp).media[0]!;
    expect(audio).toMatchObject({ port: 40000, proto: 'RTP/AVP', ptime: 20, direction: 'sendrecv', rtcpMux: false });
    expect(audio.formats).toEqual(['9', '101']);
    expect(audio.connection).toEqual({ addressType: 'IP4', address: '203.0.113.5' });
    expect(a.streams[0]).toMatchObject({ remoteAddress: '203.0.113.55', remotePort: 11800, remoteRtcpPort: 11801, rtcpMux: false });
  });

  it('honours a Grandstream ptime of 30 and refuses ptimes past our maximum', () => {
    expect(createAnswer(offer('grandstream-offer.sdp'), phone()).streams[0]!.ptime).toBe(30);
    const capped = createAnswer(offer('grandstream-offer.sdp'), phone({ maxptime: 20 }));
    expect(capped.streams[0]!.ptime).toBe(20);
    expect(parse(capped.sdp).media[0]!.ptime).toBe(20);
  });

  it('keeps within the offer\'s maxptime when choosing our own ptime', () => {
    const text = fixture('sipp-offer.sdp').replace('a=fmtp:101 0-11,16\r\n', 'a=fmtp:101 0-11,16\r\na=maxptime:20\r\n');
    expect(createAnswer(parse(text), phone({ ptime: 40 })).streams[0]!.ptime).toBe(20);
  });

  it('answers a SIPp PCMA offer with PCMA and te 101', () => {
    const a = createAnswer(offer('sipp-offer.sdp'), phone());
    expect(parse(a.sdp).media[0]!.formats).toEqual(['8', '101']);
    expect(a.streams[0]!.codec?.name).toBe('PCMA');
  });

  it('answers a baresip opus offer with its dynamic pt 96', () => {
    const a = createAnswer(offer('baresip-offer.sdp'), local({ webrtc: undefined }));
    expect(parse(a.sdp).media[0]!.formats).toEqual(['96']);
    expect(a.streams[0]!.codec).toMatchObject({ name: 'opus', pt: 96, fmtp: { stereo: '1' } });
  });

  it('rejects with port 0 when no codec is common, and reports why', () => {
    const a = createAnswer(offer('yealink-offer.sdp'), local({ codecs: ['opus'], webrtc: undefined }));
    expect(a.streams[0]).toMatchObject({ rejected: true, rejectReason: 'no-common-codec' });
    expect(a.allRejected).toBe(true);
    const audio = parse(a.sdp).media[0]!;
    expect(audio.port).toBe(0);
    expect(audio.formats).toEqual(['9', '0', '8', '18', '101']);
  });

  it('answers a=sendonly with a=recvonly, and reports the hold', () => {
    const a = createAnswer(offer('hold-sendonly-offer.sdp'), phone());
    expect(parse(a.sdp).media[0]!.direction).toBe('recvonly');
    expect(a.streams[0]).toMatchObject({ localDirection: 'recvonly', remoteDirection: 'sendonly', remoteHold: true });
  });

  it('treats c=0.0.0.0 as hold (RFC 2543) and answers recvonly', () => {
    const a = createAnswer(offer('hold-zero-address-offer.sdp'), phone());
    expect(parse(a.sdp).media[0]!.direction).toBe('recvonly');
    expect(a.streams[0]).toMatchObject({ remoteHold: true, remoteDirection: 'sendonly', remoteAddress: '0.0.0.0' });
  });

  it.each([
    ['recvonly', 'sendrecv', 'sendonly'],
    ['inactive', 'sendrecv', 'inactive'],
    ['sendrecv', 'sendonly', 'sendonly'],
    ['sendrecv', 'inactive', 'inactive'],
    ['sendonly', 'sendonly', 'inactive'],
  ] as const)('answers a=%s with our %s state as a=%s', (offered, ours, expected) => {
    const text = fixture('yealink-offer.sdp').replace('a=sendrecv', `a=${offered}`);
    const a = createAnswer(parse(text), phone({ direction: ours }));
    expect(parse(a.sdp).media[0]!.direction).toBe(expected);
  });

  it('answers SDES with the offered tag and suite we prefer, and our own key', () => {
    const key = 'inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk';
    const a = createAnswer(offer('sdes-offer.sdp'), phone({ crypto: [{ suite: 'AES_CM_128_HMAC_SHA1_32', keyParams: key }, { suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: key }] }));
    const audio = parse(a.sdp).media[0]!;
    expect(audio.proto).toBe('RTP/SAVP');
    expect(audio.crypto).toEqual([{ tag: 2, suite: 'AES_CM_128_HMAC_SHA1_32', keyParams: key, sessionParams: undefined }]);
    expect(a.streams[0]!.crypto?.remote.keyParams).toBe('inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^31');
  });

  it('refuses SDES without a common suite, and SRTP without keys', () => {
    const none = createAnswer(offer('sdes-offer.sdp'), phone({ crypto: [{ suite: 'AEAD_AES_128_GCM', keyParams: 'inline:x' }] }));
    expect(none.streams[0]!.rejectReason).toBe('no-common-crypto');
    expect(createAnswer(offer('sdes-offer.sdp'), phone()).streams[0]!.rejectReason).toBe('unsupported-profile');
  });

  it('refuses plain RTP when told to insist on SRTP', () => {
    expect(createAnswer(offer('yealink-offer.sdp'), phone({ plainRtp: false })).streams[0]!.rejectReason).toBe('unsupported-profile');
  });

  it('answers an unknown m=application line with port 0 and its formats echoed, and a disabled T.38 line likewise', () => {
    const a = createAnswer(offer('unknown-application-offer.sdp'), phone());
    const answer = parse(a.sdp);
    expect(answer.media.map((m) => `${m.media} ${m.port} ${m.proto} ${m.formats.join(' ')}`)).toEqual([
      'audio 40000 RTP/AVP 0 101',
      'application 0 TCP/BFCP *',
      'image 0 udptl t38',
    ]);
    expect(a.streams.map((s) => s.rejectReason)).toEqual([undefined, 'unsupported-media', 'offered-port-zero']);
    expect(a.sdp).toContain('m=application 0 TCP/BFCP *\r\n');
  });

  it('relays phone video by echoing the offered section with our relay port, unknown attributes kept', () => {
    const a = createAnswer(offer('video-phone-offer.sdp'), phone({ passthrough: [{ index: 1, port: 40100 }] }));
    const video = parse(a.sdp).media[1]!;
    expect(video).toMatchObject({ kind: 'video', port: 40100, proto: 'RTP/AVP', direction: 'sendrecv' });
    expect(video.connection?.address).toBe('203.0.113.5');
    expect(video.formats).toEqual(['99', '100']);
    expect(video.raw).toContain('a=x-gs-video-flags:dual-stream 1');
    expect(video.raw).toContain('a=fmtp:99 profile-level-id=42801F;packetization-mode=1');
    expect(video.raw).toContain('a=rtcp-fb:99 nack pli');
    expect(a.streams[1]).toMatchObject({ passthrough: true, rejected: false, remoteAddress: '203.0.113.70', remotePort: 5006 });
    expect(a.streams[1]!.codec).toMatchObject({ encodingName: 'H264', pt: 99, clockRate: 90000 });
    // Audio unaffected.
    expect(a.streams[0]!.codec?.name).toBe('G722');
  });

  it('refuses a second audio section', () => {
    const text = `${fixture('sipp-offer.sdp')}m=audio 6002 RTP/AVP 0\r\n`;
    const a = createAnswer(parse(text), phone());
    expect(a.streams.map((s) => s.rejectReason)).toEqual([undefined, 'extra-audio']);
  });

  it('tries the next audio section when the first has no common codec', () => {
    const text = 'v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n'
      + 'm=audio 4000 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\nm=audio 4002 RTP/AVP 8\r\n';
    const a = createAnswer(parse(text), phone());
    expect(a.streams.map((s) => s.rejectReason)).toEqual(['no-common-codec', undefined]);
    expect(a.streams[1]!.codec?.name).toBe('PCMA');
  });

  it('answers an offer without m-lines as all rejected', () => {
    const a = createAnswer(parse('v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n'), phone());
    expect(a.allRejected).toBe(true);
  });
});
