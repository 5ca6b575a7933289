import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { systemClock, type Clock, type Logger } from '../core/index.js';
import type { Database } from './schema.js';
import type { SqlDialectName } from './migrations/dialect-name.js';
import { migrationProvider } from './migrations/index.js';
import { KyselyStore, type Store } from './store.js';
import { StoreError } from './store-error.js';

export interface OpenDatabaseOptions {
  /** Directory of `atende.db` when no database URL is given (created if missing). */
  dataDir: string;
  /** `postgres://...` or `postgresql://...` selects PostgreSQL. */
  databaseUrl?: string;
  clock?: Clock;
  /** Receives errors of idle PostgreSQL connections (which would otherwise crash the process). */
  logger?: Logger;
}

/** The file name of the SQLite database inside the data directory. */
export const SQLITE_FILE_NAME = 'atende.db';

const INT8_OID = 20;

function sqliteDialect(dataDir: string): { dialect: Dialect; database: SqliteDatabase.Database } {
  mkdirSync(dataDir, { recursive: true });
  // The busy timeout lets the CLI and a running server share the file.
  const database = new SqliteDatabase(join(dataDir, SQLITE_FILE_NAME), { timeout: 5000 });
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  return { dialect: new SqliteDialect({ database }), database };
}

function postgresDialect(url: string, logger: Logger | undefined): Dialect {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Timestamps are epoch milliseconds in bigint columns: read them back as numbers.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
    },
  });
  pool.on('error', (err) => logger?.warn({ err }, 'idle PostgreSQL connection failed'));
  return new PostgresDialect({ pool });
}

/** Which dialect a URL selects; throws StoreError for a URL that is neither empty nor postgres. */
export function dialectFor(databaseUrl: string | undefined): SqlDialectName {
  if (databaseUrl === undefined || databaseUrl === '') return 'sqlite';
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return 'postgres';
  throw new StoreError('store_url_invalid', 'database URL must start with postgres:// or postgresql://');
}

/** Opens (and migrates to the latest schema) the SQLite file in `dataDir` or the PostgreSQL database. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Store> {
  const dialectName = dialectFor(options.databaseUrl);
  const sqlite = dialectName === 'sqlite' ? sqliteDialect(options.dataDir) : undefined;
  const dialect = sqlite?.dialect ?? postgresDialect(options.databaseUrl as string, options.logger);
  const db = new Kysely<Database>({ dialect });
  const migrator = new Migrator({
    db,
    provider: migrationProvider(dialectName),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    await db.destroy().catch(() => undefined);
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const what = failed ? `migration ${failed} failed` : 'could not migrate the database';
    const detail = error instanceof Error ? error.message : String(error);
    throw new StoreError('store_migration_failed', `${what}: ${detail}`, { cause: error });
  }
  return new KyselyStore(db, dialectName, options.clock ?? systemClock, sqlite?.database);
}
