import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { topVia } from '../message/index.js';
import { addressFamilyOf, plainAddress } from './address-family.js';
import { advertisedHost, servesFamily } from './local-addresses.js';
import { TransportLayer } from './transport-layer.js';
import type { InboundMessage } from './types.js';

describe('address families', () => {
  it('counts an IPv4 peer seen on a dual-stack socket (mapped) as IPv4, in its plain form', () => {
    expect(plainAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(plainAddress('::FFFF:192.0.2.7')).toBe('192.0.2.7');
    expect(plainAddress('[::1]')).toBe('::1');
    expect(plainAddress('::ffff:abcd')).toBe('::ffff:abcd');
    expect(addressFamilyOf('::ffff:127.0.0.1')).toBe('IPv4');
    expect(addressFamilyOf('192.0.2.1')).toBe('IPv4');
    expect(addressFamilyOf('::1')).toBe('IPv6');
    expect(addressFamilyOf('[2001:db8::5]')).toBe('IPv6');
    expect(addressFamilyOf('pbx.example.com')).toBeUndefined();
  });

  it('knows which families a bound socket reaches ("::" both, "0.0.0.0" IPv4 only)', () => {
    expect(servesFamily('::', 'IPv4')).toBe(true);
    expect(servesFamily('::', 'IPv6')).toBe(true);
    expect(servesFamily('0.0.0.0', 'IPv6')).toBe(false);
    expect(servesFamily('0.0.0.0', 'IPv4')).toBe(true);
    expect(servesFamily('::1', 'IPv4')).toBe(false);
    expect(servesFamily('127.0.0.1', 'IPv4')).toBe(true);
  });

  it('advertises a host of the peer\'s family from a "::" bind, and a public host only of the right family', () => {
    const dual = { protocol: 'udp' as const, address: '::', port: 5060 };
    expect(addressFamilyOf(advertisedHost(dual, undefined, 'IPv6'))).toBe('IPv6');
    expect(advertisedHost(dual, undefined, 'IPv6')).toMatch(/^\[.*\]$/);
    expect(addressFamilyOf(advertisedHost(dual, undefined, 'IPv4'))).toBe('IPv4');
    expect(advertisedHost(dual, '203.0.113.5', 'IPv4')).toBe('203.0.113.5');
    expect(addressFamilyOf(advertisedHost(dual, '203.0.113.5', 'IPv6'))).toBe('IPv6');
    expect(advertisedHost(dual, 'sip.example.com', 'IPv6')).toBe('sip.example.com');
    // IPv4-only binds have nothing better to give an IPv6 peer.
    expect(addressFamilyOf(advertisedHost({ ...dual, address: '0.0.0.0' }, undefined, 'IPv6'))).toBe('IPv4');
    expect(advertisedHost({ ...dual, address: '127.0.0.1' }, undefined, 'IPv6')).toBe('127.0.0.1');
  });
});

describe('a dual-stack "::" SIP listener', () => {
  const layers: TransportLayer[] = [];
  const sockets: Socket[] = [];
  afterEach(() => {
    for (const l of layers.splice(0)) l.close();
    for (const s of sockets.splice(0)) s.close();
  });

  async function dualStack(): Promise<{ layer: TransportLayer; port: number; inbound: Promise<InboundMessage> }> {
    let deliver: (m: InboundMessage) => void = () => undefined;
    const inbound = new Promise<InboundMessage>((r) => { deliver = r; });
    const layer = new TransportLayer({ onMessage: (m) => deliver(m) });
    layers.push(layer);
    const bound = await layer.listenUdp('::', 0);
    return { layer, port: bound.port, inbound };
  }

  it('gives each destination a Via sent-by of its own family (mapped IPv4 counts as IPv4)', async () => {
    const { layer, port } = await dualStack();
    expect(layer.viaSentBy('udp', '::1')).toEqual({ host: expect.stringMatching(/^\[.+\]$/), port });
    expect(addressFamilyOf(layer.viaSentBy('udp', '[::1]').host)).toBe('IPv6');
    expect(addressFamilyOf(layer.viaSentBy('udp', '127.0.0.1').host)).toBe('IPv4');
    expect(addressFamilyOf(layer.viaSentBy('udp', '::ffff:127.0.0.1').host)).toBe('IPv4');
  });

  it('writes the plain IPv4 form of a mapped peer in Via received=', async () => {
    const { port, inbound } = await dualStack();
    const client = createSocket('udp4');
    sockets.push(client);
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    const text = 'OPTIONS sip:100@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.9:5999;rport;branch=z9hG4bKmap1\r\n' +
      'From: <sip:a@example.com>;tag=1\r\nTo: <sip:100@example.com>\r\nCall-ID: map1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n';
    client.send(text, port, '127.0.0.1');
    const got = await inbound;
    expect(got.source.address).toBe('127.0.0.1');
    const via = topVia(got.message);
    expect(via?.params['received']).toBe('127.0.0.1');
    expect(via?.params['rport']).toBe(String(client.address().port));
  });
});
