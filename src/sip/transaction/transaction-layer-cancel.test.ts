import { describe, expect, it } from 'vitest';
import { getHeader, topVia } from '../message/index.js';
import type { SipRequest, SipResponse } from '../message/types.js';
import { inbound, makeLayer, request, responseTo, udpTarget } from './layer-test-harness.js';

function sentRequest(sent: { message: unknown }[], method: string): SipRequest {
  const found = sent.map((s) => s.message as SipRequest).find((m) => m.type === 'request' && m.method === method);
  if (!found) throw new Error(`no ${method} sent`);
  return found;
}

describe('CANCEL on the server side (RFC 3261 9.2)', () => {
  it('delivers the CANCEL with the INVITE transaction it matches; 200 + 487 + ACK leave nothing behind', () => {
    const { layer, clock, sender, requests } = makeLayer({
      onRequest: ({ req, tx, cancelled }) => {
        if (req.method !== 'CANCEL' || !tx || !cancelled) return;
        tx.respond(responseTo(req, 200));
        cancelled.respond(responseTo(cancelled.request, 487));
      },
    });
    const invite = request('INVITE');
    layer.receive(inbound(invite));
    const ist = requests[0]!.tx!;
    ist.respond(responseTo(invite, 180));
    layer.receive(inbound(request('CANCEL')));
    expect(requests[1]!.req.method).toBe('CANCEL');
    expect(requests[1]!.cancelled).toBe(ist);
    expect(sender.summary()).toEqual(['180', '200', '487']);
    expect(getHeader(sender.sent[1]!.message, 'CSeq')).toBe('1 CANCEL');
    expect(getHeader(sender.sent[2]!.message, 'CSeq')).toBe('1 INVITE');
    layer.receive(inbound(request('ACK')));
    expect(ist.state).toBe('Confirmed');
    clock.advance(64 * 500);
    expect(layer.counts()).toEqual({ client: 0, server: 0 });
    expect(clock.pending).toBe(0);
  });

  it('passes no INVITE transaction when the CANCEL matches none (the TU answers 481)', () => {
    const { layer, requests } = makeLayer();
    layer.receive(inbound(request('INVITE', { branch: 'z9hG4bKother' })));
    layer.receive(inbound(request('CANCEL')));
    expect(requests[1]!.req.method).toBe('CANCEL');
    expect(requests[1]!.tx).toBeDefined();
    expect(requests[1]!.cancelled).toBeUndefined();
    layer.close();
  });
});

describe('CANCEL on the client side (RFC 3261 9.1)', () => {
  it('waits for a provisional, then sends CANCEL with the same branch; 200 and 487 complete both', async () => {
    const { layer, clock, sender } = makeLayer();
    const finals: SipResponse[] = [];
    const invite = request('INVITE', { branch: 'z9hG4bKcan1', cseq: 5 });
    const tx = layer.sendRequest(invite, udpTarget, { onFinal: (r) => finals.push(r) });
    const result = tx.cancel();
    expect(tx.cancel()).toBe(result);
    expect(sender.summary()).toEqual(['INVITE']);
    layer.receive(inbound(responseTo(invite, 180)));
    expect(sender.summary()).toEqual(['INVITE', 'CANCEL']);
    const cancel = sentRequest(sender.sent, 'CANCEL');
    expect(topVia(cancel)?.params['branch']).toBe('z9hG4bKcan1');
    expect(getHeader(cancel, 'CSeq')).toBe('5 CANCEL');
    expect(getHeader(cancel, 'To')).toBe(getHeader(invite, 'To'));
    expect(getHeader(cancel, 'Route')).toBe('<sip:proxy.example;lr>');
    expect(cancel.uri).toBe(invite.uri);
    expect(layer.counts().client).toBe(2);
    layer.receive(inbound(responseTo(cancel, 200)));
    expect((await result)?.status).toBe(200);
    layer.receive(inbound(responseTo(invite, 487)));
    expect(finals.map((r) => r.status)).toEqual([487]);
    expect(sender.summary()).toEqual(['INVITE', 'CANCEL', 'ACK']);
    clock.advance(32_000);
    expect(layer.counts()).toEqual({ client: 0, server: 0 });
    expect(clock.pending).toBe(0);
  });

  it('sends CANCEL at once when a provisional already came', () => {
    const { layer, sender } = makeLayer();
    const invite = request('INVITE', { branch: 'z9hG4bKcan2' });
    const tx = layer.sendRequest(invite, udpTarget, { onFinal: () => {} });
    layer.receive(inbound(responseTo(invite, 100)));
    void tx.cancel();
    expect(sender.summary()).toEqual(['INVITE', 'CANCEL']);
    layer.close();
  });

  it('sends nothing and resolves undefined when the final response wins', async () => {
    const { layer, sender } = makeLayer();
    const invite = request('INVITE', { branch: 'z9hG4bKcan3' });
    const tx = layer.sendRequest(invite, udpTarget, { onFinal: () => {} });
    const pending = tx.cancel();
    layer.receive(inbound(responseTo(invite, 486)));
    expect(await pending).toBeUndefined();
    expect(await tx.cancel()).toBeUndefined();
    expect(sender.summary()).toEqual(['INVITE', 'ACK']);
    layer.close();
  });

  it('gives up on the INVITE 64*T1 after the CANCEL when no final response comes (408)', async () => {
    const { layer, clock, sender } = makeLayer();
    const finals: SipResponse[] = [];
    const invite = request('INVITE', { branch: 'z9hG4bKcan4' });
    const tx = layer.sendRequest(invite, udpTarget, { onFinal: (r) => finals.push(r) });
    layer.receive(inbound(responseTo(invite, 180)));
    const result = tx.cancel();
    layer.receive(inbound(responseTo(sentRequest(sender.sent, 'CANCEL'), 200)));
    expect((await result)?.status).toBe(200);
    clock.advance(31_999);
    expect(finals).toEqual([]);
    clock.advance(1);
    expect(finals.map((r) => r.status)).toEqual([408]);
    expect(layer.counts()).toEqual({ client: 0, server: 0 });
    expect(clock.pending).toBe(0);
  });
});
