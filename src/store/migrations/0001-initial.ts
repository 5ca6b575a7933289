import { sql, type Kysely, type Migration } from 'kysely';
import type { SqlDialectName } from './dialect-name.js';

/** The first schema: settings, extensions and their digest credentials, registrations, bans, history. */
export function initialMigration(dialect: SqlDialectName): Migration {
  return {
    // `any`: a migration sees the database as it was at that point, not today's typed schema.
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('store_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .execute();
      await db.insertInto('store_meta').values({ key: 'data_version', value: 0 }).execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('extensions')
        .addColumn('number', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('extension_credentials')
        .addColumn('number', 'text', (c) => c.notNull().references('extensions.number').onDelete('cascade'))
        .addColumn('algorithm', 'text', (c) => c.notNull().check(sql`algorithm in ('MD5', 'SHA-256')`))
        .addColumn('realm', 'text', (c) => c.notNull())
        .addColumn('ha1', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('extension_credentials_pk', ['number', 'algorithm'])
        .execute();

      await db.schema
        .createTable('registrations')
        .addColumn('aor', 'text', (c) => c.notNull())
        .addColumn('binding_key', 'text', (c) => c.notNull())
        .addColumn('contact_uri', 'text', (c) => c.notNull())
        .addColumn('instance_id', 'text')
        .addColumn('reg_id', 'integer')
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('q', 'double precision')
        .addColumn('call_id', 'text', (c) => c.notNull())
        .addColumn('cseq', 'bigint', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('received_protocol', 'text')
        .addColumn('received_address', 'text')
        .addColumn('received_port', 'integer')
        .addColumn('connection_id', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('registrations_pk', ['aor', 'binding_key'])
        .execute();
      await db.schema.createIndex('registrations_expires_at').on('registrations').column('expires_at').execute();

      await db.schema
        .createTable('bans')
        .addColumn('address', 'text', (c) => c.primaryKey())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('banned_until', 'bigint', (c) => c.notNull())
        .execute();

      let history = db.schema.createTable('config_history');
      history =
        dialect === 'postgres'
          ? history.addColumn('id', 'bigserial', (c) => c.primaryKey())
          : history.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
      await history
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('before_json', 'text')
        .addColumn('after_json', 'text')
        .execute();
      await db.schema.createIndex('config_history_entity').on('config_history').columns(['entity', 'id']).execute();
    },
  };
}
