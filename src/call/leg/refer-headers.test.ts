import { describe, expect, it } from 'vitest';
import { createRequest, isParseError } from '../../sip/message/index.js';
import { parseReplaces, parseReferTo, parseSipfragStatus, parseSubscriptionState, referTargetOf, sipfragBody, wantsReferSubscription } from './refer-headers.js';

function refer(headers: { name: string; value: string }[]) {
  return createRequest({ method: 'REFER', uri: 'sip:atende@127.0.0.1', headers, body: Buffer.alloc(0) });
}

describe('Refer-To', () => {
  it('takes a name-addr and keeps the target without URI headers', () => {
    const t = parseReferTo('"Recepção" <sip:1003@atende.local;user=phone>');
    expect(isParseError(t)).toBe(false);
    if (isParseError(t)) return;
    expect(t.target).toBe('sip:1003@atende.local;user=phone');
    expect(t.method).toBe('INVITE');
    expect(t.replaces).toBeUndefined();
    expect('host' in t.uri && t.uri.user).toBe('1003');
  });

  it('finds Replaces (attended transfer) among the URI headers, unescaped', () => {
    const t = parseReferTo('<sip:1003@atende.local?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>');
    if (isParseError(t)) throw new Error(t.reason);
    expect(t.replaces).toBe('abc@host;to-tag=1;from-tag=2');
    expect(t.target).toBe('sip:1003@atende.local');
  });

  it('takes an addr-spec and a tel URI; refuses garbage', () => {
    const a = parseReferTo('sip:1003@atende.local');
    expect(!isParseError(a) && a.target).toBe('sip:1003@atende.local');
    const tel = parseReferTo('<tel:+551130001000>');
    expect(!isParseError(tel) && tel.target).toBe('tel:+551130001000');
    expect(isParseError(parseReferTo('<not a uri'))).toBe(true);
  });

  it('wants exactly one Refer-To in a REFER (compact form r counts)', () => {
    expect(isParseError(referTargetOf(refer([])))).toBe(true);
    expect(isParseError(referTargetOf(refer([{ name: 'Refer-To', value: '<sip:a@x>' }, { name: 'r', value: '<sip:b@x>' }])))).toBe(true);
    const one = referTargetOf(refer([{ name: 'r', value: '<sip:b@x>' }]));
    expect(!isParseError(one) && one.target).toBe('sip:b@x');
  });
});

describe('Refer-Sub, sipfrag, Subscription-State', () => {
  it('reads Refer-Sub: false (RFC 4488); anything else keeps the subscription', () => {
    expect(wantsReferSubscription(refer([]))).toBe(true);
    expect(wantsReferSubscription(refer([{ name: 'Refer-Sub', value: 'false' }]))).toBe(false);
    expect(wantsReferSubscription(refer([{ name: 'Refer-Sub', value: 'true' }]))).toBe(true);
  });

  it('writes and reads sipfrag status lines', () => {
    expect(sipfragBody(486, 'Busy Here')).toBe('SIP/2.0 486 Busy Here\r\n');
    expect(parseSipfragStatus(sipfragBody(200, 'OK'))).toBe(200);
    expect(parseSipfragStatus('SIP/2.0 100 Trying\r\nContent-Length: 0\r\n')).toBe(100);
    expect(parseSipfragStatus('INVITE sip:x SIP/2.0')).toBeUndefined();
    expect(parseSipfragStatus('')).toBeUndefined();
  });

  it('reads Subscription-State', () => {
    expect(parseSubscriptionState('terminated;reason=noresource')).toEqual({ state: 'terminated', reason: 'noresource' });
    expect(parseSubscriptionState('active;expires=60')).toEqual({ state: 'active' });
    expect(parseSubscriptionState(undefined)).toBeUndefined();
  });
});

describe('Replaces (RFC 3891)', () => {
  it('reads the Call-ID and both tags; refuses a value missing one', () => {
    expect(parseReplaces('abc@host;to-tag=1;from-tag=2')).toEqual({ callId: 'abc@host', toTag: '1', fromTag: '2', earlyOnly: false });
    expect(parseReplaces('abc@host;from-tag=2;to-tag=1;early-only')).toEqual({ callId: 'abc@host', toTag: '1', fromTag: '2', earlyOnly: true });
    expect(isParseError(parseReplaces('abc@host;to-tag=1'))).toBe(true);
    expect(isParseError(parseReplaces(';to-tag=1;from-tag=2'))).toBe(true);
  });
});
