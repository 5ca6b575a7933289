import { describe, expect, it } from 'vitest';
import { defaultMediaFamily, inboundMediaFamily, offerAddressFamily, targetMediaFamily, type MediaAddresses } from './media-family.js';

function offer(session: string | undefined, media: string | undefined, port = 4000): string {
  return [
    'v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', ...(session !== undefined ? [session] : []), 't=0 0',
    `m=audio ${port} RTP/AVP 0`, ...(media !== undefined ? [media] : []), 'a=rtpmap:0 PCMU/8000', '',
  ].join('\r\n');
}

const both: MediaAddresses = { IPv4: { bind: '0.0.0.0', advertised: '192.0.2.1' }, IPv6: { bind: '::', advertised: '2001:db8::1' } };
const v6only: MediaAddresses = { IPv6: { bind: '::1', advertised: '::1' } };

describe('the address family of a leg\'s media', () => {
  it('reads the offer\'s c= (media level first, then session level); a mapped IPv4 address is IPv4', () => {
    expect(offerAddressFamily(offer('c=IN IP6 2001:db8::7', undefined))).toBe('IPv6');
    expect(offerAddressFamily(offer('c=IN IP4 192.0.2.7', undefined))).toBe('IPv4');
    expect(offerAddressFamily(offer('c=IN IP4 192.0.2.7', 'c=IN IP6 ::1'))).toBe('IPv6');
    expect(offerAddressFamily(offer(undefined, 'c=IN IP6 ::ffff:192.0.2.7'))).toBe('IPv4');
    expect(offerAddressFamily(offer(undefined, 'c=IN IP6 media.example.com'))).toBe('IPv6');
    expect(offerAddressFamily('not sdp')).toBeUndefined();
    expect(offerAddressFamily(offer('c=IN IP4 0.0.0.0', undefined))).toBeUndefined();
    expect(inboundMediaFamily(both, offer('c=IN IP4 0.0.0.0', undefined), '::1')).toBe('IPv6');
  });

  it('takes an inbound leg\'s family from its offer, else (late offer) from where the INVITE came from', () => {
    expect(inboundMediaFamily(both, offer('c=IN IP6 ::1', undefined), '127.0.0.1')).toBe('IPv6');
    expect(inboundMediaFamily(both, offer('c=IN IP4 127.0.0.1', undefined), '::1')).toBe('IPv4');
    expect(inboundMediaFamily(both, undefined, '::1')).toBe('IPv6');
    expect(inboundMediaFamily(both, '', '::ffff:10.0.0.1')).toBe('IPv4');
  });

  it('takes an outbound leg\'s family from the device\'s address, a host name getting the default', () => {
    expect(targetMediaFamily(both, '::1')).toBe('IPv6');
    expect(targetMediaFamily(both, '[2001:db8::9]')).toBe('IPv6');
    expect(targetMediaFamily(both, '10.1.1.1')).toBe('IPv4');
    expect(targetMediaFamily(both, 'trunk.example.com')).toBe('IPv4');
    expect(targetMediaFamily(v6only, 'trunk.example.com')).toBe('IPv6');
    expect(defaultMediaFamily({})).toBe('IPv4');
  });
});
