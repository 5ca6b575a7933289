import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyAnswer, isSdpAnswerError } from './apply-answer.js';
import type { LocalMediaOffer } from './local-media.js';
import { isSdpParseError } from './model.js';
import type { SessionDescription } from './model.js';
import { createOffer } from './offer.js';
import { parseSessionDescription } from './parse.js';
import { SdpLocalParametersError } from './sdp-error.js';
import { SdpSessionVersion } from './version.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').replace(/\r?\n/g, '\r\n');
}

function parse(text: string): SessionDescription {
  const d = parseSessionDescription(text);
  if (isSdpParseError(d)) throw new Error(d.reason);
  return d;
}

const plain: LocalMediaOffer = {
  address: '203.0.113.5', port: 40000,
  codecs: [{ name: 'G722' }, { name: 'PCMU' }, { name: 'PCMA' }],
  telephoneEvent: { pt: 101 }, ptime: 20,
  transport: { profile: 'RTP/AVP' },
  session: { id: '3912345678', version: 1 },
};

const webrtcOffer: LocalMediaOffer = {
  address: '203.0.113.5', port: 40000,
  codecs: [{ name: 'opus', pt: 111, fmtp: 'minptime=10;useinbandfec=1' }, { name: 'G722' }, { name: 'PCMU' }, { name: 'PCMA' }],
  telephoneEvent: [{ pt: 110, clockRate: 48000 }, { pt: 101 }],
  transport: {
    profile: 'UDP/TLS/RTP/SAVPF',
    ice: { ufrag: 'AtNd', pwd: 'atendeicepasswordxxxxxxx', lite: true, candidates: [{ foundation: '1', component: 1, transport: 'udp', priority: 2130706431, address: '203.0.113.5', port: 40000, type: 'host' }] },
    fingerprint: { algorithm: 'sha-256', value: '00:11:22:33' },
  },
  session: { id: '42', version: 0 },
  ssrc: { ssrc: 287454020, cname: 'atende' },
};

describe('createOffer', () => {
  it('writes a plain RTP/AVP offer our parser reads back', () => {
    const d = parse(createOffer(plain));
    expect(d.origin).toMatchObject({ sessionId: '3912345678', sessionVersion: '1', address: '203.0.113.5' });
    const audio = d.media[0]!;
    expect(audio).toMatchObject({ kind: 'audio', port: 40000, proto: 'RTP/AVP', ptime: 20, direction: 'sendrecv', rtcpMux: false });
    expect(audio.connection?.address).toBe('203.0.113.5');
    expect(audio.formats).toEqual(['9', '0', '8', '101']);
    expect(audio.telephoneEvents).toEqual([{ pt: 101, clockRate: 8000 }]);
    expect(audio.codecs.find((c) => c.pt === 101)!.fmtp).toBe('0-16');
  });

  it('writes a WebRTC offer: ICE-lite, DTLS actpass, rtcp-mux, mid and BUNDLE, opus/2 with fmtp', () => {
    const d = parse(createOffer(webrtcOffer));
    expect(d.iceLite).toBe(true);
    expect(d.groups).toEqual([{ semantics: 'BUNDLE', mids: ['0'] }]);
    const audio = d.media[0]!;
    expect(audio).toMatchObject({ proto: 'UDP/TLS/RTP/SAVPF', mid: '0', rtcpMux: true });
    expect(audio.formats).toEqual(['111', '9', '0', '8', '110', '101']);
    expect(audio.codecs[0]).toMatchObject({ encodingName: 'opus', clockRate: 48000, channels: 2, fmtp: 'minptime=10;useinbandfec=1' });
    expect(audio.dtls).toEqual({ fingerprint: { algorithm: 'sha-256', value: '00:11:22:33' }, setup: 'actpass' });
    expect(audio.ice).toMatchObject({ ufrag: 'AtNd', pwd: 'atendeicepasswordxxxxxxx', lite: true, endOfCandidates: true });
    expect(audio.ssrcs).toEqual([{ ssrc: 287454020, attribute: 'cname', value: 'atende' }]);
  });

  it('writes RTP/SAVP with numbered a=crypto lines', () => {
    const d = parse(createOffer({
      ...plain,
      transport: { profile: 'RTP/SAVP', crypto: [
        { suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: 'inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz' },
        { suite: 'AES_CM_128_HMAC_SHA1_32', keyParams: 'inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj' },
      ] },
    }));
    expect(d.media[0]!.proto).toBe('RTP/SAVP');
    expect(d.media[0]!.crypto.map((c) => [c.tag, c.suite])).toEqual([[1, 'AES_CM_128_HMAC_SHA1_80'], [2, 'AES_CM_128_HMAC_SHA1_32']]);
  });

  it('writes our hold state and a=rtcp when RTCP is elsewhere', () => {
    const d = parse(createOffer({ ...plain, direction: 'sendonly', rtcpPort: 40011 }));
    expect(d.media[0]!.direction).toBe('sendonly');
    expect(d.media[0]!.rtcp?.port).toBe(40011);
  });

  it('writes IP6 for an IPv6 anchor address', () => {
    const d = parse(createOffer({ ...plain, address: '2001:db8::5' }));
    expect(d.connection).toEqual({ addressType: 'IP6', address: '2001:db8::5' });
    expect(d.origin.addressType).toBe('IP6');
  });

  it('appends relayed sections verbatim', () => {
    const video = 'm=video 40100 RTP/AVP 99\nc=IN IP4 203.0.113.5\na=rtpmap:99 H264/90000\na=x-kept:yes\n';
    const d = parse(createOffer({ ...plain, extraSections: [video] }));
    expect(d.media[1]!.raw).toBe(video.replace(/\n/g, '\r\n'));
  });

  it('refuses impossible local parameters', () => {
    expect(() => createOffer({ ...plain, codecs: [] })).toThrow(SdpLocalParametersError);
    expect(() => createOffer({ ...plain, telephoneEvent: { pt: 9 } })).toThrow(/offered twice/);
    expect(() => createOffer({ ...plain, transport: { profile: 'RTP/SAVP', crypto: [] } })).toThrow(SdpLocalParametersError);
  });

  it('keeps the session id and bumps the version only when the content changes', () => {
    const version = new SdpSessionVersion('777', 5);
    const first = parse(createOffer({ ...plain, session: version }));
    const refresh = parse(createOffer({ ...plain, session: version }));
    const hold = parse(createOffer({ ...plain, session: version, direction: 'sendonly' }));
    const holdAgain = parse(createOffer({ ...plain, session: version, direction: 'sendonly' }));
    const resume = parse(createOffer({ ...plain, session: version }));
    expect([first, refresh, hold, holdAgain, resume].map((d) => d.origin.sessionId)).toEqual(['777', '777', '777', '777', '777']);
    expect([first, refresh, hold, holdAgain, resume].map((d) => d.origin.sessionVersion)).toEqual(['5', '5', '6', '6', '7']);
    expect(version.version).toBe('7');
  });
});

describe('applyAnswer', () => {
  it('reads Chromium\'s answer to our WebRTC offer: opus, te at 48 kHz, DTLS roles, ICE', () => {
    const streams = applyAnswer(createOffer(webrtcOffer), fixture('chromium-answer.sdp'));
    if (isSdpAnswerError(streams)) throw new Error(streams.reason);
    expect(streams).toHaveLength(1);
    expect(streams[0]).toMatchObject({
      kind: 'audio', mid: '0', rejected: false, passthrough: false, remoteAddress: '192.0.2.77', remotePort: 61002,
      rtcpMux: true, remoteRtcpPort: 61002, ptime: 20, telephoneEvent: { pt: 110, clockRate: 48000 },
      localDirection: 'sendrecv', remoteDirection: 'sendrecv', remoteHold: false,
    });
    expect(streams[0]!.codec).toMatchObject({ name: 'opus', pt: 111, fmtp: { useinbandfec: '1' } });
    expect(streams[0]!.dtls).toMatchObject({ setup: 'active', localSetup: 'passive', role: 'server' });
    expect(streams[0]!.ice).toMatchObject({ ufrag: 'Zt7n', pwd: 'J3o9m2Yq8kLr5XcV1bN6sH4d' });
  });

  const phoneAnswer = (body: string): string =>
    `v=0\r\no=- 20095 20095 IN IP4 203.0.113.55\r\ns=SDP data\r\nc=IN IP4 203.0.113.55\r\nt=0 0\r\n${body}`;

  it('reads a desk phone answer: codec, ptime, te', () => {
    const streams = applyAnswer(createOffer(plain), phoneAnswer('m=audio 11800 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:30\r\n'));
    if (isSdpAnswerError(streams)) throw new Error(streams.reason);
    expect(streams[0]).toMatchObject({ remoteAddress: '203.0.113.55', remotePort: 11800, remoteRtcpPort: 11801, ptime: 30, telephoneEvent: { pt: 101, clockRate: 8000 } });
    expect(streams[0]!.codec).toMatchObject({ name: 'PCMU', pt: 0 });
  });

  it('sees a remote answering sendonly to our sendrecv as holding us, but not recvonly to our sendonly', () => {
    const held = applyAnswer(createOffer(plain), phoneAnswer('m=audio 11800 RTP/AVP 9\r\na=sendonly\r\n'));
    if (isSdpAnswerError(held)) throw new Error(held.reason);
    expect(held[0]).toMatchObject({ remoteDirection: 'sendonly', remoteHold: true });
    const ours = applyAnswer(createOffer({ ...plain, direction: 'sendonly' }), phoneAnswer('m=audio 11800 RTP/AVP 9\r\na=recvonly\r\n'));
    if (isSdpAnswerError(ours)) throw new Error(ours.reason);
    expect(ours[0]).toMatchObject({ localDirection: 'sendonly', remoteDirection: 'recvonly', remoteHold: false });
  });

  it('reports a refused audio section as rejected', () => {
    const streams = applyAnswer(createOffer(plain), phoneAnswer('m=audio 0 RTP/AVP 9 0 8 101\r\n'));
    if (isSdpAnswerError(streams)) throw new Error(streams.reason);
    expect(streams[0]).toMatchObject({ rejected: true, rejectReason: 'rejected-by-answer' });
  });

  it('matches the SDES answer to the offered tag', () => {
    const offer = createOffer({ ...plain, transport: { profile: 'RTP/SAVP', crypto: [
      { suite: 'AES_CM_128_HMAC_SHA1_80', keyParams: 'inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz' },
      { suite: 'AES_CM_128_HMAC_SHA1_32', keyParams: 'inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj' },
    ] } });
    const good = applyAnswer(offer, phoneAnswer('m=audio 11800 RTP/SAVP 9\r\na=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk\r\n'));
    if (isSdpAnswerError(good)) throw new Error(good.reason);
    expect(good[0]!.crypto?.local.keyParams).toBe('inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj');
    expect(good[0]!.crypto?.remote.keyParams).toBe('inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk');
    const wrongTag = applyAnswer(offer, phoneAnswer('m=audio 11800 RTP/SAVP 9\r\na=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk\r\n'));
    expect(isSdpAnswerError(wrongTag)).toBe(true);
  });

  it.each([
    ['more m-lines than offered', 'm=audio 11800 RTP/AVP 9\r\nm=video 0 RTP/AVP 99\r\n'],
    ['another media kind', 'm=video 11800 RTP/AVP 9\r\n'],
    ['another proto', 'm=audio 11800 RTP/SAVP 9\r\n'],
    ['a codec we did not offer', 'm=audio 11800 RTP/AVP 18\r\na=rtpmap:18 G729/8000\r\n'],
    ['no parse', 'm=audio eleven RTP/AVP 9\r\n'],
  ])('refuses an answer with %s', (_name, body) => {
    expect(isSdpAnswerError(applyAnswer(createOffer(plain), phoneAnswer(body)))).toBe(true);
  });

  it('refuses a WebRTC answer with setup:actpass or without a fingerprint', () => {
    const answer = fixture('chromium-answer.sdp');
    expect(isSdpAnswerError(applyAnswer(createOffer(webrtcOffer), answer.replace('a=setup:active', 'a=setup:actpass')))).toBe(true);
    expect(isSdpAnswerError(applyAnswer(createOffer(webrtcOffer), answer.replace(/a=fingerprint:[^\r]*\r\n/, '')))).toBe(true);
  });

  it('reports relayed sections with the answer\'s codec', () => {
    const video = 'm=video 40100 RTP/AVP 99\r\na=rtpmap:99 H264/90000\r\n';
    const streams = applyAnswer(createOffer({ ...plain, extraSections: [video] }),
      phoneAnswer('m=audio 11800 RTP/AVP 9\r\nm=video 11802 RTP/AVP 99\r\na=rtpmap:99 H264/90000\r\na=recvonly\r\n'));
    if (isSdpAnswerError(streams)) throw new Error(streams.reason);
    expect(streams[1]).toMatchObject({ kind: 'video', passthrough: true, remotePort: 11802, remoteDirection: 'recvonly' });
    expect(streams[1]!.codec).toMatchObject({ encodingName: 'H264', pt: 99 });
  });
});
