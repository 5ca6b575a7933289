import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../../core/index.js';
import { cseq, getHeader, getHeaderValues } from '../message/index.js';
import type { SipResponse } from '../message/index.js';
import { fixtureInvite, fixtureResponse, requestFromAlice, uacDialog } from './dialog-fixtures.js';
import { acceptReliableProvisional, buildPrack, isReliableProvisional } from './prack-client.js';
import {
  initialReliableProvisionalState,
  parseRAck,
  ReliableProvisionalSender,
  reliableProvisionalTransition,
  supportsExtension,
} from './reliable-provisional.js';

const T1 = 500;

function setup() {
  const clock = new ManualClock(0);
  const sent: { at: number; response: SipResponse }[] = [];
  const timeouts: SipResponse[] = [];
  const acked: number[] = [];
  const sender = new ReliableProvisionalSender({
    clock,
    random: seededRandom(42),
    inviteSeq: 314159,
    transmit: (response) => sent.push({ at: clock.now(), response }),
    onTimeout: (r) => timeouts.push(r),
    onAcknowledged: (rseq) => acked.push(rseq),
  });
  return { clock, sent, timeouts, acked, sender };
}

const rseqOf = (r: SipResponse): number => Number(getHeader(r, 'RSeq'));
const prack = (rseq: number, seq = 314159, method = 'INVITE') => requestFromAlice('PRACK', 314160, [`RAck: ${rseq} ${seq} ${method}`]);

describe('ReliableProvisionalSender (RFC 3262 3, UAS)', () => {
  it('stamps Require: 100rel and an RSeq in 1..2^31-1, retransmits at T1 doubling, times out at 64*T1', () => {
    const { clock, sent, timeouts, sender } = setup();
    sender.send(fixtureResponse(183, 'bobtag', 'sip:bob@192.0.2.4'));
    const first = sent[0]!.response;
    expect(getHeaderValues(first, 'Require')).toContain('100rel');
    const rseq = rseqOf(first);
    expect(rseq).toBeGreaterThanOrEqual(1);
    expect(rseq).toBeLessThanOrEqual(2 ** 31 - 1);
    clock.advance(64 * T1 - 1);
    expect(sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(sent.every((s) => rseqOf(s.response) === rseq)).toBe(true);
    expect(timeouts).toHaveLength(0);
    clock.advance(1);
    expect(timeouts).toHaveLength(1);
    expect(sender.phase).toBe('closed');
    expect(clock.pending).toBe(0);
    clock.advance(100_000);
    expect(sent).toHaveLength(7);
  });

  it('a matching PRACK stops retransmissions and is answered 200; a wrong RAck gets 481', () => {
    const { clock, sent, acked, sender } = setup();
    sender.send(fixtureResponse(180, 'bobtag', 'sip:bob@192.0.2.4'));
    const rseq = rseqOf(sent[0]!.response);
    clock.advance(600);
    expect(sent).toHaveLength(2);
    expect(sender.prack(prack(rseq + 1))).toBe(481);
    expect(sender.prack(prack(rseq, 1))).toBe(481);
    expect(sender.prack(prack(rseq))).toBe(200);
    expect(acked).toEqual([rseq]);
    expect(clock.pending).toBe(0);
    clock.advance(60_000);
    expect(sent).toHaveLength(2);
    // The same PRACK again matches nothing.
    expect(sender.prack(prack(rseq))).toBe(481);
  });

  it('queues a second reliable 1xx until the first is PRACKed, then sends it with RSeq + 1', () => {
    const { sent, sender } = setup();
    sender.send(fixtureResponse(180, 'bobtag', 'sip:bob@192.0.2.4'));
    sender.send(fixtureResponse(183, 'bobtag', 'sip:bob@192.0.2.4'));
    expect(sent).toHaveLength(1);
    const rseq = rseqOf(sent[0]!.response);
    expect(sender.prack(prack(rseq))).toBe(200);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.response.status).toBe(183);
    expect(rseqOf(sent[1]!.response)).toBe(rseq + 1);
  });

  it('close stops everything and is safe twice', () => {
    const { clock, sent, sender } = setup();
    sender.send(fixtureResponse(180, 'bobtag', 'sip:bob@192.0.2.4'));
    sender.close();
    sender.close();
    clock.advance(60_000);
    expect(sent).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it('the pure transition ignores timers while idle', () => {
    const s = initialReliableProvisionalState(seededRandom(1), 1);
    expect(reliableProvisionalTransition(s, { type: 'timer' }).effects).toEqual([]);
  });
});

describe('RAck and extension parsing', () => {
  it('parses RAck and refuses garbage', () => {
    expect(parseRAck('776656 1 INVITE')).toEqual({ rseq: 776656, seq: 1, method: 'INVITE' });
    expect(parseRAck('0 1 INVITE')).toBeUndefined();
    expect(parseRAck('x 1 INVITE')).toBeUndefined();
    expect(parseRAck(undefined)).toBeUndefined();
  });

  it('supportsExtension reads Supported and Require', () => {
    expect(supportsExtension(requestFromAlice('INVITE', 1, ['Supported: timer, 100rel']), '100rel')).toBe(true);
    expect(supportsExtension(fixtureInvite(), '100rel')).toBe(false);
  });
});

describe('PRACK client (RFC 3262 4, UAC)', () => {
  const reliable = (rseq: number) =>
    fixtureResponse(183, 'bobtag', 'sip:bob@192.0.2.4', [
      { name: 'Require', value: '100rel' },
      { name: 'RSeq', value: String(rseq) },
    ]);

  it('recognises reliable provisionals', () => {
    expect(isReliableProvisional(reliable(5))).toBe(true);
    expect(isReliableProvisional(fixtureResponse(183, 'bobtag', 'sip:b@h'))).toBe(false);
  });

  it('accepts the first RSeq and then only +1; duplicates and gaps are ignored', () => {
    const early = uacDialog(183);
    const first = acceptReliableProvisional(early, reliable(100));
    if (!first.accept) throw new Error(first.reason);
    expect(first.dialog.remoteRSeq).toBe(100);
    expect(acceptReliableProvisional(first.dialog, reliable(100))).toEqual({ accept: false, reason: 'duplicate' });
    expect(acceptReliableProvisional(first.dialog, reliable(102))).toEqual({ accept: false, reason: 'out-of-order' });
    expect(acceptReliableProvisional(first.dialog, reliable(101)).accept).toBe(true);
    expect(acceptReliableProvisional(early, fixtureResponse(180, 'bobtag', 'sip:b@h'))).toEqual({ accept: false, reason: 'not-reliable' });
  });

  it('builds the PRACK on the early dialog with RAck and a new CSeq', () => {
    const early = uacDialog(183);
    const built = buildPrack(early, reliable(776656));
    if (built === undefined) throw new Error('no PRACK');
    expect(built.request.method).toBe('PRACK');
    expect(built.request.uri).toBe('sip:bob@192.0.2.4');
    expect(getHeader(built.request, 'RAck')).toBe('776656 314159 INVITE');
    expect(cseq(built.request)).toEqual({ seq: 314160, method: 'PRACK' });
    expect(built.dialog.localSeq).toBe(314160);
    // The UAS sender accepts exactly this PRACK.
    const clock = new ManualClock(0);
    let stamped: SipResponse | undefined;
    const s2 = new ReliableProvisionalSender({
      clock, random: seededRandom(3), inviteSeq: 314159, transmit: (r) => (stamped = r), onTimeout: () => {},
    });
    s2.send(fixtureResponse(183, 'bobtag', 'sip:bob@192.0.2.4'));
    const p = buildPrack(early, stamped!);
    expect(s2.prack(p!.request)).toBe(200);
    s2.close();
  });
});
