/**
 * Checks a RemoteDescription coming over the worker seam before it reaches the hot path,
 * so a bad value fails the setRemote command instead of a packet handler.
 */
import { isIP } from 'node:net';
import { CODECS, type CodecName } from '../codec/index.js';
import type { MediaDirection, RemoteDescription } from './endpoint-types.js';
import type { TransportRemote } from './rtp-transport.js';

const DIRECTIONS: readonly MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function isPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 65535;
}

function isPayloadType(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 127;
}

/** A validated copy of `r`; throws RangeError naming the bad field. */
export function checkRemoteDescription(r: RemoteDescription): RemoteDescription {
  if (typeof r.address !== 'string' || isIP(r.address) === 0) throw new RangeError(`remote address ${String(r.address)} is not an IP address`);
  if (!isPort(r.port)) throw new RangeError(`remote port ${String(r.port)} is invalid`);
  if (r.rtcpPort !== undefined && !isPort(r.rtcpPort)) throw new RangeError(`remote RTCP port ${String(r.rtcpPort)} is invalid`);
  if (!Object.hasOwn(CODECS, r.codec)) throw new RangeError(`codec ${String(r.codec)} is not supported`);
  if (!isPayloadType(r.payloadType)) throw new RangeError(`payload type ${String(r.payloadType)} is invalid`);
  if (!(typeof r.clockRate === 'number' && r.clockRate > 0)) throw new RangeError(`clock rate ${String(r.clockRate)} is invalid`);
  if (r.telephoneEventPayloadType !== undefined && !isPayloadType(r.telephoneEventPayloadType)) {
    throw new RangeError(`telephone-event payload type ${String(r.telephoneEventPayloadType)} is invalid`);
  }
  if (r.comfortNoisePayloadType !== undefined && !isPayloadType(r.comfortNoisePayloadType)) {
    throw new RangeError(`comfort noise payload type ${String(r.comfortNoisePayloadType)} is invalid`);
  }
  if (r.ptime !== undefined && !(Number.isInteger(r.ptime) && r.ptime >= 10 && r.ptime <= 120)) {
    throw new RangeError(`ptime ${String(r.ptime)} is invalid`);
  }
  if (!DIRECTIONS.includes(r.direction)) throw new RangeError(`direction ${String(r.direction)} is invalid`);
  checkSecurity(r);
  const out: RemoteDescription = {
    address: r.address,
    port: r.port,
    rtcpMux: r.rtcpMux === true,
    codec: r.codec as CodecName,
    payloadType: r.payloadType,
    clockRate: r.clockRate,
    direction: r.direction,
  };
  if (r.rtcpPort !== undefined) out.rtcpPort = r.rtcpPort;
  if (r.telephoneEventPayloadType !== undefined) out.telephoneEventPayloadType = r.telephoneEventPayloadType;
  if (r.telephoneEventClockRate !== undefined) out.telephoneEventClockRate = r.telephoneEventClockRate;
  if (r.comfortNoisePayloadType !== undefined) out.comfortNoisePayloadType = r.comfortNoisePayloadType;
  if (r.ptime !== undefined) out.ptime = r.ptime;
  if (r.crypto !== undefined) {
    out.crypto = { suite: r.crypto.suite, keyParams: r.crypto.keyParams };
    if (r.crypto.sessionParams !== undefined) out.crypto.sessionParams = [...r.crypto.sessionParams];
  }
  if (r.ice !== undefined) out.ice = { ufrag: r.ice.ufrag, pwd: r.ice.pwd };
  if (r.dtls !== undefined) {
    out.dtls = { fingerprint: { algorithm: r.dtls.fingerprint.algorithm, value: r.dtls.fingerprint.value }, localSetup: r.dtls.localSetup };
  }
  return out;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 1024;

/** Shapes only: the transport that uses keys and credentials checks their content. */
function checkSecurity(r: RemoteDescription): void {
  const c = r.crypto;
  if (c !== undefined) {
    if (typeof c !== 'object' || c === null || !isText(c.suite) || !isText(c.keyParams)) throw new RangeError('crypto needs suite and keyParams');
    if (c.sessionParams !== undefined && !(Array.isArray(c.sessionParams) && c.sessionParams.every(isText))) {
      throw new RangeError('crypto sessionParams must be strings');
    }
  }
  const ice = r.ice;
  if (ice !== undefined && (typeof ice !== 'object' || ice === null || !isText(ice.ufrag) || !isText(ice.pwd))) {
    throw new RangeError('ice needs ufrag and pwd');
  }
  const d = r.dtls;
  if (d !== undefined) {
    if (typeof d !== 'object' || d === null || typeof d.fingerprint !== 'object' || d.fingerprint === null
      || !isText(d.fingerprint.algorithm) || !isText(d.fingerprint.value)) throw new RangeError('dtls needs a fingerprint');
    if (d.localSetup !== 'active' && d.localSetup !== 'passive') throw new RangeError(`dtls localSetup ${String(d.localSetup)} is invalid`);
  }
}

/** What the transport is told of a checked remote description. */
export function transportRemoteOf(remote: RemoteDescription): TransportRemote {
  const t: TransportRemote = {
    address: remote.address, port: remote.port, rtcpPort: remote.rtcpPort ?? remote.port + 1, rtcpMux: remote.rtcpMux,
  };
  if (remote.crypto !== undefined) t.crypto = remote.crypto;
  if (remote.ice !== undefined) t.ice = remote.ice;
  if (remote.dtls !== undefined) t.dtls = remote.dtls;
  return t;
}
