import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/index.js';
import { skipPostgres, startPostgres, type PostgresCluster } from '../../test/support/postgres.js';
import { DEFAULT_SECURITY_SETTINGS, SQLITE_FILE_NAME, digestHa1, openDatabase, type Store } from './index.js';

const who = { actor: 'tester', source: 'test' };

const binding = {
  aor: '1001',
  contactUri: 'sip:1001@192.0.2.10:5060;transport=udp',
  instanceId: null,
  regId: null,
  expiresAt: 1_700_000_060_000,
  q: 0.7,
  callId: 'abc@192.0.2.10',
  cseq: 2,
  path: ['<sip:lb.example;lr>'],
  received: { protocol: 'udp', address: '198.51.100.7', port: 40123 },
  connectionId: null,
  userAgent: 'Linphone/5',
};

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe.skipIf(dialect === 'postgres' && skipPostgres)(`store on ${dialect}`, () => {
    let cluster: PostgresCluster | undefined;
    const dirs: string[] = [];
    const stores: Store[] = [];
    let clock: ManualClock;

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

    /** A fresh location: a temp dir for SQLite, a new database for PostgreSQL. */
    async function location(): Promise<{ dataDir: string; databaseUrl?: string }> {
      const dataDir = await mkdtemp(join(tmpdir(), 'atende-store-'));
      dirs.push(dataDir);
      return cluster ? { dataDir, databaseUrl: await cluster.createDatabase() } : { dataDir };
    }
    async function open(where: { dataDir: string; databaseUrl?: string }): Promise<Store> {
      clock = new ManualClock();
      const s = await openDatabase({ ...where, clock });
      stores.push(s);
      return s;
    }

    it('keeps user accounts: create once, count, get', async () => {
      const s = await open(await location());
      expect(await s.users.count()).toBe(0);
      expect(await s.users.create({ username: 'admin', role: 'administrator', passwordHash: 'scrypt$x' }, who)).toBe(true);
      expect(await s.users.create({ username: 'admin', role: 'operator', passwordHash: null }, who)).toBe(false);
      expect(await s.users.count()).toBe(1);
      expect(await s.users.get('admin')).toMatchObject({ username: 'admin', role: 'administrator', passwordHash: 'scrypt$x' });
      const history = await s.history.list({ entity: 'user:admin' });
      expect(history).toHaveLength(1);
      expect(JSON.stringify(history[0]?.after)).not.toContain('scrypt');
    });

    it('opens on the selected dialect and migrates once (reopen keeps data)', async () => {
      const where = await location();
      const s1 = await open(where);
      expect(s1.dialect).toBe(dialect);
      await s1.extensions.upsert({ number: '1001', name: 'Ana' }, who);
      await s1.close();
      await s1.close(); // safe twice
      const s2 = await open(where);
      expect((await s2.extensions.get('1001'))?.name).toBe('Ana');
    });

    it('upserts extensions idempotently and records history only on change', async () => {
      const s = await open(await location());
      expect(await s.extensions.upsert({ number: '1001', name: 'Ana', email: 'ana@x.org' }, who)).toBe('created');
      expect(await s.extensions.upsert({ number: '1001', name: 'Ana', email: 'ana@x.org' }, who)).toBe('unchanged');
      expect(await s.history.count()).toBe(1);
      clock.advance(1000);
      expect(await s.extensions.upsert({ number: '1001', name: 'Ana Souza', email: 'ana@x.org' }, who)).toBe('updated');
      await s.extensions.upsert({ number: '200', name: 'Bob' }, who);
      const ext = await s.extensions.get('1001');
      expect(ext).toEqual({
        number: '1001',
        name: 'Ana Souza',
        email: 'ana@x.org',
        recording: 'never',
        createdAt: 1_700_000_000_000,
        updatedAt: 1_700_000_001_000,
      });
      expect((await s.extensions.list()).map((e) => e.number)).toEqual(['1001', '200']);
      const [latest, previous] = await s.history.list({ entity: 'extension:1001' });
      expect(latest).toMatchObject({
        actor: 'tester',
        source: 'test',
        action: 'updated',
        at: 1_700_000_001_000,
        before: { number: '1001', name: 'Ana', email: 'ana@x.org' },
        after: { number: '1001', name: 'Ana Souza', email: 'ana@x.org' },
      });
      expect(previous).toMatchObject({ action: 'created', before: null });
      // The recording policy is part of the extension (default never) and of its history.
      expect(await s.extensions.upsert({ number: '1001', name: 'Ana Souza', email: 'ana@x.org', recording: 'always' }, who)).toBe('updated');
      expect((await s.extensions.get('1001'))?.recording).toBe('always');
      expect((await s.history.list({ entity: 'extension:1001' }))[0]).toMatchObject({ after: { recording: 'always' } });
    });

    it('stores passwords only as MD5 and SHA-256 HA1 values', async () => {
      const s = await open(await location());
      await s.extensions.upsert({ number: '1001', name: 'Ana' }, who);
      expect(await s.extensions.setPassword('1001', 'atende.local', 'plain-secret-xyz', who)).toBe('created');
      expect(await s.extensions.setPassword('1001', 'atende.local', 'plain-secret-xyz', who)).toBe('unchanged');
      const creds = await s.extensions.getCredentials('1001');
      expect(creds).toEqual([
        { algorithm: 'MD5', realm: 'atende.local', ha1: digestHa1('MD5', '1001', 'atende.local', 'plain-secret-xyz') },
        { algorithm: 'SHA-256', realm: 'atende.local', ha1: digestHa1('SHA-256', '1001', 'atende.local', 'plain-secret-xyz') },
      ]);
      expect(creds[1]?.ha1).toMatch(/^[0-9a-f]{64}$/);
      expect(await s.extensions.getCredential('1001', 'MD5')).toEqual(creds[0]);
      expect(await s.extensions.listCredentials()).toHaveLength(2);
      const everything = JSON.stringify([await s.history.list(), await s.settings.list(), creds]);
      expect(everything).not.toContain('plain-secret-xyz');
      if (dialect === 'sqlite') {
        await s.close();
        for (const d of dirs) {
          for (const name of [SQLITE_FILE_NAME, `${SQLITE_FILE_NAME}-wal`]) {
            const bytes = await readFile(join(d, name)).catch(() => Buffer.alloc(0));
            expect(bytes.includes('plain-secret-xyz')).toBe(false);
          }
        }
      }
    });

    it('deleting an extension removes its credentials and records both', async () => {
      const s = await open(await location());
      await s.extensions.upsert({ number: '1001', name: 'Ana' }, who);
      await s.extensions.setCredentials('1001', [{ algorithm: 'MD5', realm: 'r', ha1: 'AB'.repeat(16) }], who);
      expect((await s.extensions.getCredentials('1001'))[0]?.ha1).toBe('ab'.repeat(16));
      expect(await s.extensions.delete('1001', who)).toBe('deleted');
      expect(await s.extensions.delete('1001', who)).toBe('absent');
      expect(await s.extensions.get('1001')).toBeUndefined();
      expect(await s.extensions.getCredentials('1001')).toEqual([]);
      const entities = (await s.history.list()).map((h) => `${h.entity} ${h.action}`);
      expect(entities.slice(0, 2)).toEqual(['extension:1001 deleted', 'extension:1001:credentials deleted']);
    });

    it('keeps typed settings as JSON and ignores rewrites of equal values', async () => {
      const s = await open(await location());
      expect(await s.settings.get('domain')).toBeUndefined();
      expect(await s.settings.set('domain', 'atende.local', who)).toBe('created');
      expect(await s.settings.set('security', DEFAULT_SECURITY_SETTINGS, who)).toBe('created');
      // Same value, keys in another order: still unchanged.
      const reordered = {
        ...Object.fromEntries(Object.entries(DEFAULT_SECURITY_SETTINGS).reverse()),
        flood: { windowSeconds: 2, requests: 16 },
      } as typeof DEFAULT_SECURITY_SETTINGS;
      expect(await s.settings.set('security', reordered, who)).toBe('unchanged');
      expect(await s.settings.get('security')).toEqual(DEFAULT_SECURITY_SETTINGS);
      expect(await s.settings.set('domain', 'pbx.example', who)).toBe('updated');
      expect(await s.settings.get('domain')).toBe('pbx.example');
      expect((await s.settings.list()).map((x) => x.key)).toEqual(['domain', 'security']);
      expect(await s.settings.delete('domain', who)).toBe('deleted');
      expect(await s.settings.delete('domain', who)).toBe('absent');
      expect(await s.history.count()).toBe(4);
    });

    it('persists registration bindings with every field and survives reopen', async () => {
      const where = await location();
      const s = await open(where);
      const k1 = await s.registrations.upsert(binding);
      const k2 = await s.registrations.upsert({
        ...binding,
        contactUri: 'sip:1001@[2001:db8::1]:5070;transport=tcp',
        instanceId: '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>',
        regId: 1,
        q: null,
        received: null,
        connectionId: 'tcp-7',
        path: [],
      });
      expect(k1).toBe('contact:sip:1001@192.0.2.10:5060;transport=udp');
      expect(k2).toBe('instance:<urn:uuid:00000000-0000-1000-8000-000A95A0E128>;reg-id=1');
      // A refresh of the same flow from a new contact replaces the binding (RFC 5626).
      await s.registrations.upsert({
        ...binding,
        contactUri: 'sip:1001@192.0.2.99:5070',
        instanceId: '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>',
        regId: 1,
        cseq: 3,
      });
      await s.registrations.upsert({ ...binding, aor: '1002', expiresAt: 1_700_000_010_000 });
      await s.close();

      const again = await open(where);
      const list = await again.registrations.listByAor('1001');
      expect(list).toHaveLength(2);
      expect(list.find((b) => b.key === k1)).toEqual({ ...binding, key: k1, updatedAt: 1_700_000_000_000 });
      expect(list.find((b) => b.key === k2)).toMatchObject({ contactUri: 'sip:1001@192.0.2.99:5070', cseq: 3, regId: 1 });
      expect((await again.registrations.listAll()).map((b) => b.aor)).toEqual(['1001', '1001', '1002']);
      expect(await again.registrations.deleteExpired(1_700_000_010_000)).toBe(1);
      expect(await again.registrations.delete('1001', k1)).toBe(true);
      expect(await again.registrations.delete('1001', k1)).toBe(false);
      expect(await again.registrations.deleteAor('1001')).toBe(1);
      expect(await again.registrations.listAll()).toEqual([]);
    });

    it('keeps bans across a restart and lists only those in force', async () => {
      const where = await location();
      const s = await open(where);
      await s.bans.add({ address: '203.0.113.5', reason: '5 failed authentications', until: 1_700_000_600_000 });
      await s.bans.add({ address: '2001:db8::5', reason: 'manual', until: 1_700_000_100_000 });
      await s.close();
      const again = await open(where);
      expect((await again.bans.list()).map((b) => b.address)).toEqual(['2001:db8::5', '203.0.113.5']);
      expect((await again.bans.list(1_700_000_200_000)).map((b) => b.address)).toEqual(['203.0.113.5']);
      await again.bans.add({ address: '203.0.113.5', reason: 'again', until: 1_700_000_900_000 });
      expect(await again.bans.get('203.0.113.5')).toMatchObject({ reason: 'again', until: 1_700_000_900_000 });
      expect(await again.bans.deleteExpired(1_700_000_200_000)).toBe(1);
      expect(await again.bans.lift('203.0.113.5')).toBe(true);
      expect(await again.bans.lift('203.0.113.5')).toBe(false);
      expect(await again.bans.list()).toEqual([]);
    });

    it('rolls a failed transaction back entirely', async () => {
      const s = await open(await location());
      await expect(
        s.transaction(async (tx) => {
          await tx.extensions.upsert({ number: '1001', name: 'Ana' }, who);
          await tx.settings.set('domain', 'a.example', who);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await s.extensions.list()).toEqual([]);
      expect(await s.settings.get('domain')).toBeUndefined();
      expect(await s.history.count()).toBe(0);
      const n = await s.transaction(async (tx) => {
        await tx.extensions.upsert({ number: '1001', name: 'Ana' }, who);
        return (await tx.extensions.list()).length;
      });
      expect(n).toBe(1);
      expect(await s.extensions.get('1001')).toBeDefined();
    });

    it('raises dataVersion on configuration and ban writes, seen by another connection', async () => {
      const where = await location();
      const server = await open(where);
      const cli = await open(where);
      const v0 = await server.dataVersion();
      await cli.extensions.upsert({ number: '1001', name: 'Ana' }, who);
      const v1 = await server.dataVersion();
      expect(v1).toBeGreaterThan(v0);
      await cli.extensions.upsert({ number: '1001', name: 'Ana' }, who);
      await cli.registrations.upsert(binding);
      expect(await server.dataVersion()).toBe(v1);
      await cli.bans.add({ address: '192.0.2.1', reason: 'x', until: 1 });
      expect(await server.dataVersion()).toBeGreaterThan(v1);
    });
  });
}

describe('sqlite specifics', () => {
  it('uses WAL mode and creates the data directory', async () => {
    const base = await mkdtemp(join(tmpdir(), 'atende-store-'));
    const dataDir = join(base, 'nested', 'data');
    const s = await openDatabase({ dataDir });
    await s.close();
    const raw = new SqliteDatabase(join(dataDir, SQLITE_FILE_NAME));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const migrations = raw.prepare('select name from schema_migrations order by name').all();
    raw.close();
    expect(migrations).toEqual([{ name: '0001-initial' }, { name: '0002-users' }, { name: '0003-extension-recording' }]);
    await rm(base, { recursive: true, force: true });
  });

  it('rejects a database URL that is not postgres', async () => {
    await expect(openDatabase({ dataDir: '/nonexistent', databaseUrl: 'mysql://x' })).rejects.toThrow(/postgres:\/\//);
  });
});

describe('digestHa1', () => {
  it('matches the RFC 2617 MD5 example', () => {
    expect(digestHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life')).toBe('939e7578ed9e3c518a452acee763bce9');
  });

  it('yields the RFC 7616 section 3.9.1 SHA-256 response', async () => {
    const { createHash } = await import('node:crypto');
    const h = (s: string): string => createHash('sha256').update(s).digest('hex');
    const ha1 = digestHa1('SHA-256', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    const ha2 = h('GET:/dir/index.html');
    const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
    const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
    expect(h(`${ha1}:${nonce}:00000001:${cnonce}:auth:${ha2}`)).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });
});
