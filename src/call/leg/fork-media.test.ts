import { describe, expect, it } from 'vitest';
import type { TransportProtocol } from '../../sip/transport/types.js';
import type { ForkTarget } from '../signalling/types.js';
import { combinedFailure, forkGroups, forksOfOneFamily, legMediaKind, mediaKindForFork, mediaKindForForks, plainRtpRetry } from './fork-media.js';
import { OriginateError } from './outbound-leg-state.js';

function fork(protocol: TransportProtocol, uri = `sip:1002@192.0.2.${protocol.length}:5060`): ForkTarget {
  return { requestUri: uri, target: { protocol, address: '192.0.2.10', port: 5060 } };
}

describe('the media offered to each device of an outgoing call', () => {
  it('offers SDES-SRTP over TLS, WebRTC to browsers and plain RTP over UDP and TCP', () => {
    expect(mediaKindForFork(fork('tls'))).toBe('srtp');
    expect(mediaKindForFork(fork('tls', 'sips:1002@192.0.2.10:5061'))).toBe('srtp');
    expect(mediaKindForFork(fork('udp'))).toBe('rtp');
    expect(mediaKindForFork(fork('tcp'))).toBe('rtp');
    expect(mediaKindForFork(fork('ws'))).toBe('webrtc');
    expect(mediaKindForFork(fork('wss'))).toBe('webrtc');
  });

  it('never offers SDES keys over a cleartext hop, even for a sips: contact behind a UDP edge or when asked', () => {
    expect(mediaKindForFork(fork('udp', 'sips:1002@198.51.100.7:5061'))).toBe('rtp');
    expect(mediaKindForFork(fork('udp'), 'srtp')).toBe('rtp');
    expect(mediaKindForFork(fork('tcp'), 'srtp')).toBe('rtp');
    expect(mediaKindForFork(fork('tls'), 'srtp')).toBe('srtp');
    // An explicit plain choice is kept (e.g. an application that wants RTP everywhere).
    expect(mediaKindForFork(fork('tls'), 'rtp')).toBe('rtp');
    expect(legMediaKind([fork('tls'), fork('udp')], 'srtp')).toBe('rtp');
    expect(legMediaKind([fork('tls'), fork('tls')], 'srtp')).toBe('srtp');
    expect(legMediaKind([fork('udp')])).toBe('rtp');
    expect(legMediaKind([fork('wss')], 'webrtc')).toBe('webrtc');
  });

  it('names the kind all forks share, or plain RTP when they differ', () => {
    expect(mediaKindForForks([fork('tls'), fork('tls')])).toBe('srtp');
    expect(mediaKindForForks([fork('ws'), fork('wss')])).toBe('webrtc');
    expect(mediaKindForForks([fork('tls'), fork('udp')])).toBe('rtp');
    expect(mediaKindForForks([fork('wss'), fork('udp')])).toBe('rtp');
    expect(mediaKindForForks([])).toBe('rtp');
  });

  it('gives each TLS device a leg of its own, and shares one leg among the plain devices and one among the browsers', () => {
    const a = fork('udp', 'sip:a@x');
    const b = fork('tls', 'sip:b@x');
    const c = fork('wss', 'sip:c@x');
    const d = fork('tcp', 'sip:d@x');
    const e = fork('tls', 'sip:e@x');
    const groups = forkGroups([a, b, c, d, e]);
    expect(groups).toEqual([
      { kind: 'rtp', forks: [a, d] },
      { kind: 'srtp', forks: [b] },
      { kind: 'webrtc', forks: [c] },
      { kind: 'srtp', forks: [e] },
    ]);
    expect(forkGroups([a, d])).toEqual([{ kind: 'rtp', forks: [a, d] }]);
    // Asked for SRTP: the UDP device still gets plain RTP.
    expect(forkGroups([a, b], 'srtp')).toEqual([{ kind: 'rtp', forks: [a] }, { kind: 'srtp', forks: [b] }]);
  });
});

describe('the plain-RTP retry of a device that refuses SRTP', () => {
  const tls = { kind: 'srtp' as const, forks: [fork('tls')] };

  it('retries a 488 or 415 refusal of the SRTP offer once, with plain RTP to the same device', () => {
    expect(plainRtpRetry(tls, 488)).toEqual({ kind: 'rtp', forks: tls.forks, fallback: true });
    expect(plainRtpRetry(tls, 415)).toEqual({ kind: 'rtp', forks: tls.forks, fallback: true });
    const retry = plainRtpRetry(tls, 488);
    expect(retry && plainRtpRetry(retry, 488)).toBeUndefined();
  });

  it('does not retry other refusals, nor plain or WebRTC offers', () => {
    for (const status of [486, 480, 603, 404, 500, 487, undefined]) expect(plainRtpRetry(tls, status)).toBeUndefined();
    expect(plainRtpRetry({ kind: 'rtp', forks: tls.forks }, 488)).toBeUndefined();
    expect(plainRtpRetry({ kind: 'webrtc', forks: [fork('wss')] }, 488)).toBeUndefined();
  });

  it('reports the best failure of the groups as a forking proxy would', () => {
    const busy = new OriginateError('busy', 486);
    const refused = new OriginateError('failed', 488);
    const gone = new OriginateError('unavailable', 480);
    expect(combinedFailure([refused, busy, gone])).toBe(busy);
    expect(combinedFailure([gone, refused])).toBe(refused);
    expect(combinedFailure([new OriginateError('failed'), gone]).status).toBe(480);
    expect(combinedFailure([]).cause).toBe('unavailable');
  });
});

describe('the address family of the devices of an outgoing call', () => {
  const at = (address: string, protocol: TransportProtocol = 'udp'): ForkTarget =>
    ({ requestUri: `sip:1002@${address}`, target: { protocol, address, port: 5060 } });
  const both = { IPv4: { bind: '0.0.0.0', advertised: '192.0.2.1' }, IPv6: { bind: '::', advertised: '2001:db8::1' } };

  it('rings IPv4 and IPv6 devices from endpoints of their own family', () => {
    const groups = forkGroups([at('192.0.2.10'), at('2001:db8::10'), at('192.0.2.11'), at('::ffff:192.0.2.12')]);
    expect(groups.map((g) => g.forks.map((f) => f.target.address))).toEqual([
      ['192.0.2.10', '192.0.2.11', '::ffff:192.0.2.12'],
      ['2001:db8::10'],
    ]);
  });

  it('serves from one endpoint the first device\'s family (and host names), leaving the others out', () => {
    const mixed = forksOfOneFamily(both, [at('2001:db8::10'), at('192.0.2.10'), at('trunk.example.com')]);
    expect(mixed.family).toBe('IPv6');
    expect(mixed.forks.map((f) => f.target.address)).toEqual(['2001:db8::10', 'trunk.example.com']);
    expect(forksOfOneFamily(both, [at('trunk.example.com')]).family).toBe('IPv4');
    expect(forksOfOneFamily({ IPv6: both.IPv6 }, [at('trunk.example.com')]).family).toBe('IPv6');
  });
});
