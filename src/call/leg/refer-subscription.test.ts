// The REFER issuer and recipient over fake transactions and a fixture dialog: the orders and
// edge cases the interop tests do not reach (NOTIFY before the 202, timeouts, refusals).
import { describe, expect, it } from 'vitest';
import { cryptoRandom, ManualClock, silentLogger } from '../../core/index.js';
import { createResponse, getHeader, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import type { ClientTransactionHandlers, ServerTransaction } from '../../sip/transaction/index.js';
import { requestFromAlice, uasDialog } from '../../sip/dialog/dialog-fixtures.js';
import type { CallSignallingDeps, DialogSide } from '../signalling/types.js';
import { HangupError } from './hangup-error.js';
import { isTransferError, ReferIssuer } from './refer-issuer.js';
import { ReferRecipient } from './refer-recipient.js';

interface Sent {
  req: SipRequest;
  handlers: ClientTransactionHandlers;
}

function harness() {
  const clock = new ManualClock();
  const sent: Sent[] = [];
  // Only what the REFER code touches; the rest of the SIP stack is not needed here.
  const deps = {
    transactions: { sendRequest: (req: SipRequest, _t: unknown, handlers: ClientTransactionHandlers) => sent.push({ req, handlers }) },
    localContact: () => 'sip:atende@192.0.2.1:5060',
    clock,
    random: cryptoRandom,
    logger: silentLogger(),
  } as unknown as CallSignallingDeps;
  const side: DialogSide = { dialog: uasDialog(), target: { protocol: 'udp', address: '192.0.2.9', port: 5060 } };
  return { clock, sent, deps, side };
}

function serverTx(): ServerTransaction & { responses: SipResponse[] } {
  const responses: SipResponse[] = [];
  // A stand-in: the recipient only answers through respond().
  return { responses, respond: (res: SipResponse) => responses.push(res) } as unknown as ServerTransaction & { responses: SipResponse[] };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

function notify(seq: number, body: string, state: string, event = 'refer'): SipRequest {
  return requestFromAlice('NOTIFY', seq, [`Event: ${event}`, `Subscription-State: ${state}`, 'Content-Type: message/sipfrag;version=2.0'], body);
}

describe('ReferIssuer', () => {
  it('sends REFER with Refer-To and Referred-By; a final 200 NOTIFY before the 202 still settles it', async () => {
    const h = harness();
    const issuer = new ReferIssuer({ deps: h.deps, side: () => h.side, legId: 'l1' });
    const p = issuer.transfer('sip:2002@example.test');
    const refer = h.sent[0]?.req;
    expect(refer?.method).toBe('REFER');
    expect(getHeader(refer!, 'Refer-To')).toBe('<sip:2002@example.test>');
    expect(getHeader(refer!, 'Referred-By')).toBe('<sip:bob@biloxi.example.com>');
    const tx = serverTx();
    issuer.onNotify(notify(10, 'SIP/2.0 200 OK\r\n', 'terminated;reason=noresource'), tx);
    expect(tx.responses[0]?.status).toBe(200);
    await expect(p).resolves.toBeUndefined();
    h.sent[0]?.handlers.onFinal(createResponse(refer!, 202, 'Accepted'));
    // The subscription is over: a late NOTIFY gets 481.
    const late = serverTx();
    issuer.onNotify(notify(11, 'SIP/2.0 200 OK\r\n', 'terminated'), late);
    expect(late.responses[0]?.status).toBe(481);
  });

  it('answers 489 to another event, rejects with 408 when no outcome comes in time, one transfer at a time', async () => {
    const h = harness();
    const issuer = new ReferIssuer({ deps: h.deps, side: () => h.side, legId: 'l1' });
    const p = issuer.transfer('sip:2002@example.test', { timeoutMs: 5000 });
    const second = await issuer.transfer('sip:2003@example.test').catch((e: unknown) => e);
    expect(isTransferError(second) && second.status).toBe(491);
    h.sent[0]?.handlers.onFinal(createResponse(h.sent[0].req, 202, 'Accepted'));
    const tx = serverTx();
    issuer.onNotify(notify(10, 'SIP/2.0 100 Trying\r\n', 'active', 'presence'), tx);
    expect(tx.responses[0]?.status).toBe(489);
    h.clock.advance(5000);
    const err = await p.catch((e: unknown) => e);
    expect(isTransferError(err) && err.status).toBe(408);
  });

  it('settles on a 2xx with Refer-Sub: false; a leg that ends rejects a pending transfer with its HangupError', async () => {
    const h = harness();
    const issuer = new ReferIssuer({ deps: h.deps, side: () => h.side, legId: 'l1' });
    const p = issuer.transfer('sip:2002@example.test', { noSubscription: true });
    expect(getHeader(h.sent[0]!.req, 'Refer-Sub')).toBe('false');
    h.sent[0]?.handlers.onFinal(createResponse(h.sent[0].req, 202, 'Accepted', { headers: [{ name: 'Refer-Sub', value: 'false' }] }));
    await expect(p).resolves.toBeUndefined();
    const q = issuer.transfer('sip:2002@example.test');
    issuer.close(new HangupError('normal'));
    await expect(q).rejects.toBeInstanceOf(HangupError);
    await expect(issuer.transfer('sip:2002@example.test')).rejects.toBeInstanceOf(HangupError);
  });
});

describe('ReferRecipient', () => {
  function refer(seq: number, extra: string[] = []): SipRequest {
    return requestFromAlice('REFER', seq, ['Refer-To: <sip:1003@atende.local>', 'Referred-By: <sip:alice@atlanta.example.com>', ...extra]);
  }

  it('a handler that throws or decides nothing gets the REFER 603; a non-final reject status becomes 603', async () => {
    const h = harness();
    const r = new ReferRecipient({ deps: h.deps, side: () => h.side, answered: () => true, legId: 'l1' });
    r.setHandler(() => {
      throw new Error('boom');
    });
    const t1 = serverTx();
    r.receive(refer(10), t1);
    await flush();
    expect(t1.responses.map((x) => x.status)).toEqual([603]);
    r.setHandler((x) => x.reject(200));
    const t2 = serverTx();
    r.receive(refer(11), t2);
    await flush();
    expect(t2.responses.map((x) => x.status)).toEqual([603]);
  });

  it('NOTIFYs go in order, one after the other was answered; the second subscription carries an id', async () => {
    const h = harness();
    const r = new ReferRecipient({ deps: h.deps, side: () => h.side, answered: () => true, legId: 'l1' });
    const reports: Promise<void>[] = [];
    r.setHandler((x) => {
      x.accept();
      reports.push(x.report(486, 'Busy Here'));
    });
    const t1 = serverTx();
    r.receive(refer(10), t1);
    await flush();
    expect(t1.responses[0]?.status).toBe(202);
    // Only the 100 Trying is out until it is answered.
    expect(h.sent.map((s) => s.req.body.toString())).toEqual(['SIP/2.0 100 Trying\r\n']);
    expect(getHeader(h.sent[0]!.req, 'Event')).toBe('refer');
    h.sent[0]?.handlers.onFinal(createResponse(h.sent[0].req, 200, 'OK'));
    await flush();
    expect(h.sent[1]?.req.body.toString()).toBe('SIP/2.0 486 Busy Here\r\n');
    expect(getHeader(h.sent[1]!.req, 'Subscription-State')).toBe('terminated;reason=noresource');
    h.sent[1]?.handlers.onTimeout?.(new Error('timeout') as never);
    await reports[0];
    const t2 = serverTx();
    r.receive(refer(12), t2);
    await flush();
    expect(getHeader(h.sent[2]!.req, 'Event')).toBe('refer;id=12');
    // A closed recipient (the leg ended) refuses and sends nothing more.
    r.close();
    const t3 = serverTx();
    r.receive(refer(13), t3);
    expect(t3.responses[0]?.status).toBe(403);
  });
});
