import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipPostgres, startPostgres, type PostgresCluster } from '../../test/support/postgres.js';
import { startAtende, type TestAtende } from '../../test/support/atende.js';
import { SipTestClient } from '../../test/support/sip-test-client.js';
import { openDatabase } from '../store/index.js';

// The whole server on PostgreSQL, selected by ATENDE_DATABASE_URL: provisioning, digest
// credentials and registrations live there, not in the data dir's SQLite file.
describe.skipIf(skipPostgres)('Atende on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let atende: TestAtende | undefined;
  let url: string;

  beforeAll(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase();
  }, 120_000);
  afterAll(async () => {
    await atende?.stop();
    await cluster?.stop();
  });

  it('registers an extension provisioned into PostgreSQL and persists the binding there', async () => {
    atende = await startAtende({ extensionCount: 2, env: { ATENDE_DATABASE_URL: url } });
    expect(atende.server.store.dialect).toBe('postgres');
    const client = await SipTestClient.open({ transport: 'udp', serverPort: atende.sipPort, user: '1001', password: 'pw-1001' });
    try {
      expect((await client.register({ expires: 600 })).status).toBe(200);
    } finally {
      await client.close();
    }
    const store = await openDatabase({ dataDir: atende.dataDir, databaseUrl: url });
    try {
      for (let i = 0; i < 50 && (await store.registrations.listByAor('1001')).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await store.registrations.listByAor('1001')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
