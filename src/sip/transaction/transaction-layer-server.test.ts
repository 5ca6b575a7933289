import { describe, expect, it } from 'vitest';
import { createRequest } from '../message/index.js';
import type { ServerTerminationReason } from './server-transaction.js';
import { inbound, makeLayer, request, responseTo, settle } from './layer-test-harness.js';

/** An ACK for a response to `invite`, as the peer would send it. */
function ackFor(branch: string, protocol: 'udp' | 'tcp' = 'udp') {
  return request('ACK', { branch, protocol });
}

describe('INVITE server transaction in the layer', () => {
  it('sends 100 Trying when the TU is silent for 200 ms', () => {
    const { layer, clock, sender, requests } = makeLayer();
    layer.receive(inbound(request('INVITE')));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.tx?.state).toBe('Proceeding');
    clock.advance(199);
    expect(sender.summary()).toEqual([]);
    clock.advance(1);
    expect(sender.summary()).toEqual(['100']);
    // The sent 100 goes where the INVITE came from.
    expect(sender.sent[0]!.inbound?.source.address).toBe('198.51.100.7');
    layer.close();
  });

  it('sends no 100 when the TU answers within 200 ms', () => {
    const { layer, clock, sender, requests } = makeLayer();
    const invite = request('INVITE');
    layer.receive(inbound(invite));
    clock.advance(100);
    requests[0]!.tx!.respond(responseTo(invite, 180));
    clock.advance(1000);
    expect(sender.summary()).toEqual(['180']);
    layer.close();
  });

  it('absorbs INVITE retransmissions and resends the last provisional', () => {
    const { layer, sender, requests } = makeLayer();
    const invite = request('INVITE');
    layer.receive(inbound(invite));
    layer.receive(inbound(request('INVITE')));
    expect(sender.summary()).toEqual([]); // nothing to resend yet
    requests[0]!.tx!.respond(responseTo(invite, 180));
    layer.receive(inbound(request('INVITE')));
    expect(requests).toHaveLength(1);
    expect(sender.summary()).toEqual(['180', '180']);
    layer.close();
  });

  it('retransmits a non-2xx on G capped at T2, absorbs the ACK, and ends after I = T4 (UDP)', () => {
    const { layer, clock, sender, requests, start } = makeLayer();
    const invite = request('INVITE');
    layer.receive(inbound(invite));
    const tx = requests[0]!.tx!;
    tx.respond(responseTo(invite, 486));
    clock.advance(20_000);
    // G = 500, 1000, 2000, 4000 (T2), 4000...: sends at 0, .5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5 s.
    expect(sender.timesOf('486', start)).toEqual([0, 500, 1500, 3500, 7500, 11_500, 15_500, 19_500]);
    layer.receive(inbound(request('INVITE')));
    expect(sender.timesOf('486', start)).toHaveLength(9);
    layer.receive(inbound(ackFor('z9hG4bKpeer1')));
    expect(tx.state).toBe('Confirmed');
    layer.receive(inbound(ackFor('z9hG4bKpeer1')));
    expect(requests).toHaveLength(1); // ACKs for the non-2xx never reach the TU
    clock.advance(4_000);
    expect(sender.timesOf('486', start)).toHaveLength(9); // G stopped
    // Confirmed until I, left to the layer as the key only (ExpiringEntries).
    expect(layer.counts().server).toBe(0);
    expect(layer.absorbing).toBe(1);
    layer.close();
  });

  it('ends exactly T4 after the ACK on UDP', () => {
    const { layer, clock, requests } = makeLayer();
    const invite = request('INVITE');
    layer.receive(inbound(invite));
    requests[0]!.tx!.respond(responseTo(invite, 480));
    layer.receive(inbound(ackFor('z9hG4bKpeer1')));
    clock.advance(4999);
    expect(layer.absorbing).toBe(1);
    // ACK and INVITE retransmissions are still absorbed, with no answer and no TU.
    layer.receive(inbound(ackFor('z9hG4bKpeer1')));
    layer.receive(inbound(invite));
    expect(requests).toHaveLength(1);
    clock.advance(1);
    expect(layer.absorbing).toBe(0);
    expect(layer.counts()).toEqual({ client: 0, server: 0 });
    expect(clock.pending).toBe(0);
    // Past Timer I the same INVITE is a new request.
    layer.receive(inbound(invite));
    expect(requests).toHaveLength(2);
    layer.close();
  });

  it('ends on Timer H without ACK and tells the TU', () => {
    const { layer, clock, requests } = makeLayer();
    const invite = request('INVITE');
    layer.receive(inbound(invite));
    const tx = requests[0]!.tx!;
    const reasons: ServerTerminationReason[] = [];
    tx.onTerminated = (r) => reasons.push(r);
    tx.respond(responseTo(invite, 486));
    clock.advance(31_999);
    expect(reasons).toEqual([]);
    clock.advance(1);
    expect(reasons).toEqual(['timeout']);
    expect(tx.state).toBe('Terminated');
    expect(layer.counts().server).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('on TCP: no G retransmissions and I = 0', () => {
    const { layer, clock, sender, requests } = makeLayer();
    const invite = request('INVITE', { protocol: 'tcp' });
    layer.receive(inbound(invite, 'tcp'));
    requests[0]!.tx!.respond(responseTo(invite, 486));
    clock.advance(10_000);
    expect(sender.summary()).toEqual(['486']);
    layer.receive(inbound(ackFor('z9hG4bKpeer1', 'tcp'), 'tcp'));
    expect(layer.counts().server).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('2xx: Accepted absorbs INVITE retransmissions, sends TU 2xx retransmissions, passes ACKs up, ends on L', () => {
    const { layer, clock, sender, requests } = makeLayer();
    const invite = request('INVITE');
    layer.receive(inbound(invite));
    const tx = requests[0]!.tx!;
    const ok = responseTo(invite, 200);
    tx.respond(ok);
    expect(tx.state).toBe('Accepted');
    layer.receive(inbound(request('INVITE')));
    expect(sender.summary()).toEqual(['200']);
    tx.respond(ok); // the TU's own 2xx retransmission (RFC 6026)
    expect(sender.summary()).toEqual(['200', '200']);
    // ACK for the 2xx with its own branch matches no transaction and goes to the TU.
    layer.receive(inbound(ackFor('z9hG4bKack2xx')));
    // An ACK reusing the INVITE's branch matches the IST in Accepted and still goes to the TU.
    layer.receive(inbound(ackFor('z9hG4bKpeer1')));
    expect(requests.map((r) => [r.req.method, r.tx])).toEqual([
      ['INVITE', tx],
      ['ACK', undefined],
      ['ACK', undefined],
    ]);
    clock.advance(31_999);
    expect(layer.counts().server).toBe(1);
    clock.advance(1);
    expect(layer.counts().server).toBe(0);
  });

  it('terminates on a transport error and tells the TU', async () => {
    const { layer, sender, requests } = makeLayer();
    const invite = request('INVITE');
    layer.receive(inbound(invite));
    const tx = requests[0]!.tx!;
    const reasons: ServerTerminationReason[] = [];
    tx.onTerminated = (r) => reasons.push(r);
    sender.fail = true;
    tx.respond(responseTo(invite, 180));
    await settle();
    expect(reasons).toEqual(['transport-error']);
    expect(layer.counts().server).toBe(0);
  });
});

describe('non-INVITE server transaction in the layer', () => {
  it('absorbs retransmissions in Trying, resends the final in Completed, ends on J = 64*T1 (UDP)', () => {
    const { layer, clock, sender, requests } = makeLayer();
    const options = request('OPTIONS');
    layer.receive(inbound(options));
    layer.receive(inbound(request('OPTIONS')));
    expect(sender.summary()).toEqual([]);
    requests[0]!.tx!.respond(responseTo(options, 200));
    layer.receive(inbound(request('OPTIONS')));
    expect(sender.summary()).toEqual(['200', '200']);
    expect(requests).toHaveLength(1);
    // Completed is kept by the layer as the final response alone (RetransmissionAbsorber).
    expect(layer.counts().server).toBe(0);
    clock.advance(31_999);
    expect(layer.absorbing).toBe(1);
    clock.advance(1);
    expect(layer.absorbing).toBe(0);
    // After J, the same request is new again.
    layer.receive(inbound(request('OPTIONS')));
    expect(requests).toHaveLength(2);
    layer.close();
  });

  it('uses J = 0 on TCP', () => {
    const { layer, requests } = makeLayer();
    const reg = request('REGISTER', { protocol: 'tcp' });
    layer.receive(inbound(reg, 'tcp'));
    requests[0]!.tx!.respond(responseTo(reg, 200));
    expect(layer.counts().server).toBe(0);
    expect(layer.absorbing).toBe(0); // nothing kept for retransmissions either
  });

  it('keys transactions by sent-by and method as well as branch', () => {
    const { layer, requests } = makeLayer();
    layer.receive(inbound(request('OPTIONS')));
    layer.receive(inbound(request('OPTIONS', { sentBy: '203.0.113.9:5060' })));
    layer.receive(inbound(request('INFO')));
    expect(requests).toHaveLength(3);
    expect(layer.counts().server).toBe(3);
    layer.close();
    expect(layer.counts().server).toBe(0);
  });
});

describe('RFC 2543 peers and malformed input', () => {
  it('matches retransmissions and the ACK without a magic-cookie branch', () => {
    const { layer, requests, sender } = makeLayer();
    const invite = request('INVITE', { branch: null });
    layer.receive(inbound(invite));
    layer.receive(inbound(request('INVITE', { branch: null })));
    expect(requests).toHaveLength(1);
    const tx = requests[0]!.tx!;
    tx.respond(responseTo(invite, 404));
    layer.receive(inbound(request('ACK', { branch: null })));
    expect(tx.state).toBe('Confirmed');
    expect(requests).toHaveLength(1);
    expect(sender.summary()).toEqual(['404']);
    layer.close();
  });

  it('drops requests without Via or CSeq and never throws', () => {
    const { layer, requests, strays } = makeLayer();
    const noVia = createRequest({ method: 'INVITE', uri: 'sip:x@y', headers: [{ name: 'CSeq', value: '1 INVITE' }] });
    const badCseq = createRequest({ method: 'OPTIONS', uri: 'sip:x@y', headers: [{ name: 'Via', value: 'SIP/2.0/UDP h;branch=z9hG4bKx' }, { name: 'CSeq', value: 'nonsense' }] });
    expect(() => layer.receive(inbound(noVia))).not.toThrow();
    expect(() => layer.receive(inbound(badCseq))).not.toThrow();
    const noBranch = responseTo(createRequest({ method: 'OPTIONS', uri: 'sip:x@y', headers: [{ name: 'CSeq', value: '1 OPTIONS' }] }), 200);
    expect(() => layer.receive(inbound(noBranch))).not.toThrow();
    expect(requests).toHaveLength(0);
    expect(strays).toHaveLength(1);
    expect(layer.counts()).toEqual({ client: 0, server: 0 });
  });

  it('contains a throwing TU', () => {
    const { layer } = makeLayer({
      onRequest: () => {
        throw new Error('TU bug');
      },
    });
    expect(() => layer.receive(inbound(request('OPTIONS')))).not.toThrow();
    layer.close();
  });
});
