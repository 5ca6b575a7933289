import type { Kysely, Migration } from 'kysely';

/** People who log in to the web and API (administrators first; roles grow with the API issue). */
export function usersMigration(): Migration {
  return {
    // `any`: a migration sees the database as it was at that point, not today's typed schema.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('username', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
