import { sql, type Kysely } from 'kysely';
import type { Database as SqliteConnection } from 'better-sqlite3';
import type { Clock } from '../core/index.js';
import type { Database } from './schema.js';
import type { SqlDialectName } from './migrations/dialect-name.js';
import type { RepositoryContext } from './change-context.js';
import { ExtensionRepository } from './repositories/extension-repository.js';
import { RegistrationRepository } from './repositories/registration-repository.js';
import { SettingsRepository } from './repositories/settings-repository.js';
import { BanRepository } from './repositories/ban-repository.js';
import { HistoryRepository } from './repositories/history-repository.js';
import { UserRepository } from './repositories/user-repository.js';

/** The typed repositories, bound either to the database or to one transaction. */
export interface StoreRepositories {
  readonly extensions: ExtensionRepository;
  readonly registrations: RegistrationRepository;
  readonly settings: SettingsRepository;
  readonly bans: BanRepository;
  readonly history: HistoryRepository;
  readonly users: UserRepository;
}

/** The open store: repositories, transactions, a change counter and `close()`. */
export interface Store extends StoreRepositories {
  readonly dialect: SqlDialectName;
  /** Runs `fn` in one database transaction: all its writes commit together or none do. */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /**
   * A counter raised by every configuration or ban write, by any process or node sharing the
   * database: a running server polls it to notice changes made by `atende provision apply`.
   */
  dataVersion(): Promise<number>;
  /** Closes the connections; safe to call twice. */
  close(): Promise<void>;
}

function repositories(ctx: RepositoryContext): StoreRepositories {
  return {
    extensions: new ExtensionRepository(ctx),
    registrations: new RegistrationRepository(ctx),
    settings: new SettingsRepository(ctx),
    bans: new BanRepository(ctx),
    history: new HistoryRepository(ctx),
    users: new UserRepository(ctx),
  };
}

/** The Kysely-backed store, the same code for both dialects. */
export class KyselyStore implements Store {
  readonly extensions: ExtensionRepository;
  readonly registrations: RegistrationRepository;
  readonly settings: SettingsRepository;
  readonly bans: BanRepository;
  readonly history: HistoryRepository;
  readonly users: UserRepository;
  private closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: SqlDialectName,
    private readonly clock: Clock,
    private readonly sqlite?: SqliteConnection,
  ) {
    const repos = repositories({ db, clock, ...(sqlite !== undefined ? { sqlite } : {}) });
    this.extensions = repos.extensions;
    this.registrations = repos.registrations;
    this.settings = repos.settings;
    this.bans = repos.bans;
    this.history = repos.history;
    this.users = repos.users;
  }

  async transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'sqlite') {
        // A deferred SQLite transaction that reads first and writes later fails at once with
        // SQLITE_BUSY when another process wrote meanwhile; a write up front takes the lock
        // while the busy timeout still applies. It matches no row, so nothing changes.
        await sql`update store_meta set value = value where key = '-'`.execute(trx);
      }
      return fn(repositories({ db: trx, clock: this.clock, ...(this.sqlite !== undefined ? { sqlite: this.sqlite, sqliteTransaction: true } : {}) }));
    });
  }

  async dataVersion(): Promise<number> {
    const row = await this.db
      .selectFrom('store_meta')
      .select('value')
      .where('key', '=', 'data_version')
      .executeTakeFirstOrThrow();
    return Number(row.value);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }
}
