// createOffer: the SDP Atende sends for one leg (RFC 3264 5), media anchored at the caller's
// address and port, codecs in the caller's order of preference.
import { AUDIO_CODECS } from './codecs.js';
import type { LocalMediaOffer, TelephoneEventOffer } from './local-media.js';
import type { CryptoAttribute } from './model.js';
import { audioSection, finishSdp, sessionHeaderLines } from './sdp-writer.js';
import type { WrittenPayload } from './sdp-writer.js';
import { SdpLocalParametersError } from './sdp-error.js';

function telephoneEvents(te: LocalMediaOffer['telephoneEvent']): readonly TelephoneEventOffer[] {
  if (te === undefined) return [];
  return 'pt' in te ? [te] : te;
}

function payloadsOf(local: LocalMediaOffer): WrittenPayload[] {
  if (local.codecs.length === 0) throw new SdpLocalParametersError('an offer needs at least one codec');
  const payloads: WrittenPayload[] = local.codecs.map((c) => {
    const spec = AUDIO_CODECS[c.name];
    return {
      pt: c.pt ?? spec.defaultPayloadType, encodingName: spec.encodingName, clockRate: spec.clockRate,
      channels: spec.channels, fmtp: c.fmtp,
    };
  });
  for (const te of telephoneEvents(local.telephoneEvent)) {
    payloads.push({ pt: te.pt, encodingName: 'telephone-event', clockRate: te.clockRate ?? 8000, channels: 1, fmtp: te.events ?? '0-16' });
  }
  const seen = new Set<number>();
  for (const p of payloads) {
    if (!Number.isInteger(p.pt) || p.pt < 0 || p.pt > 127) throw new SdpLocalParametersError(`payload type ${p.pt} is not 0-127`);
    if (seen.has(p.pt)) throw new SdpLocalParametersError(`payload type ${p.pt} offered twice`);
    seen.add(p.pt);
  }
  return payloads;
}

/** Our offer for a leg: one audio section (plus the caller's extra sections verbatim). */
export function createOffer(local: LocalMediaOffer): string {
  const payloads = payloadsOf(local);
  const t = local.transport;
  const direction = local.direction ?? 'sendrecv';
  const common = {
    port: local.port, proto: t.profile, payloads, ptime: local.ptime, maxptime: local.maxptime,
    direction, rtcpPort: local.rtcpPort, ssrc: local.ssrc,
  };
  let section: string;
  let iceLite = false;
  let bundleMids: string[] = [];
  if (t.profile === 'UDP/TLS/RTP/SAVPF') {
    const mid = t.mid ?? '0';
    iceLite = t.ice.lite === true;
    bundleMids = [mid];
    // WebRTC requires rtcp-mux and lets BUNDLE carry the single audio section (RFC 8829 5.2.1).
    section = audioSection({ ...common, rtcpMux: true, mid, ice: t.ice, fingerprint: t.fingerprint, setup: t.setup ?? 'actpass' });
  } else if (t.profile === 'RTP/SAVP') {
    if (t.crypto.length === 0) throw new SdpLocalParametersError('RTP/SAVP needs at least one a=crypto key');
    const crypto: CryptoAttribute[] = t.crypto.map((c, i) => ({
      tag: i + 1, suite: c.suite, keyParams: c.keyParams, sessionParams: c.sessionParams,
    }));
    section = audioSection({ ...common, rtcpMux: t.rtcpMux === true, crypto });
  } else {
    section = audioSection({ ...common, rtcpMux: t.rtcpMux === true });
  }
  const header = sessionHeaderLines({ session: local.session, address: local.address, sessionName: local.sessionName, iceLite, bundleMids });
  const extra = (local.extraSections ?? []).map((s) => (s.endsWith('\n') ? s.replace(/\r?\n/g, '\r\n') : `${s.replace(/\r?\n/g, '\r\n')}\r\n`));
  return finishSdp(header, [section, ...extra], local.session);
}
