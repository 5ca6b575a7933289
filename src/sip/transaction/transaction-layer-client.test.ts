import { describe, expect, it, vi } from 'vitest';
import { getHeader, getHeaderValues, topVia } from '../message/index.js';
import type { SipResponse } from '../message/types.js';
import { inbound, makeLayer, request, responseTo, settle, tcpTarget, udpTarget } from './layer-test-harness.js';

function handlers() {
  const finals: SipResponse[] = [];
  const provisionals: SipResponse[] = [];
  return {
    finals,
    provisionals,
    onTimeout: vi.fn(),
    onTransportError: vi.fn(),
    onFinal: (r: SipResponse) => finals.push(r),
    onProvisional: (r: SipResponse) => provisionals.push(r),
  };
}

describe('INVITE client transaction in the layer', () => {
  it('retransmits on Timer A, doubling without cap, and yields 408 on Timer B (UDP)', () => {
    const { layer, clock, sender, start } = makeLayer();
    const h = handlers();
    layer.sendRequest(request('INVITE', { branch: 'z9hG4bKc1' }), udpTarget, h);
    clock.advance(32_000 - 1);
    // A = 500, 1000, 2000, 4000, 8000, 16000: sends at 0, .5, 1.5, 3.5, 7.5, 15.5, 31.5 s.
    expect(sender.timesOf('INVITE', start)).toEqual([0, 500, 1500, 3500, 7500, 15_500, 31_500]);
    expect(h.finals).toEqual([]);
    clock.advance(1);
    expect(h.onTimeout).toHaveBeenCalledOnce();
    expect(h.finals.map((r) => r.status)).toEqual([408]);
    expect(layer.counts()).toEqual({ client: 0, server: 0 });
    expect(clock.pending).toBe(0);
  });

  it('sends once on TCP and still times out on B', () => {
    const { layer, clock, sender } = makeLayer();
    const h = handlers();
    layer.sendRequest(request('INVITE', { branch: 'z9hG4bKc2', protocol: 'tcp' }), tcpTarget, h);
    clock.advance(31_999);
    expect(sender.summary()).toEqual(['INVITE']);
    clock.advance(1);
    expect(h.finals.map((r) => r.status)).toEqual([408]);
    expect(layer.counts().client).toBe(0);
  });

  it('stops retransmitting after a provisional', () => {
    const { layer, clock, sender } = makeLayer();
    const h = handlers();
    const invite = request('INVITE', { branch: 'z9hG4bKc3' });
    layer.sendRequest(invite, udpTarget, h);
    layer.receive(inbound(responseTo(invite, 180)));
    clock.advance(60_000);
    expect(sender.summary()).toEqual(['INVITE']);
    expect(h.provisionals.map((r) => r.status)).toEqual([180]);
    expect(layer.counts().client).toBe(1); // Proceeding waits for a final or a CANCEL.
    layer.close();
  });

  it('ACKs a non-2xx with the same branch, the response To tag and the Route set; D = 32 s on UDP', () => {
    const { layer, clock, sender } = makeLayer();
    const h = handlers();
    const invite = request('INVITE', { branch: 'z9hG4bKc4', cseq: 7 });
    layer.sendRequest(invite, udpTarget, h);
    const busy = responseTo(invite, 486);
    layer.receive(inbound(busy));
    expect(sender.summary()).toEqual(['INVITE', 'ACK']);
    const ack = sender.sent[1]!;
    expect(ack.target).toEqual(udpTarget);
    if (ack.message.type !== 'request') throw new Error('expected ACK request');
    expect(ack.message.uri).toBe(invite.uri);
    expect(topVia(ack.message)?.params['branch']).toBe('z9hG4bKc4');
    expect(getHeader(ack.message, 'To')).toBe(getHeader(busy, 'To'));
    expect(getHeader(ack.message, 'To')).toContain('tag=totag9');
    expect(getHeader(ack.message, 'CSeq')).toBe('7 ACK');
    expect(getHeaderValues(ack.message, 'Route')).toEqual(['<sip:proxy.example;lr>']);
    // A retransmitted 486 is ACKed again and not passed up.
    layer.receive(inbound(responseTo(invite, 486)));
    expect(sender.summary()).toEqual(['INVITE', 'ACK', 'ACK']);
    expect(h.finals.map((r) => r.status)).toEqual([486]);
    clock.advance(31_999);
    expect(layer.counts().client).toBe(1);
    clock.advance(1);
    expect(layer.counts().client).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('uses D = 0 on TCP', () => {
    const { layer, sender } = makeLayer();
    const h = handlers();
    const invite = request('INVITE', { branch: 'z9hG4bKc5', protocol: 'tcp' });
    layer.sendRequest(invite, tcpTarget, h);
    layer.receive(inbound(responseTo(invite, 603), 'tcp'));
    expect(sender.summary()).toEqual(['INVITE', 'ACK']);
    expect(layer.counts().client).toBe(0);
  });

  it('does not ACK a 2xx, passes 2xx retransmissions up in Accepted, ends on M, then reports strays', () => {
    const { layer, clock, sender, strays } = makeLayer();
    const h = handlers();
    const invite = request('INVITE', { branch: 'z9hG4bKc6' });
    const tx = layer.sendRequest(invite, udpTarget, h);
    layer.receive(inbound(responseTo(invite, 200)));
    expect(tx.state).toBe('Accepted');
    layer.receive(inbound(responseTo(invite, 200)));
    expect(h.finals.map((r) => r.status)).toEqual([200, 200]);
    expect(sender.summary()).toEqual(['INVITE']);
    clock.advance(31_999);
    expect(layer.counts().client).toBe(1);
    clock.advance(1);
    expect(layer.counts().client).toBe(0);
    layer.receive(inbound(responseTo(invite, 200)));
    expect(strays.map((r) => r.status)).toEqual([200]);
  });

  it('maps a transport error to onTransportError and a 503 final', async () => {
    const { layer, sender } = makeLayer();
    const h = handlers();
    sender.fail = true;
    layer.sendRequest(request('INVITE', { branch: 'z9hG4bKc7' }), udpTarget, h);
    await settle();
    expect(h.onTransportError).toHaveBeenCalledOnce();
    expect(h.finals.map((r) => r.status)).toEqual([503]);
    expect(layer.counts().client).toBe(0);
  });
});

describe('non-INVITE client transaction in the layer', () => {
  it('retransmits on Timer E capped at T2 and yields 408 on Timer F (UDP)', () => {
    const { layer, clock, sender, start } = makeLayer();
    const h = handlers();
    layer.sendRequest(request('OPTIONS', { branch: 'z9hG4bKn1' }), udpTarget, h);
    clock.advance(32_000);
    expect(sender.timesOf('OPTIONS', start)).toEqual([0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500]);
    expect(h.onTimeout).toHaveBeenCalledOnce();
    expect(h.finals.map((r) => r.status)).toEqual([408]);
    expect(layer.counts().client).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('retransmits every T2 in Proceeding', () => {
    const { layer, clock, sender, start } = makeLayer();
    const req = request('REGISTER', { branch: 'z9hG4bKn2' });
    layer.sendRequest(req, udpTarget, handlers());
    layer.receive(inbound(responseTo(req, 100)));
    clock.advance(9000);
    expect(sender.timesOf('REGISTER', start)).toEqual([0, 500, 4500, 8500]);
    layer.close();
    expect(clock.pending).toBe(0);
  });

  it('absorbs retransmitted finals and ends after K = T4 on UDP', () => {
    const { layer, clock, strays } = makeLayer();
    const h = handlers();
    const req = request('BYE', { branch: 'z9hG4bKn3' });
    layer.sendRequest(req, udpTarget, h);
    layer.receive(inbound(responseTo(req, 200)));
    // Completed is left to the layer as the key only (ExpiringEntries): absorbed, not stray.
    expect(layer.counts().client).toBe(0);
    expect(layer.absorbing).toBe(1);
    layer.receive(inbound(responseTo(req, 200)));
    expect(h.finals.map((r) => r.status)).toEqual([200]);
    expect(strays).toEqual([]);
    clock.advance(4999);
    expect(layer.absorbing).toBe(1);
    clock.advance(1);
    expect(layer.absorbing).toBe(0);
    expect(clock.pending).toBe(0);
    layer.receive(inbound(responseTo(req, 200)));
    expect(strays.map((r) => r.status)).toEqual([200]);
  });

  it('on TCP: no retransmissions, K = 0, F still applies', () => {
    const { layer, clock, sender } = makeLayer();
    const h = handlers();
    const req = request('MESSAGE', { branch: 'z9hG4bKn4', protocol: 'tcp' });
    layer.sendRequest(req, tcpTarget, h);
    layer.receive(inbound(responseTo(req, 202), 'tcp'));
    expect(layer.counts().client).toBe(0);
    const h2 = handlers();
    layer.sendRequest(request('OPTIONS', { branch: 'z9hG4bKn5', protocol: 'tcp' }), tcpTarget, h2);
    clock.advance(32_000);
    expect(sender.summary()).toEqual(['MESSAGE', 'OPTIONS']);
    expect(h2.finals.map((r) => r.status)).toEqual([408]);
    expect(layer.counts().client).toBe(0);
  });

  it('maps a transport error on a retransmission to 503', async () => {
    const { layer, clock, sender } = makeLayer();
    const h = handlers();
    layer.sendRequest(request('OPTIONS', { branch: 'z9hG4bKn6' }), udpTarget, h);
    sender.fail = true;
    clock.advance(500);
    await settle();
    expect(h.finals.map((r) => r.status)).toEqual([503]);
    expect(layer.counts().client).toBe(0);
    expect(clock.pending).toBe(0);
  });
});

describe('branch and Via handling', () => {
  it('adds a branch to a Via without one, and a whole Via with rport when none', () => {
    const { layer } = makeLayer();
    const noBranch = request('OPTIONS', { branch: null });
    const tx = layer.sendRequest(noBranch, udpTarget, handlers());
    const branch = topVia(noBranch)?.params['branch'];
    expect(typeof branch === 'string' && branch.startsWith('z9hG4bK') && branch.length > 12).toBe(true);
    expect(tx.key).toBe(`${String(branch)}|OPTIONS`);
    const noVia = request('OPTIONS');
    noVia.headers = noVia.headers.filter((f) => f.name !== 'Via');
    layer.sendRequest(noVia, udpTarget, handlers());
    const via = topVia(noVia);
    expect(via?.host).toBe('192.0.2.1');
    expect(via?.transport).toBe('UDP');
    expect(via?.params).toHaveProperty('rport');
    expect(String(via?.params['branch'])).toMatch(/^z9hG4bK/);
    layer.close();
    layer.close();
  });

  it('matches responses by branch and CSeq method, not branch alone', () => {
    const { layer, strays } = makeLayer();
    const h = handlers();
    const invite = request('INVITE', { branch: 'z9hG4bKm1' });
    layer.sendRequest(invite, udpTarget, h);
    const wrongMethod = responseTo(request('CANCEL', { branch: 'z9hG4bKm1' }), 200);
    layer.receive(inbound(wrongMethod));
    expect(h.finals).toEqual([]);
    expect(strays).toHaveLength(1);
    layer.close();
  });
});
