import type { Kysely } from 'kysely';
import type { Database as SqliteConnection } from 'better-sqlite3';
import type { Database } from './schema.js';
import type { Clock } from '../core/index.js';

/** Who changed the configuration and through what (CLI, API, web, provisioning file...). */
export interface ChangeContext {
  actor: string;
  source: string;
}

/** What a configuration write did. */
export type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent';

/** What every repository needs: a database handle (maybe a transaction) and the clock. */
export interface RepositoryContext {
  db: Kysely<Database>;
  clock: Clock;
  /**
   * The SQLite connection itself, outside transactions only: the few hot runtime writes
   * (registrar bindings) run as cached prepared statements instead of a query built per call.
   */
  sqlite?: SqliteConnection;
  /** This context is bound to the open Kysely transaction on `sqlite`: raw statements join it. */
  sqliteTransaction?: boolean;
}

/** Raises the change counter a running server polls to notice configuration written elsewhere. */
export async function bumpDataVersion(db: Kysely<Database>): Promise<void> {
  await db
    .updateTable('store_meta')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('key', '=', 'data_version')
    .execute();
}

/** Writes one configuration history row (who, when, source, entity, before/after JSON). */
export async function recordHistory(
  ctx: RepositoryContext,
  change: ChangeContext,
  entity: string,
  action: 'created' | 'updated' | 'deleted',
  before: string | null,
  after: string | null,
): Promise<void> {
  await ctx.db
    .insertInto('config_history')
    .values({
      at: ctx.clock.now(),
      actor: change.actor,
      source: change.source,
      entity,
      action,
      before_json: before,
      after_json: after,
    })
    .execute();
  await bumpDataVersion(ctx.db);
}
