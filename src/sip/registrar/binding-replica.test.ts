import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import type { Binding } from './binding.js';
import { BindingReplica } from './binding-replica.js';

const T0 = 1_700_000_000_000;

function binding(aor: string, contact: string, o: { q?: number; updatedAt?: number; expiresAt?: number } = {}): Binding {
  const b: Binding = {
    aor,
    contact,
    expiresAt: o.expiresAt ?? T0 + 3_600_000,
    callId: `call-${contact}`,
    cseq: 1,
    path: [],
    source: { protocol: 'udp', address: '192.168.1.20', port: 5060 },
    updatedAt: o.updatedAt ?? T0,
  };
  if (o.q !== undefined) b.q = o.q;
  return b;
}

const contactsOf = (list: Binding[]): string[] => list.map((b) => b.contact);

describe('BindingReplica', () => {
  it('looks up best first: q descending (unset ranks as 1.0), then most recently updated', () => {
    const replica = new BindingReplica(new ManualClock(T0));
    replica.replace('1001', [
      binding('1001', 'sip:low@a', { q: 0.1, updatedAt: T0 + 50 }),
      binding('1001', 'sip:old@a', { updatedAt: T0 - 10 }),
      binding('1001', 'sip:half@a', { q: 0.5 }),
      binding('1001', 'sip:new@a', { q: 1, updatedAt: T0 + 10 }),
    ]);
    expect(contactsOf(replica.lookup('1001'))).toEqual(['sip:new@a', 'sip:old@a', 'sip:half@a', 'sip:low@a']);
  });

  it('replaces an AOR as a whole and leaves other AORs alone', () => {
    const replica = new BindingReplica(new ManualClock(T0));
    replica.replace('1001', [binding('1001', 'sip:a@a'), binding('1001', 'sip:b@a')]);
    replica.replace('1002', [binding('1002', 'sip:c@a')]);
    replica.replace('1001', [binding('1001', 'sip:d@a')]);
    expect(contactsOf(replica.lookup('1001'))).toEqual(['sip:d@a']);
    expect(contactsOf(replica.lookup('1002'))).toEqual(['sip:c@a']);
    expect(replica.lookup('1003')).toEqual([]);
  });

  it('hides bindings once the clock reaches their expiry', () => {
    const clock = new ManualClock(T0);
    const replica = new BindingReplica(clock);
    replica.replace('1001', [binding('1001', 'sip:short@a', { expiresAt: T0 + 60_000, updatedAt: T0 + 1 }), binding('1001', 'sip:long@a')]);
    expect(replica.count()).toBe(2);
    clock.advance(59_999);
    expect(contactsOf(replica.lookup('1001'))).toEqual(['sip:short@a', 'sip:long@a']);
    clock.advance(1);
    expect(contactsOf(replica.lookup('1001'))).toEqual(['sip:long@a']);
    expect(contactsOf(replica.listAll())).toEqual(['sip:long@a']);
    expect(replica.count()).toBe(1);
    // What a replacement thread starts from keeps the expired one: its location service purges it.
    expect(contactsOf(replica.all()).sort()).toEqual(['sip:long@a', 'sip:short@a']);
  });

  it('forgets an AOR given an empty list', () => {
    const replica = new BindingReplica(new ManualClock(T0));
    replica.replace('1001', [binding('1001', 'sip:a@a')]);
    replica.replace('1002', [binding('1002', 'sip:b@a')]);
    replica.replace('1001', []);
    expect(replica.lookup('1001')).toEqual([]);
    expect(contactsOf(replica.listAll())).toEqual(['sip:b@a']);
    expect(replica.count()).toBe(1);
  });

  it('lists and counts every unexpired binding of every AOR, and clears', () => {
    const replica = new BindingReplica(new ManualClock(T0));
    replica.replace('1001', [binding('1001', 'sip:a@a'), binding('1001', 'sip:gone@a', { expiresAt: T0 })]);
    replica.replace('1002', [binding('1002', 'sip:b@a'), binding('1002', 'sip:c@a')]);
    expect(contactsOf(replica.listAll()).sort()).toEqual(['sip:a@a', 'sip:b@a', 'sip:c@a']);
    expect(replica.count()).toBe(3);
    replica.clear();
    expect(replica.all()).toEqual([]);
    expect(replica.listAll()).toEqual([]);
    expect(replica.count()).toBe(0);
    expect(replica.lookup('1001')).toEqual([]);
  });
});
