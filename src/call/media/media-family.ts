/**
 * Which address family a leg's media uses: the far end's. A leg's endpoint binds, and our SDP
 * advertises, an address of the family the far end can reach: the offer's c= (IN IP6 / IN IP4)
 * for a call we receive, the device's address for one we place (or the signalling source for a
 * late offer). A family we have no media address for is refused (488) rather than offered an
 * address the far end cannot use.
 */
import { AtendeError } from '../../core/index.js';
import { isSdpParseError } from '../../sdp/index.js';
import { addressFamilyOf, type AddressFamily } from '../../sip/transport/index.js';
import { parseRemembered } from './remembered-offer.js';

export type { AddressFamily };

/** Where a leg's RTP socket binds and the address written in our SDP (c=) for it. */
export interface MediaAddress {
  bind: string;
  advertised: string;
}

/** Our media addresses per family; a family left out is not served. */
export type MediaAddresses = { readonly [F in AddressFamily]?: MediaAddress };

export class MediaFamilyUnavailableError extends AtendeError {
  constructor(readonly family: AddressFamily) {
    super('media_family_unavailable', `no media address of family ${family}`);
  }
}

/** The family used when nothing says otherwise (a host name): IPv4 when we have it. */
export function defaultMediaFamily(addresses: MediaAddresses): AddressFamily {
  return addresses.IPv4 !== undefined || addresses.IPv6 === undefined ? 'IPv4' : 'IPv6';
}

/**
 * The family of the far end of an offer: the c= of its first audio section in use (media
 * level, else session level). A mapped IPv4 address (`IN IP6 ::ffff:192.0.2.1`) counts as IPv4.
 * Undefined when unreadable, without a connection address or with an unspecified one.
 */
export function offerAddressFamily(offerText: string): AddressFamily | undefined {
  const offer = parseRemembered(offerText);
  if (isSdpParseError(offer)) return undefined;
  const audio = offer.media.find((m) => m.kind === 'audio' && m.port !== 0) ?? offer.media.find((m) => m.port !== 0);
  const connection = audio?.connection ?? offer.connection;
  // An unspecified address (RFC 2543 hold, c=IN IP4 0.0.0.0) says nothing of where the far end is.
  if (connection === undefined || connection.address === '0.0.0.0' || connection.address === '::') return undefined;
  return addressFamilyOf(connection.address) ?? (connection.addressType === 'IP6' ? 'IPv6' : 'IPv4');
}

/**
 * The family of a leg we receive: its offer's when the INVITE has one, else (late offer) the
 * family of the address its signalling came from; the default family when neither tells.
 */
export function inboundMediaFamily(addresses: MediaAddresses, offerText: string | undefined, source: string): AddressFamily {
  const fromOffer = offerText === undefined || offerText === '' ? undefined : offerAddressFamily(offerText);
  return fromOffer ?? addressFamilyOf(source) ?? defaultMediaFamily(addresses);
}

/** The family of a device we call: that of the address the INVITE goes to (a host name: the default). */
export function targetMediaFamily(addresses: MediaAddresses, address: string): AddressFamily {
  return addressFamilyOf(address) ?? defaultMediaFamily(addresses);
}
