/**
 * Checks a RemoteDescription coming over the worker seam before it reaches the hot path,
 * so a bad value fails the setRemote command instead of a packet handler.
 */
import { isIP } from 'node:net';
import { CODECS, type CodecName } from '../codec/index.js';
import type { MediaDirection, RemoteDescription } from './endpoint-types.js';

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
  return out;
}
