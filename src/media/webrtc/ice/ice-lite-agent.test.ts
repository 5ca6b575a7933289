import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../core/index.js';
import {
  STUN_ATTR, iceRoleAttribute, isStunParseError, parseStunMessage, priorityAttribute, readErrorCode,
  readXorMappedAddress, serializeStunMessage, textAttribute, useCandidateAttribute, verifyFingerprint,
  verifyMessageIntegrity, type StunAttributeValue, type StunMessage,
} from '../stun/index.js';
import { IceLiteAgent } from './ice-lite-agent.js';
import { isValidIcePwd, isValidIceUfrag } from './ice-credentials.js';

const BROWSER = { ufrag: 'brws', pwd: 'browserpasswordbrowserpw' };
const SOURCE = { address: '192.0.2.10', port: 54321 };
let tidCounter = 0;

interface RequestOptions {
  username?: string | null;
  key?: string | null;
  useCandidate?: boolean;
  role?: 'controlling' | 'controlled';
  priority?: boolean;
  extra?: StunAttributeValue[];
  fingerprint?: boolean;
}

function request(agent: IceLiteAgent, o: RequestOptions = {}): Buffer {
  const tid = Buffer.alloc(12);
  tid.writeUInt32BE(++tidCounter, 8);
  const attrs: StunAttributeValue[] = [];
  const username = o.username === undefined ? `${agent.localCredentials.ufrag}:${BROWSER.ufrag}` : o.username;
  if (username !== null) attrs.push(textAttribute(STUN_ATTR.username, username));
  if (o.priority !== false) attrs.push(priorityAttribute(1853824767));
  attrs.push(iceRoleAttribute(o.role ?? 'controlling', 0x1234n));
  if (o.useCandidate) attrs.push(useCandidateAttribute());
  attrs.push(...(o.extra ?? []));
  const key = o.key === undefined ? agent.localCredentials.pwd : o.key;
  return serializeStunMessage({ method: 1, class: 'request', transactionId: tid, attributes: attrs },
    { ...(key !== null ? { integrityKey: Buffer.from(key) } : {}), fingerprint: o.fingerprint ?? true });
}

function parse(b: Buffer | undefined): StunMessage {
  const m = parseStunMessage(b ?? Buffer.alloc(0));
  if (isStunParseError(m)) throw new Error(m.reason);
  return m;
}

function agent(): IceLiteAgent {
  return new IceLiteAgent({ random: seededRandom(42), remote: BROWSER, software: 'Atende' });
}

describe('IceLiteAgent', () => {
  it('generates valid credentials', () => {
    const a = agent();
    expect(isValidIceUfrag(a.localCredentials.ufrag)).toBe(true);
    expect(isValidIcePwd(a.localCredentials.pwd)).toBe(true);
    expect(new IceLiteAgent({ random: seededRandom(43) }).localCredentials).not.toEqual(a.localCredentials);
  });

  it('answers a valid check with XOR-MAPPED-ADDRESS = source, integrity under our password and a fingerprint', () => {
    const a = agent();
    const req = request(a);
    const out = a.handleBinding(req, SOURCE, 0);
    expect(out.kind).toBe('accepted');
    expect(out.state).toBe('connected');
    expect(out.selected).toBeUndefined();
    const res = parse(out.response);
    expect(res.class).toBe('success');
    expect(res.transactionId).toEqual(req.subarray(8, 20));
    expect(readXorMappedAddress(res)).toEqual(SOURCE);
    expect(verifyMessageIntegrity(res, Buffer.from(a.localCredentials.pwd))).toBe(true);
    expect(verifyFingerprint(res)).toBe(true);
  });

  it('selects the source of a USE-CANDIDATE check, and only an authenticated one moves it', () => {
    const a = agent();
    const out = a.handleBinding(request(a, { useCandidate: true }), SOURCE, 0);
    expect(out).toMatchObject({ kind: 'accepted', nominated: true, selectedChanged: true, state: 'completed', selected: SOURCE });
    expect(a.isSelected(SOURCE)).toBe(true);
    const attacker = { address: '198.51.100.66', port: 4000 };
    const forged = a.handleBinding(request(a, { useCandidate: true, key: 'guessedpasswordguessedp' }), attacker, 1);
    expect(forged.kind).toBe('rejected');
    expect(a.selected).toEqual(SOURCE);
    // The browser renominates another of its addresses: media moves there.
    const moved = { address: '2001:db8::7', port: 5000 };
    const again = a.handleBinding(request(a, { useCandidate: true }), moved, 2);
    expect(again).toMatchObject({ selectedChanged: true, selected: moved });
    expect(readXorMappedAddress(parse(again.response))).toEqual(moved);
    expect(a.handleBinding(request(a, { useCandidate: true }), moved, 3).selectedChanged).toBe(false);
  });

  it('rejects with 400 when USERNAME, MESSAGE-INTEGRITY or PRIORITY is missing, without integrity', () => {
    const a = agent();
    for (const o of [{ username: null }, { key: null }, { priority: false }] as RequestOptions[]) {
      const out = a.handleBinding(request(a, o), SOURCE, 0);
      expect(out.kind).toBe('rejected');
      expect(out.errorCode).toBe(400);
      const res = parse(out.response);
      expect(res.class).toBe('error');
      expect(readErrorCode(res)?.code).toBe(400);
      expect(res.integrityOffset).toBe(-1);
    }
    expect(a.state).toBe('new');
  });

  it('rejects with 401 a wrong ufrag (either half) or a wrong password', () => {
    const a = agent();
    for (const o of [
      { username: `nope:${BROWSER.ufrag}` },
      { username: `${a.localCredentials.ufrag}:other` },
      { key: 'wrongpasswordwrongpassw' },
    ] as RequestOptions[]) {
      const out = a.handleBinding(request(a, { ...o, useCandidate: true }), SOURCE, 0);
      expect(out.errorCode).toBe(401);
      expect(readErrorCode(parse(out.response))?.reason).toBe('Unauthorized');
    }
    expect(a.selected).toBeUndefined();
  });

  it('accepts any remote ufrag before the remote description is known', () => {
    const a = new IceLiteAgent({ random: seededRandom(1) });
    expect(a.handleBinding(request(a), SOURCE, 0).kind).toBe('accepted');
  });

  it('answers 420 for unknown required attributes and 487 to a peer that is controlled too', () => {
    const a = agent();
    const unknown = a.handleBinding(request(a, { extra: [{ type: 0x0033, value: Buffer.alloc(4) }] }), SOURCE, 0);
    expect(unknown.errorCode).toBe(420);
    const conflict = a.handleBinding(request(a, { role: 'controlled' }), SOURCE, 0);
    expect(conflict.errorCode).toBe(487);
    expect(verifyMessageIntegrity(parse(conflict.response), Buffer.from(a.localCredentials.pwd))).toBe(true);
  });

  it('ignores non-STUN, responses and bad fingerprints without answering', () => {
    const a = agent();
    expect(a.handleBinding(Buffer.from([0x80, 0, 0, 1, 2, 3]), SOURCE, 0)).toMatchObject({ kind: 'ignored' });
    expect(a.handleBinding(Buffer.alloc(24), SOURCE, 0).kind).toBe('ignored');
    const res = a.handleBinding(request(a), SOURCE, 0).response!;
    expect(a.handleBinding(res, SOURCE, 0).kind).toBe('ignored');
    const bad = request(a);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
    const out = a.handleBinding(bad, SOURCE, 0);
    expect(out.kind).toBe('ignored');
    expect(out.response).toBeUndefined();
  });

  it('reports consent expired 30 s after the last valid check from the selected address (RFC 7675)', () => {
    const a = agent();
    expect(a.consent(0)).toBe('pending');
    a.handleBinding(request(a, { useCandidate: true }), SOURCE, 1_000);
    expect(a.consent(20_000)).toBe('fresh');
    a.handleBinding(request(a), SOURCE, 20_000); // the browser's consent check
    a.handleBinding(request(a), { address: '192.0.2.99', port: 1 }, 45_000); // another pair: no refresh
    expect(a.consent(49_999)).toBe('fresh');
    expect(a.consent(50_000)).toBe('expired');
    expect(a.state).toBe('disconnected');
    a.handleBinding(request(a), SOURCE, 51_000);
    expect(a.state).toBe('completed');
    expect(a.consent(51_000)).toBe('fresh');
  });

  it('restarts with new credentials; old ones are then refused', () => {
    const a = agent();
    const old = request(a);
    const fresh = a.restart(seededRandom(99), { ufrag: 'new1', pwd: 'anotherbrowserpasswordx' });
    expect(fresh).toEqual(a.localCredentials);
    expect(a.handleBinding(old, SOURCE, 0).errorCode).toBe(401);
  });
});
