import { isIPv6 } from 'node:net';
import { crc32 } from '../stun/index.js';

export type IceCandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** A candidate in sdp-transform's field names, so it drops into `media.candidates`. */
export interface IceCandidate {
  readonly foundation: string;
  readonly component: number;
  readonly transport: 'udp';
  readonly priority: number;
  readonly ip: string;
  readonly port: number;
  readonly type: IceCandidateType;
}

/** Recommended type preferences (RFC 8445 5.1.2.2). */
export const ICE_TYPE_PREFERENCE: Readonly<Record<IceCandidateType, number>> = {
  host: 126,
  prflx: 110,
  srflx: 100,
  relay: 0,
};

/** priority = 2^24 * type preference + 2^8 * local preference + (256 - component) (RFC 8445 5.1.2.1). */
export function candidatePriority(type: IceCandidateType, localPreference: number, component: number): number {
  return ICE_TYPE_PREFERENCE[type] * 0x1000000 + (localPreference & 0xffff) * 0x100 + (256 - component);
}

/**
 * A foundation equal for candidates of the same type, base address and transport
 * (RFC 8445 5.1.1.3): a CRC of the three, in decimal (ice-chars, at most 10 of them).
 */
export function candidateFoundation(type: IceCandidateType, baseAddress: string, transport: string): string {
  return String(crc32(Buffer.from(`${type}|${baseAddress}|${transport}`)));
}

export interface HostCandidateOptions {
  readonly address: string;
  readonly port: number;
  /** 1 for RTP (and everything, with rtcp-mux and BUNDLE), 2 for RTCP. */
  readonly component?: number;
  /** 0..65535; defaults to 65535 for IPv6 addresses and 65534 for IPv4 ones (RFC 8421 prefers v6). */
  readonly localPreference?: number;
}

/** A UDP host candidate for one of our addresses. */
export function hostCandidate(options: HostCandidateOptions): IceCandidate {
  const component = options.component ?? 1;
  const localPreference = options.localPreference ?? (isIPv6(options.address) ? 65535 : 65534);
  return {
    foundation: candidateFoundation('host', options.address, 'udp'),
    component,
    transport: 'udp',
    priority: candidatePriority('host', localPreference, component),
    ip: options.address,
    port: options.port,
    type: 'host',
  };
}

/** The `a=candidate:` attribute value (RFC 8839 5.1), without the leading `a=`. */
export function formatCandidate(c: IceCandidate): string {
  return `candidate:${c.foundation} ${c.component} ${c.transport} ${c.priority} ${c.ip} ${c.port} typ ${c.type}`;
}
