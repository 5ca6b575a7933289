import { describe, expect, it } from 'vitest';
import { RtpLatch } from './rtp-latch.js';

const opts = { windowMs: 1000, windowPackets: 5 };

describe('RtpLatch', () => {
  it('accepts the signalled source and drops others once the window closed by packets', () => {
    const l = new RtpLatch(opts);
    l.signal('10.0.0.1', 4000, 4, 0);
    for (let i = 0; i < 5; i++) expect(l.check('10.0.0.1', 4000, 4, 10)).toBe('accept');
    expect(l.check('10.0.0.9', 5000, 4, 20)).toBe('drop');
    expect(l.latched).toBe(false);
  });

  it('latches once to a NATed source inside the window, then refuses to move again', () => {
    const l = new RtpLatch(opts);
    l.signal('192.168.1.5', 4000, 4, 0);
    expect(l.check('203.0.113.7', 61000, 4, 100)).toBe('latched');
    expect(l.address).toBe('203.0.113.7');
    expect(l.port).toBe(61000);
    expect(l.check('203.0.113.7', 61000, 4, 120)).toBe('accept');
    expect(l.check('198.51.100.1', 7000, 4, 130)).toBe('drop');
  });

  it('takes the signalled source back from a wrong latch, even after the window', () => {
    const l = new RtpLatch(opts);
    l.signal('127.0.0.1', 4000, 4, 0);
    // Someone else's packet got there first and took the latch...
    expect(l.check('127.0.0.1', 41125, 4, 10)).toBe('latched');
    // ...the phone the SDP named is taken back, and keeps the remote.
    expect(l.check('127.0.0.1', 4000, 4, 5000)).toBe('latched');
    expect(l.address).toBe('127.0.0.1');
    expect(l.port).toBe(4000);
    expect(l.latched).toBe(false);
    expect(l.check('127.0.0.1', 4000, 4, 5020)).toBe('accept');
    expect(l.check('127.0.0.1', 41125, 4, 5040)).toBe('drop');
  });

  it('does not latch on a packet of the wrong kind (the transport says: RTCP on an RTP port)', () => {
    const l = new RtpLatch(opts);
    l.signal('192.168.1.5', 4000, 4, 0);
    expect(l.check('203.0.113.7', 61000, 4, 10, false)).toBe('drop');
    expect(l.latched).toBe(false);
    expect(l.check('203.0.113.7', 61000, 4, 20)).toBe('latched');
  });

  it('refuses after the time window and from another address family', () => {
    const l = new RtpLatch(opts);
    l.signal('192.168.1.5', 4000, 4, 0);
    expect(l.check('2001:db8::1', 4000, 6, 10)).toBe('drop');
    expect(l.check('203.0.113.7', 61000, 4, 1001)).toBe('drop');
  });

  it('reopens when the remote is re-signalled with a new address, not for the same one', () => {
    const l = new RtpLatch(opts);
    l.signal('192.168.1.5', 4000, 4, 0);
    expect(l.check('203.0.113.7', 61000, 4, 10)).toBe('latched');
    l.signal('192.168.1.5', 4000, 4, 5000); // same remote again: keep the latch
    expect(l.address).toBe('203.0.113.7');
    expect(l.check('198.51.100.1', 7000, 4, 5001)).toBe('drop');
    l.signal('192.168.1.6', 4002, 4, 6000); // re-INVITE moved it
    expect(l.check('198.51.100.1', 7000, 4, 6001)).toBe('latched');
  });

  it('peek decides without acting; commit acts only for what proved genuine', () => {
    const l = new RtpLatch({ windowMs: 1000, windowPackets: 2 });
    l.signal('192.168.1.5', 4000, 4, 0);
    // A forged packet is peeked at, fails authentication, and leaves everything as it was.
    for (let i = 0; i < 5; i++) expect(l.peek('198.51.100.66', 7000, 4, 10)).toBe('latched');
    expect(l.latched).toBe(false);
    expect(l.address).toBe('192.168.1.5');
    expect(l.isOpen(10)).toBe(true);
    l.commit('203.0.113.7', 61000, 'latched');
    expect(l).toMatchObject({ latched: true, address: '203.0.113.7', port: 61000 });
    expect(l.peek('203.0.113.7', 61000, 4, 20)).toBe('accept');
    expect(l.peek('198.51.100.66', 7000, 4, 20)).toBe('drop');
  });
});
