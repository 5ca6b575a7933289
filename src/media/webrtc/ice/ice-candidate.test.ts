import { describe, expect, it } from 'vitest';
import { candidatePriority, formatCandidate, hostCandidate } from './ice-candidate.js';

describe('ICE candidates', () => {
  it('computes RFC 8445 priorities', () => {
    expect(candidatePriority('host', 65535, 1)).toBe(2130706431);
    expect(candidatePriority('host', 65535, 2)).toBe(2130706430);
    expect(candidatePriority('srflx', 65535, 1)).toBe(1694498815);
  });

  it('formats a host candidate line with a stable foundation per address', () => {
    const c = hostCandidate({ address: '203.0.113.5', port: 40000 });
    expect(formatCandidate(c)).toMatch(/^candidate:\d{1,10} 1 udp 2130706175 203\.0\.113\.5 40000 typ host$/);
    expect(hostCandidate({ address: '203.0.113.5', port: 40002 }).foundation).toBe(c.foundation);
    expect(hostCandidate({ address: '203.0.113.6', port: 40000 }).foundation).not.toBe(c.foundation);
    expect(hostCandidate({ address: '2001:db8::1', port: 40000 }).priority).toBe(2130706431);
  });
});
