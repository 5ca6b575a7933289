import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import { digestHa1, openDatabase, type Store } from '../../store/index.js';
import { skipPostgres, startPostgres, type PostgresCluster } from '../../../test/support/postgres.js';
import { ProvisioningError, applyProvisioning, exportProvisioning, type ProvisioningIssue } from './index.js';

const cli = { actor: 'root', source: 'cli' };

const FILE = `
domain: atende.local
security:
  trusted: ["127.0.0.1/32", "10.0.0.0/8"]
  deny: ["203.0.113.0/24", "2001:db8:bad::/48"]
  bans: { failures: 3 }
  scannerUserAgents: [friendly-scanner, sipvicious]
extensions:
  - number: "1001"
    name: "Ana Souza"
    password: "s3cret-1001"
    email: ana@example.org
    recording: always
  - number: "1002"
    name: "Bruno Lima"
    password: "s3cret-1002"
`;

async function issuesOf(p: Promise<unknown>): Promise<ProvisioningIssue[]> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ProvisioningError);
    return (err as ProvisioningError).issues;
  }
  throw new Error('expected a ProvisioningError');
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && skipPostgres)(`provisioning on ${dialect}`, () => {
    let cluster: PostgresCluster | undefined;
    const dirs: string[] = [];
    const stores: Store[] = [];

    beforeAll(async () => {
      if (dialect === 'postgres') cluster = await startPostgres();
    }, 120_000);
    afterAll(async () => {
      await cluster?.stop();
    });
    afterEach(async () => {
      for (const s of stores.splice(0)) await s.close();
      for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
    });

    /** An empty data dir (and an empty database on PostgreSQL). */
    async function emptyStore(): Promise<Store> {
      const dataDir = await mkdtemp(join(tmpdir(), 'atende-prov-'));
      dirs.push(dataDir);
      const databaseUrl = cluster ? await cluster.createDatabase() : undefined;
      const s = await openDatabase({ dataDir, databaseUrl, clock: new ManualClock() });
      stores.push(s);
      return s;
    }

    it('applies a file: settings, extensions and HA1 credentials for the domain realm', async () => {
      const s = await emptyStore();
      const report = await applyProvisioning(s, FILE, cli);
      expect(report).toEqual({
        created: ['setting:domain', 'setting:security', 'extension:1001', 'extension:1002'],
        updated: [],
        unchanged: [],
        changes: 4,
        warnings: [],
      });
      expect(await s.settings.get('domain')).toBe('atende.local');
      expect(await s.settings.get('security')).toEqual({
        trusted: ['127.0.0.1/32', '10.0.0.0/8'],
        deny: ['203.0.113.0/24', '2001:db8:bad::/48'],
        allow: [],
        bans: { failures: 3, windowSeconds: 600, banSeconds: 600 },
        flood: { requests: 16, windowSeconds: 2 },
        scannerUserAgents: ['friendly-scanner', 'sipvicious'],
      });
      expect(await s.extensions.get('1001')).toMatchObject({ name: 'Ana Souza', email: 'ana@example.org', recording: 'always' });
      expect(await s.extensions.get('1002')).toMatchObject({ recording: 'never' });
      expect(await s.extensions.getCredentials('1002')).toEqual([
        { algorithm: 'MD5', realm: 'atende.local', ha1: digestHa1('MD5', '1002', 'atende.local', 's3cret-1002') },
        { algorithm: 'SHA-256', realm: 'atende.local', ha1: digestHa1('SHA-256', '1002', 'atende.local', 's3cret-1002') },
      ]);
      const history = await s.history.list();
      expect(history).toHaveLength(6); // 2 settings + 2 extensions + 2 credential sets
      expect(history.every((h) => h.actor === 'root' && h.source === 'cli')).toBe(true);
      expect(JSON.stringify(history)).not.toContain('s3cret');
    });

    it('is idempotent: a second apply changes nothing and writes no history', async () => {
      const s = await emptyStore();
      await applyProvisioning(s, FILE, cli);
      const historyBefore = await s.history.count();
      const versionBefore = await s.dataVersion();
      const again = await applyProvisioning(s, FILE, cli);
      expect(again.changes).toBe(0);
      expect(again.created).toEqual([]);
      expect(again.updated).toEqual([]);
      expect(again.unchanged).toEqual(['setting:domain', 'setting:security', 'extension:1001', 'extension:1002']);
      expect(await s.history.count()).toBe(historyBefore);
      expect(await s.dataVersion()).toBe(versionBefore);
    });

    it('applies nothing when any entry is invalid', async () => {
      const s = await emptyStore();
      const bad = FILE.replace('name: "Bruno Lima"', 'name: ""').replace('"10.0.0.0/8"', '"10.0.0.0/33"');
      expect(await issuesOf(applyProvisioning(s, bad, cli))).toEqual([
        { path: 'extensions[1].name', message: 'must not be empty' },
        { path: 'security.trusted[1]', message: '"10.0.0.0/33" has an invalid prefix length (0 to 32 for IPv4)' },
      ]);
      expect(await s.extensions.list()).toEqual([]);
      expect(await s.settings.list()).toEqual([]);
      expect(await s.history.count()).toBe(0);
    });

    it('requires the domain on first apply only', async () => {
      const s = await emptyStore();
      const noDomain = 'extensions:\n  - { number: "1001", name: Ana, password: abcdefgh }\n';
      expect(await issuesOf(applyProvisioning(s, noDomain, cli))).toEqual([
        { path: 'domain', message: 'is required on first apply (it is the SIP domain and the digest realm)' },
      ]);
      expect(await s.extensions.list()).toEqual([]);
      await applyProvisioning(s, 'domain: atende.local\n', cli);
      const r = await applyProvisioning(s, noDomain, cli);
      expect(r.created).toEqual(['extension:1001']);
      expect((await s.extensions.getCredentials('1001'))[0]?.realm).toBe('atende.local');
    });

    it('leaves absent sections and unlisted extensions alone, and reports updates', async () => {
      const s = await emptyStore();
      await applyProvisioning(s, FILE, cli);
      const r = await applyProvisioning(
        s,
        'extensions:\n  - { number: "1001", name: "Ana S. Souza", email: ana@example.org }\n  - { number: "1003", name: Carla, password: "pw3" }\n',
        { actor: 'admin', source: 'api' },
      );
      expect(r).toMatchObject({ created: ['extension:1003'], updated: ['extension:1001'], unchanged: [], changes: 2 });
      expect(r.warnings).toEqual(['extension 1003: a password shorter than 8 characters is easy to guess']);
      expect(await s.settings.get('domain')).toBe('atende.local');
      expect((await s.settings.get('security'))?.bans.failures).toBe(3);
      expect((await s.extensions.list()).map((e) => e.number)).toEqual(['1001', '1002', '1003']);
      // No password given: the stored credentials are kept.
      expect(await s.extensions.getCredential('1001', 'MD5')).toMatchObject({
        ha1: digestHa1('MD5', '1001', 'atende.local', 's3cret-1001'),
      });
      const [change] = await s.history.list({ entity: 'extension:1001' });
      expect(change).toMatchObject({
        actor: 'admin',
        source: 'api',
        action: 'updated',
        before: { name: 'Ana Souza' },
        after: { name: 'Ana S. Souza' },
      });
      // A new password for the same extension is an update.
      const pw = await applyProvisioning(s, 'extensions:\n  - { number: "1002", name: "Bruno Lima", password: "n3w-secret" }\n', cli);
      expect(pw.updated).toEqual(['extension:1002']);
    });

    it('refuses a domain change that would strand hashes, and re-hashes given passwords', async () => {
      const s = await emptyStore();
      await applyProvisioning(s, FILE, cli);
      const exported = await exportProvisioning(s);

      // The exported hashes are for atende.local: they cannot move to another realm.
      const moved = exported.replace(/^domain: atende\.local$/m, 'domain: pbx.example');
      const issues = await issuesOf(applyProvisioning(s, moved, cli));
      expect(issues).toEqual([
        { path: 'extensions[0].passwordHashes.realm', message: expect.stringContaining('made for realm "atende.local" but the domain is "pbx.example"') },
        { path: 'extensions[1].passwordHashes.realm', message: expect.stringContaining('give the password instead') },
      ]);

      // Changing only the domain strands every stored credential.
      expect(await issuesOf(applyProvisioning(s, 'domain: pbx.example\n', cli))).toEqual([
        { path: 'domain', message: expect.stringContaining('stored hashes of extension(s) 1001, 1002 cannot be re-hashed') },
      ]);
      // One password given: the other extension still blocks the change.
      const one = 'domain: pbx.example\nextensions:\n  - { number: "1001", name: "Ana Souza", email: ana@example.org, password: "s3cret-1001" }\n';
      expect((await issuesOf(applyProvisioning(s, one, cli)))[0]?.message).toContain('extension(s) 1002 cannot');
      expect(await s.settings.get('domain')).toBe('atende.local');

      const all = FILE.replace('domain: atende.local', 'domain: pbx.example');
      const r = await applyProvisioning(s, all, cli);
      expect(r.updated).toEqual(['setting:domain', 'extension:1001', 'extension:1002']);
      expect(await s.extensions.getCredential('1001', 'SHA-256')).toEqual({
        algorithm: 'SHA-256',
        realm: 'pbx.example',
        ha1: digestHa1('SHA-256', '1001', 'pbx.example', 's3cret-1001'),
      });
    });

    it('exports hashes, never passwords, and export then apply on an empty store reproduces it', async () => {
      const first = await emptyStore();
      await applyProvisioning(first, FILE, cli);
      await applyProvisioning(first, 'extensions:\n  - { number: "1004", name: "Sem senha" }\n', cli);
      const text = await exportProvisioning(first);
      expect(text).not.toContain('s3cret');
      expect(text).toContain('number: "1001"');
      expect(text).toContain(`md5: ${digestHa1('MD5', '1001', 'atende.local', 's3cret-1001')}`);

      // Applying the export back onto its source changes nothing.
      expect((await applyProvisioning(first, text, cli)).changes).toBe(0);

      const second = await emptyStore();
      const r = await applyProvisioning(second, text, { actor: 'root', source: 'restore' });
      expect(r.created).toHaveLength(5);
      expect(await exportProvisioning(second)).toBe(text);
      for (const n of ['1001', '1002', '1004']) {
        expect(await second.extensions.getCredentials(n)).toEqual(await first.extensions.getCredentials(n));
        expect(await second.extensions.get(n)).toMatchObject({ name: (await first.extensions.get(n))?.name });
      }
      expect(await second.settings.get('security')).toEqual(await first.settings.get('security'));
    });

    it('exports an empty store as an empty document', async () => {
      const s = await emptyStore();
      const text = await exportProvisioning(s);
      expect(text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))).toEqual(['{}']);
    });
  });
}
