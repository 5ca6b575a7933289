import { describe, expect, it } from 'vitest';
import { parseProvisioning, validateProvisioning } from './index.js';

const ISSUE_EXAMPLE = `
domain: atende.local          # SIP domain and digest realm
extensions:
  - number: "1001"
    name: "Ana Souza"
    password: "s3cret-1001"   # SIP digest password
    email: ana@example.org
`;

describe('validateProvisioning', () => {
  it('accepts the issue example and fills security defaults', () => {
    const r = parseProvisioning(ISSUE_EXAMPLE);
    expect(r).toEqual({
      ok: true,
      value: {
        domain: 'atende.local',
        extensions: [{ number: '1001', name: 'Ana Souza', password: 's3cret-1001', email: 'ana@example.org' }],
      },
    });
    const withSecurity = validateProvisioning({ security: { trusted: ['127.0.0.1/32', '10.0.0.0/8'] } });
    expect(withSecurity).toEqual({
      ok: true,
      value: {
        security: {
          trusted: ['127.0.0.1/32', '10.0.0.0/8'],
          deny: [],
          allow: [],
          bans: { failures: 5, windowSeconds: 600, banSeconds: 600 },
          flood: { requests: 16, windowSeconds: 2 },
        },
      },
    });
  });

  it('reports every problem with its path, duplicates included', () => {
    const r = parseProvisioning(`
domain: "not a domain!"
ivrs: []
security:
  trusted: ["10.0.0.0/8", "10.0.0.1/8", "300.1.1.1/32"]
  bans: { failures: 0 }
  flood: { requests: 16, windowSeconds: 2, burst: 3 }
extensions:
  - number: "1001"
    name: Ana
    voicemal: true
  - number: 1002
    name: Bruno
  - number: "1001"
    name: ""
    email: nope
  - number: "1003"
    name: Carla
    password: x1234567
    passwordHashes: { md5: "abc" }
  - name: Dora
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { path: 'domain', message: 'must be a host name such as atende.local' },
      { path: 'extensions[0].voicemal', message: 'unknown key' },
      { path: 'extensions[1].number', message: 'must be a quoted string of digits, e.g. "1001"' },
      { path: 'extensions[2].email', message: 'must be an e-mail address' },
      { path: 'extensions[2].name', message: 'must not be empty' },
      { path: 'extensions[2].number', message: 'duplicate extension 1001 (also extensions[0])' },
      { path: 'extensions[3].passwordHashes', message: 'give either password or passwordHashes, not both' },
      { path: 'extensions[3].passwordHashes.md5', message: 'must be 32 hexadecimal characters' },
      { path: 'extensions[4].number', message: 'is required' },
      { path: 'ivrs', message: 'unknown section; this version knows domain, security, extensions' },
      { path: 'security.bans.failures', message: 'must be at least 1' },
      { path: 'security.flood.burst', message: 'unknown key' },
      { path: 'security.trusted[1]', message: '"10.0.0.1/8" has host bits set; did you mean 10.0.0.0/8?' },
      { path: 'security.trusted[2]', message: expect.stringContaining('"300.1.1.1/32" is not an address block') },
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    const r = parseProvisioning('domain: a.example\nextensions:\n  - number: "1001"\n   name: x\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ path: '(yaml)', message: expect.stringMatching(/^line 4, column \d+: /) });
    const dup = parseProvisioning('domain: a.example\ndomain: b.example\n');
    expect(dup.ok).toBe(false);
  });

  it('rejects a document that is not a mapping and accepts an empty one', () => {
    expect(validateProvisioning(['domain'])).toEqual({
      ok: false,
      issues: [{ path: '(document)', message: 'must be a mapping of sections (domain, extensions, ...)' }],
    });
    expect(parseProvisioning('# nothing yet\n')).toEqual({ ok: true, value: {} });
  });

  it('accepts password hashes as export writes them, lowercased', () => {
    const r = validateProvisioning({
      extensions: [{ number: '1001', name: 'Ana', passwordHashes: { realm: 'a.example', md5: 'AB'.repeat(16), sha256: 'cd'.repeat(32) } }],
    });
    expect(r.ok && r.value.extensions?.[0]?.passwordHashes).toEqual({ realm: 'a.example', md5: 'ab'.repeat(16), sha256: 'cd'.repeat(32) });
    const empty = validateProvisioning({ extensions: [{ number: '1001', name: 'Ana', passwordHashes: {} }] });
    expect(empty).toEqual({ ok: false, issues: [{ path: 'extensions[0].passwordHashes', message: 'give md5, sha256 or both' }] });
  });
});
