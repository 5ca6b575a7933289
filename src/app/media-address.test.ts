import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { mediaAddresses, type InterfaceList } from './media-address.js';

function ni(address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo {
  const base = { address, netmask: '', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...base, family } : { ...base, family, scopeid: 0 };
}

const host: InterfaceList = {
  lo: [ni('127.0.0.1', 'IPv4', true), ni('::1', 'IPv6', true)],
  eth0: [ni('fe80::1', 'IPv6'), ni('10.0.0.5', 'IPv4'), ni('2001:db8::5', 'IPv6')],
};

describe('media addresses per family', () => {
  it('serves both families from a "::" bind, each with an external address of its family', () => {
    expect(mediaAddresses('::', undefined, host)).toEqual({
      IPv4: { bind: '0.0.0.0', advertised: '10.0.0.5' },
      IPv6: { bind: '::', advertised: '2001:db8::5' },
    });
  });

  it('falls back to loopback without an external address, skipping link-local IPv6', () => {
    expect(mediaAddresses('::', undefined, { lo: host['lo'], eth0: [ni('fe80::1', 'IPv6')] })).toEqual({
      IPv4: { bind: '0.0.0.0', advertised: '127.0.0.1' },
      IPv6: { bind: '::', advertised: '::1' },
    });
  });

  it('serves only IPv4 from "0.0.0.0" and only its own family from a specific address', () => {
    expect(mediaAddresses('0.0.0.0', undefined, host)).toEqual({ IPv4: { bind: '0.0.0.0', advertised: '10.0.0.5' } });
    expect(mediaAddresses('127.0.0.1', undefined, host)).toEqual({ IPv4: { bind: '127.0.0.1', advertised: '127.0.0.1' } });
    expect(mediaAddresses('::1', undefined, host)).toEqual({ IPv6: { bind: '::1', advertised: '::1' } });
  });

  it('advertises a public host address only for its own family', () => {
    expect(mediaAddresses('::', '203.0.113.9', host)).toEqual({
      IPv4: { bind: '0.0.0.0', advertised: '203.0.113.9' },
      IPv6: { bind: '::', advertised: '2001:db8::5' },
    });
    expect(mediaAddresses('10.0.0.5', 'pbx.example.com', host)).toEqual({ IPv4: { bind: '10.0.0.5', advertised: '10.0.0.5' } });
  });
});
