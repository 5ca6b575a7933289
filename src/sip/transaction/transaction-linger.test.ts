import { describe, expect, it } from 'vitest';
import { getHeader } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/types.js';
import { inbound, makeLayer, request, responseTo, udpTarget } from './layer-test-harness.js';

/** A request carrying a body and headers a lingering transaction has no use for. */
function withBody(method: string, branch: string): SipRequest {
  const req = request(method, { branch });
  return { ...req, headers: [...req.headers, { name: 'Content-Type', value: 'text/plain' }], body: Buffer.from('hello') };
}

const names = (req: SipRequest): string[] => req.headers.map((h) => h.name);

/** A layer that has received `method` (with a body) and handed the TU its server transaction. */
function arrived(method: string, branch: string) {
  const stack = makeLayer();
  const req = withBody(method, branch);
  stack.layer.receive(inbound(req));
  return { ...stack, req, tx: stack.requests[0]!.tx! };
}

describe('server transactions lingering for retransmissions (UDP)', () => {
  it('a non-INVITE ends at its final response; the layer answers retransmissions with the bytes sent', () => {
    const { layer, sender, requests, clock, req: register, tx } = arrived('REGISTER', 'z9hG4bKl1');
    const ended: string[] = [];
    tx.onTerminated = (reason) => ended.push(reason);
    tx.respond(responseTo(register, 100));
    expect(tx.request.body.toString()).toBe('hello');
    expect(layer.counts().server).toBe(1);

    tx.respond(responseTo(register, 200));
    // Completed lives on in the layer as the response only (RetransmissionAbsorber).
    expect(ended).toEqual(['normal']);
    expect(layer.counts().server).toBe(0);
    expect(layer.absorbing).toBe(1);

    // Retransmissions get the very bytes sent first, serialized once, and reach no TU.
    const prepared = sender.prepared;
    layer.receive(inbound(withBody('REGISTER', 'z9hG4bKl1')));
    layer.receive(inbound(withBody('REGISTER', 'z9hG4bKl1')));
    expect(sender.summary()).toEqual(['100', '200', '200', '200']);
    const finals = sender.sent.slice(1).map((s) => s.bytes?.toString());
    expect(new Set(finals).size).toBe(1);
    expect(finals[0]).toContain('SIP/2.0 200');
    expect(sender.prepared).toBe(prepared);
    expect(requests).toHaveLength(1);
    // A later TU response is dropped: the final went out.
    tx.respond(responseTo(register, 500));
    expect(sender.summary()).toHaveLength(4);

    // Timer J: 64*T1 after the final, the same request is a new one.
    clock.advance(31_999);
    expect(layer.absorbing).toBe(1);
    clock.advance(1);
    expect(layer.absorbing).toBe(0);
    layer.receive(inbound(withBody('REGISTER', 'z9hG4bKl1')));
    expect(requests).toHaveLength(2);
    layer.close();
  });

  it('different transactions are absorbed apart and expire in the order they completed', () => {
    const { layer, sender, requests, clock } = makeLayer();
    const first = request('OPTIONS', { branch: 'z9hG4bKa1' });
    layer.receive(inbound(first));
    requests[0]!.tx!.respond(responseTo(first, 200));
    clock.advance(10_000);
    const second = request('INFO', { branch: 'z9hG4bKa2' });
    layer.receive(inbound(second));
    requests[1]!.tx!.respond(responseTo(second, 481));
    expect(layer.absorbing).toBe(2);
    layer.receive(inbound(request('INFO', { branch: 'z9hG4bKa2' })));
    layer.receive(inbound(request('OPTIONS', { branch: 'z9hG4bKa1' })));
    expect(sender.summary()).toEqual(['200', '481', '481', '200']);
    clock.advance(22_000);
    expect(layer.absorbing).toBe(1);
    layer.receive(inbound(request('OPTIONS', { branch: 'z9hG4bKa1' })));
    expect(requests).toHaveLength(3);
    clock.advance(10_000);
    expect(layer.absorbing).toBe(0);
    layer.close();
  });

  it('closing the layer drops what it absorbs and its timer', () => {
    const { layer, requests, clock } = makeLayer();
    const options = request('OPTIONS');
    layer.receive(inbound(options));
    requests[0]!.tx!.respond(responseTo(options, 200));
    expect(clock.pending).toBeGreaterThan(0);
    layer.close();
    expect(layer.absorbing).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('an INVITE answered with a non-2xx is left to the layer once the ACK confirms it, not before', () => {
    const { layer, sender, requests, req: invite, tx } = arrived('INVITE', 'z9hG4bKl2');
    const ended: string[] = [];
    tx.onTerminated = (reason) => ended.push(reason);
    tx.respond(responseTo(invite, 486));
    expect(tx.state).toBe('Completed');
    expect(layer.counts().server).toBe(1);
    layer.receive(inbound(request('ACK', { branch: 'z9hG4bKl2' })));
    expect(tx.state).toBe('Confirmed');
    expect(ended).toEqual(['normal']);
    expect(layer.counts().server).toBe(0);
    expect(layer.absorbing).toBe(1);
    // A late INVITE retransmission in Confirmed is absorbed (RFC 3261 17.2.1), and so is an ACK.
    layer.receive(inbound(withBody('INVITE', 'z9hG4bKl2')));
    layer.receive(inbound(request('ACK', { branch: 'z9hG4bKl2' })));
    expect(sender.summary()).toEqual(['486']);
    expect(requests).toHaveLength(1);
    layer.close();
  });

  it('an INVITE released in Completed keeps a slim request and response bytes of their own', () => {
    const { layer, sender, req: invite, tx } = arrived('INVITE', 'z9hG4bKl11');
    tx.respond(responseTo(invite, 486));
    tx.release();
    expect(tx.lingering).toBe(true);
    expect(tx.request.body.length).toBe(0);
    expect(tx.lastResponse?.status).toBe(486);
    // Timer G resends the very bytes, now in memory shared with nothing (no 8 KB pool slab).
    sender.sent.length = 0;
    layer.receive(inbound(invite));
    const resent = sender.sent[0]!.bytes!;
    expect(resent.toString()).toContain('SIP/2.0 486');
    expect(resent.buffer.byteLength).toBe(resent.length);
    layer.close();
  });

  it('an INVITE answered with a 2xx keeps its whole request (the leg reads it during the call)', () => {
    const { layer, req: invite, tx } = arrived('INVITE', 'z9hG4bKl3');
    tx.respond(responseTo(invite, 200));
    expect(tx.state).toBe('Accepted');
    expect(tx.lingering).toBe(false);
    expect(tx.request).toBe(invite);
    layer.close();
  });

  it('an INVITE in Accepted keeps no copy of the 2xx the TU retransmits, yet knows it responded', () => {
    const { layer, sender, req: invite, tx } = arrived('INVITE', 'z9hG4bKl5');
    expect(tx.responded).toBe(false);
    const ok = responseTo(invite, 200);
    tx.respond(ok);
    expect(tx.lastResponse).toBeUndefined();
    expect(tx.responded).toBe(true);
    // The TU's retransmission still goes out, and is not kept either.
    tx.respond(ok);
    expect(sender.summary()).toEqual(['200', '200']);
    expect(tx.lastResponse).toBeUndefined();
    // An INVITE retransmission is absorbed: Accepted has nothing of its own to resend.
    layer.receive(inbound(invite));
    expect(sender.summary()).toEqual(['200', '200']);
    layer.close();
  });
});

describe('an INVITE server transaction released by its TU', () => {
  it('keeps the whole request before its final response: a response built from it copies every Via', () => {
    const { layer, sender, requests } = makeLayer();
    const plain = withBody('INVITE', 'z9hG4bKl6');
    // Through a proxy: our response must go back along both Vias.
    const invite: SipRequest = { ...plain, headers: [...plain.headers, { name: 'Via', value: 'SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKproxy' }] };
    layer.receive(inbound(invite));
    const tx = requests[0]!.tx!;
    tx.release();
    expect(tx.lingering).toBe(false);
    tx.respond(responseTo(tx.request, 486));
    const sent = sender.sent.at(-1)!.message;
    expect(sent.headers.filter((h) => h.name === 'Via')).toHaveLength(2);
    layer.close();
  });

  it('in Accepted leaves its key to the layer, which absorbs INVITE retransmissions until Timer L', () => {
    const { layer, sender, requests, clock, req, tx } = arrived('INVITE', 'z9hG4bKl7');
    tx.respond(responseTo(req, 200));
    expect(tx.state).toBe('Accepted');
    clock.advance(10_000);
    tx.release();
    expect(layer.counts().server).toBe(0);
    expect(layer.absorbing).toBe(1);
    layer.receive(inbound(req));
    expect(sender.summary()).toEqual(['200']);
    expect(requests).toHaveLength(1);
    // The 2xx ACK still reaches the TU, as in Accepted (RFC 6026 8.5).
    layer.receive(inbound(request('ACK', { branch: 'z9hG4bKother' })));
    layer.receive(inbound(request('ACK', { branch: 'z9hG4bKl7' })));
    expect(requests.map((r) => r.req.method)).toEqual(['INVITE', 'ACK', 'ACK']);
    // Timer L ran from the 2xx: 64*T1 after it, the INVITE is a new request.
    clock.advance(21_999);
    expect(layer.absorbing).toBe(1);
    clock.advance(1);
    expect(layer.absorbing).toBe(0);
    expect(clock.pending).toBe(0);
    layer.receive(inbound(req));
    expect(requests.map((r) => r.req.method)).toEqual(['INVITE', 'ACK', 'ACK', 'INVITE']);
    layer.close();
  });
});

describe('client transactions past their final response', () => {
  it('a non-INVITE leaves only its key to the layer once Completed', () => {
    const { layer } = makeLayer();
    const options = withBody('OPTIONS', 'z9hG4bKl8');
    const tx = layer.sendRequest(options, udpTarget, { onFinal: () => undefined });
    layer.receive(inbound(responseTo(options, 200)));
    expect(tx.state).toBe('Completed');
    expect(layer.counts().client).toBe(0);
    expect(layer.absorbing).toBe(1);
    layer.close();
  });

  it('an INVITE refused keeps a slim request and still ACKs a retransmitted refusal with the same ACK', () => {
    const { layer, sender } = makeLayer();
    const invite = withBody('INVITE', 'z9hG4bKl9');
    const tx = layer.sendRequest(invite, udpTarget, { onFinal: () => undefined });
    layer.receive(inbound(responseTo(invite, 486)));
    expect(tx.state).toBe('Completed');
    expect(tx.request.body.length).toBe(0);
    layer.receive(inbound(responseTo(invite, 486)));
    const acks = sender.sent.filter((s) => s.message.type === 'request' && s.message.method === 'ACK');
    expect(acks).toHaveLength(2);
    expect(acks[1]!.message).toBe(acks[0]!.message);
    layer.close();
  });

  it('an INVITE in Accepted keeps a slim request and still hands 2xx retransmissions to its TU', () => {
    const { layer } = makeLayer();
    const finals: SipResponse[] = [];
    const invite = withBody('INVITE', 'z9hG4bKl10');
    const tx = layer.sendRequest(invite, udpTarget, { onFinal: (r) => finals.push(r) });
    layer.receive(inbound(responseTo(invite, 200)));
    expect(tx.state).toBe('Accepted');
    expect(tx.request.body.length).toBe(0);
    layer.receive(inbound(responseTo(invite, 200)));
    expect(finals).toHaveLength(2);
    layer.close();
  });
});

describe('client transactions and their TU', () => {
  it('an accepted INVITE detached by its TU absorbs later 2xx retransmissions', () => {
    const { layer, clock, strays } = makeLayer();
    const finals: SipResponse[] = [];
    const invite = request('INVITE', { branch: 'z9hG4bKl4' });
    const tx = layer.sendRequest(invite, udpTarget, { onFinal: (r) => finals.push(r) });
    layer.receive(inbound(responseTo(invite, 200)));
    layer.receive(inbound(responseTo(invite, 200)));
    expect(finals).toHaveLength(2);
    tx.detach();
    // Detached in Accepted, it leaves only its key to the layer until Timer M (64*T1 from the 2xx).
    expect(layer.counts().client).toBe(0);
    layer.receive(inbound(responseTo(invite, 200)));
    expect(finals).toHaveLength(2);
    expect(strays).toEqual([]);
    expect(tx.state).toBe('Accepted');
    clock.advance(32_000);
    expect(layer.absorbing).toBe(0);
    layer.receive(inbound(responseTo(invite, 200)));
    expect(strays).toHaveLength(1);
    layer.close();
  });
});
