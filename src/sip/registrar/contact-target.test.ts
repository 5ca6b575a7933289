import { describe, expect, it } from 'vitest';
import type { Binding } from './binding.js';
import { contactTarget } from './contact-target.js';

function binding(over: Partial<Binding>): Binding {
  return {
    aor: '1001',
    contact: 'sip:1001@203.0.113.7:5060',
    expiresAt: 0,
    callId: 'c',
    cseq: 1,
    path: [],
    source: { protocol: 'udp', address: '203.0.113.7', port: 5060 },
    updatedAt: 0,
    ...over,
  };
}

describe('contactTarget', () => {
  it('a NATed UDP phone is reached on the public address and port it registered from, not its private Contact', () => {
    const b = binding({
      contact: 'sip:1001@192.168.1.20:5060;transport=udp',
      source: { protocol: 'udp', address: '203.0.113.7', port: 40123 },
    });
    expect(contactTarget(b)).toEqual({
      target: { protocol: 'udp', address: '203.0.113.7', port: 40123 },
      requestUri: 'sip:1001@192.168.1.20:5060;transport=udp',
      route: [],
      viaFlow: true,
    });
  });

  it('a reachable UDP phone (Contact host is the source address) is reached at its Contact port', () => {
    // It sent from an ephemeral port but listens on 5062, as its Contact says.
    const b = binding({ contact: 'sip:1001@203.0.113.7:5062', source: { protocol: 'udp', address: '203.0.113.7', port: 33333 } });
    expect(contactTarget(b)).toMatchObject({ target: { protocol: 'udp', address: '203.0.113.7', port: 5062 }, viaFlow: false });
  });

  it('uses the Contact transport parameter and scheme defaults when the Contact is used', () => {
    const tcp = binding({ contact: 'sip:1001@203.0.113.7;transport=TCP' });
    expect(contactTarget(tcp).target).toEqual({ protocol: 'tcp', address: '203.0.113.7', port: 5060 });
    const sips = binding({ contact: 'sips:1001@203.0.113.7' });
    expect(contactTarget(sips).target).toEqual({ protocol: 'tls', address: '203.0.113.7', port: 5061 });
    const v6 = binding({ contact: 'sip:1001@[2001:db8::1]:5070', source: { protocol: 'udp', address: '2001:db8::1', port: 5070 } });
    expect(contactTarget(v6).target).toEqual({ protocol: 'udp', address: '2001:db8::1', port: 5070 });
  });

  it('reuses the connection of a stream registration even when the Contact looks reachable', () => {
    const b = binding({
      contact: 'sip:1001@203.0.113.7:5060;transport=tcp',
      source: { protocol: 'tls', address: '203.0.113.7', port: 51000 },
      connectionId: 'conn-9',
    });
    expect(contactTarget(b)).toMatchObject({
      target: { protocol: 'tls', address: '203.0.113.7', port: 51000, connectionId: 'conn-9' },
      viaFlow: true,
    });
  });

  it('a WebSocket client (an .invalid Contact host) is reached over its connection', () => {
    const b = binding({
      contact: 'sip:x8a@df7jal23ls0d.invalid;transport=ws',
      source: { protocol: 'wss', address: '198.51.100.30', port: 61000 },
      connectionId: 'ws-1',
    });
    expect(contactTarget(b).target).toEqual({ protocol: 'wss', address: '198.51.100.30', port: 61000, connectionId: 'ws-1' });
  });

  it('an RFC 5626 outbound flow over UDP goes to the flow even when the Contact host matches', () => {
    const b = binding({
      contact: 'sip:1001@203.0.113.7:5060;ob',
      instanceId: '<urn:uuid:1>',
      regId: 1,
      source: { protocol: 'udp', address: '203.0.113.7', port: 40500 },
    });
    expect(contactTarget(b)).toMatchObject({ target: { port: 40500 }, viaFlow: true });
  });

  it('with a Path, the route set is the Path and the request goes back toward the proxy that sent the REGISTER', () => {
    const b = binding({
      contact: 'sip:1001@203.0.113.7:5060',
      path: ['<sip:edge1.atende.local;lr>'],
      source: { protocol: 'udp', address: '10.0.0.5', port: 5060 },
    });
    expect(contactTarget(b)).toEqual({
      target: { protocol: 'udp', address: '10.0.0.5', port: 5060 },
      requestUri: 'sip:1001@203.0.113.7:5060',
      route: ['<sip:edge1.atende.local;lr>'],
      viaFlow: true,
    });
  });

  it('a Contact with a host name goes to the flow (no DNS guesswork for a registered UA)', () => {
    const b = binding({ contact: 'sip:1001@phone.example.org' });
    expect(contactTarget(b).viaFlow).toBe(true);
  });
});
