import type { Selectable } from 'kysely';
import type { DigestAlgorithm, ExtensionsTable, RecordingPolicy } from '../schema.js';
import { canonicalJson } from '../canonical-json.js';
import { digestHa1 } from '../digest-ha1.js';
import { recordHistory, type ChangeContext, type RepositoryContext } from '../change-context.js';

/** An extension as stored: a dialable number with a name (the SIP username is the number). */
export interface Extension {
  number: string;
  name: string;
  email: string | null;
  recording: RecordingPolicy;
  createdAt: number;
  updatedAt: number;
}

/** The administrator-editable fields of an extension. */
export interface ExtensionInput {
  number: string;
  name: string;
  email?: string | null;
  /** Default 'never'. */
  recording?: RecordingPolicy;
}

/** One stored digest secret: HA1 for one algorithm and realm, never the password. */
export interface DigestCredential {
  algorithm: DigestAlgorithm;
  realm: string;
  ha1: string;
}

const ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'SHA-256'];

function toExtension(row: Selectable<ExtensionsTable>): Extension {
  return { number: row.number, name: row.name, email: row.email, recording: row.recording, createdAt: row.created_at, updatedAt: row.updated_at };
}

function extensionJson(e: { number: string; name: string; email: string | null; recording: RecordingPolicy }): string {
  // 'never' is the default: left out, so history written before the setting existed compares equal.
  return canonicalJson({ number: e.number, name: e.name, email: e.email, ...(e.recording !== 'never' ? { recording: e.recording } : {}) });
}

function credentialsJson(creds: readonly DigestCredential[]): string | null {
  if (creds.length === 0) return null;
  const sorted = [...creds].sort((a, b) => a.algorithm.localeCompare(b.algorithm));
  return canonicalJson(sorted.map((c) => ({ algorithm: c.algorithm, realm: c.realm, ha1: c.ha1 })));
}

/** Extensions and their digest credentials; every write records configuration history. */
export class ExtensionRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  /** All extensions, ordered by number. */
  async list(): Promise<Extension[]> {
    const rows = await this.ctx.db.selectFrom('extensions').selectAll().orderBy('number').execute();
    return rows.map(toExtension);
  }

  async get(number: string): Promise<Extension | undefined> {
    const row = await this.ctx.db.selectFrom('extensions').selectAll().where('number', '=', number).executeTakeFirst();
    return row ? toExtension(row) : undefined;
  }

  /** Creates or updates an extension; writes nothing (no history) when nothing differs. */
  async upsert(input: ExtensionInput, change: ChangeContext): Promise<'created' | 'updated' | 'unchanged'> {
    const next = { number: input.number, name: input.name, email: input.email ?? null, recording: input.recording ?? 'never' };
    const before = await this.get(input.number);
    const now = this.ctx.clock.now();
    if (!before) {
      await this.ctx.db
        .insertInto('extensions')
        .values({ ...next, created_at: now, updated_at: now })
        .execute();
      await recordHistory(this.ctx, change, `extension:${next.number}`, 'created', null, extensionJson(next));
      return 'created';
    }
    const beforeJson = extensionJson(before);
    const afterJson = extensionJson(next);
    if (beforeJson === afterJson) return 'unchanged';
    await this.ctx.db
      .updateTable('extensions')
      .set({ name: next.name, email: next.email, recording: next.recording, updated_at: now })
      .where('number', '=', next.number)
      .execute();
    await recordHistory(this.ctx, change, `extension:${next.number}`, 'updated', beforeJson, afterJson);
    return 'updated';
  }

  /** Deletes an extension and its credentials (both recorded in history). */
  async delete(number: string, change: ChangeContext): Promise<'deleted' | 'absent'> {
    const before = await this.get(number);
    if (!before) return 'absent';
    const creds = await this.getCredentials(number);
    await this.ctx.db.deleteFrom('extension_credentials').where('number', '=', number).execute();
    await this.ctx.db.deleteFrom('extensions').where('number', '=', number).execute();
    if (creds.length > 0) {
      await recordHistory(this.ctx, change, `extension:${number}:credentials`, 'deleted', credentialsJson(creds), null);
    }
    await recordHistory(this.ctx, change, `extension:${number}`, 'deleted', extensionJson(before), null);
    return 'deleted';
  }

  /** The extension's stored HA1 values, ordered by algorithm. */
  async getCredentials(number: string): Promise<DigestCredential[]> {
    const rows = await this.ctx.db
      .selectFrom('extension_credentials')
      .select(['algorithm', 'realm', 'ha1'])
      .where('number', '=', number)
      .orderBy('algorithm')
      .execute();
    return rows;
  }

  /** One credential, as a registrar looks it up when checking a digest response. */
  async getCredential(number: string, algorithm: DigestAlgorithm): Promise<DigestCredential | undefined> {
    return this.ctx.db
      .selectFrom('extension_credentials')
      .select(['algorithm', 'realm', 'ha1'])
      .where('number', '=', number)
      .where('algorithm', '=', algorithm)
      .executeTakeFirst();
  }

  /** Every extension's credentials, for a bulk load at start. */
  async listCredentials(): Promise<(DigestCredential & { number: string })[]> {
    return this.ctx.db
      .selectFrom('extension_credentials')
      .select(['number', 'algorithm', 'realm', 'ha1'])
      .orderBy('number')
      .orderBy('algorithm')
      .execute();
  }

  /**
   * Replaces the extension's credential set (at most one per algorithm). HA1 values are
   * lowercased; nothing is written when the set is unchanged.
   */
  async setCredentials(
    number: string,
    credentials: readonly DigestCredential[],
    change: ChangeContext,
  ): Promise<'created' | 'updated' | 'unchanged'> {
    const next = credentials.map((c) => ({ algorithm: c.algorithm, realm: c.realm, ha1: c.ha1.toLowerCase() }));
    if (new Set(next.map((c) => c.algorithm)).size !== next.length) {
      throw new Error(`extension ${number}: at most one credential per algorithm`);
    }
    const before = await this.getCredentials(number);
    const beforeJson = credentialsJson(before);
    const afterJson = credentialsJson(next);
    if (beforeJson === afterJson) return 'unchanged';
    const now = this.ctx.clock.now();
    await this.ctx.db.deleteFrom('extension_credentials').where('number', '=', number).execute();
    if (next.length > 0) {
      await this.ctx.db
        .insertInto('extension_credentials')
        .values(next.map((c) => ({ number, ...c, updated_at: now })))
        .execute();
    }
    const action = before.length === 0 ? 'created' : next.length === 0 ? 'deleted' : 'updated';
    await recordHistory(this.ctx, change, `extension:${number}:credentials`, action, beforeJson, afterJson);
    return before.length === 0 ? 'created' : 'updated';
  }

  /** Hashes a password into HA1 for every supported algorithm and stores only the hashes. */
  async setPassword(
    number: string,
    realm: string,
    password: string,
    change: ChangeContext,
  ): Promise<'created' | 'updated' | 'unchanged'> {
    const creds = ALGORITHMS.map((algorithm) => ({ algorithm, realm, ha1: digestHa1(algorithm, number, realm, password) }));
    return this.setCredentials(number, creds, change);
  }
}
