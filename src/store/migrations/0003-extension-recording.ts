import type { Kysely, Migration } from 'kysely';

/** Whether an extension's calls are recorded: always, never, or on demand (PROVISIONING.md). */
export function extensionRecordingMigration(): Migration {
  return {
    // `any`: a migration sees the database as it was at that point, not today's typed schema.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .alterTable('extensions')
        .addColumn('recording', 'text', (c) => c.notNull().defaultTo('never'))
        .execute();
    },
  };
}
