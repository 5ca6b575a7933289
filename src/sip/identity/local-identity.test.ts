import { describe, expect, it } from 'vitest';
import { LocalIdentity } from './local-identity.js';

describe('LocalIdentity', () => {
  it('recognises the domain and the bound address, case-insensitively', () => {
    const id = new LocalIdentity('Atende.Local', { bindAddress: '127.0.0.1', ports: [5060, 5061] });
    expect(id.isUs('atende.local')).toBe(true);
    expect(id.isUs('127.0.0.1', 5060)).toBe(true);
    expect(id.isUs('127.0.0.1', 5099)).toBe(false);
    expect(id.isUs('example.org')).toBe(false);
  });

  it('knows every interface address when bound to the wildcard, IPv6 bracketed or not', () => {
    const id = new LocalIdentity('atende.local', { bindAddress: '0.0.0.0', ports: [5060] });
    expect(id.isUs('127.0.0.1')).toBe(true);
    expect(id.isUs('[::1]')).toBe(true);
    expect(id.isUs('::ffff:127.0.0.1')).toBe(true);
  });

  it('follows a domain change', () => {
    const id = new LocalIdentity('old.local', { bindAddress: '127.0.0.1', ports: [5060] });
    id.setDomain('new.local');
    expect(id.isUs('old.local')).toBe(false);
    expect(id.isUs('new.local')).toBe(true);
  });
});
