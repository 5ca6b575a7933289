import type { Migration, MigrationProvider } from 'kysely';
import type { SqlDialectName } from './dialect-name.js';
import { initialMigration } from './0001-initial.js';
import { usersMigration } from './0002-users.js';
import { extensionRecordingMigration } from './0003-extension-recording.js';

/**
 * Every migration, forward-only. Names sort in the order they run (Kysely sorts by name);
 * a new migration is a new numbered file added here, never an edit of an old one.
 */
export function migrations(dialect: SqlDialectName): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-users': usersMigration(),
    '0003-extension-recording': extensionRecordingMigration(),
  };
}

/** A static provider: bundling-friendly, no directory scan at run time. */
export function migrationProvider(dialect: SqlDialectName): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
