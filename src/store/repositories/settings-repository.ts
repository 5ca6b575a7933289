import type { DigestAlgorithm } from '../schema.js';
import { canonicalJson } from '../canonical-json.js';
import { recordHistory, type ChangeContext, type RepositoryContext, type WriteOutcome } from '../change-context.js';

/** Edge security policy (the provisioning file's `security` section). */
export interface SecuritySettings {
  /** Networks exempt from flood limits and bans (CIDR). */
  trusted: string[];
  deny: string[];
  allow: string[];
  bans: { failures: number; windowSeconds: number; banSeconds: number };
  flood: { requests: number; windowSeconds: number };
  /** User-Agent substrings dropped as scanners; absent means the built-in list. */
  scannerUserAgents?: string[];
  /** Digest algorithms challenged, most preferred first; absent means MD5 only. */
  digestAlgorithms?: DigestAlgorithm[];
}

/** Defaults like fail2ban's Asterisk jail (5 in 600 s, 600 s ban) and Kamailio's pike (16 per 2 s). */
export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = {
  trusted: [],
  deny: [],
  allow: [],
  bans: { failures: 5, windowSeconds: 600, banSeconds: 600 },
  flood: { requests: 16, windowSeconds: 2 },
};

/** Every setting key and the type of its value. Add a key here when a capability needs one. */
export interface SettingsMap {
  /** SIP domain and digest realm. */
  domain: string;
  security: SecuritySettings;
}

export type SettingKey = keyof SettingsMap;

/** Key/value settings stored as JSON; every write records configuration history. */
export class SettingsRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  async get<K extends SettingKey>(key: K): Promise<SettingsMap[K] | undefined> {
    const row = await this.ctx.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row ? (JSON.parse(row.value) as SettingsMap[K]) : undefined;
  }

  /** Every stored setting, ordered by key. */
  async list(): Promise<{ key: string; value: unknown }[]> {
    const rows = await this.ctx.db.selectFrom('settings').select(['key', 'value']).orderBy('key').execute();
    return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as unknown }));
  }

  /** Stores a value; writes nothing when it equals what is stored. */
  async set<K extends SettingKey>(key: K, value: SettingsMap[K], change: ChangeContext): Promise<'created' | 'updated' | 'unchanged'> {
    const after = canonicalJson(value);
    const row = await this.ctx.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    const now = this.ctx.clock.now();
    if (!row) {
      await this.ctx.db.insertInto('settings').values({ key, value: after, updated_at: now }).execute();
      await recordHistory(this.ctx, change, `setting:${key}`, 'created', null, after);
      return 'created';
    }
    if (row.value === after) return 'unchanged';
    await this.ctx.db.updateTable('settings').set({ value: after, updated_at: now }).where('key', '=', key).execute();
    await recordHistory(this.ctx, change, `setting:${key}`, 'updated', row.value, after);
    return 'updated';
  }

  async delete(key: SettingKey, change: ChangeContext): Promise<Extract<WriteOutcome, 'deleted' | 'absent'>> {
    const row = await this.ctx.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    if (!row) return 'absent';
    await this.ctx.db.deleteFrom('settings').where('key', '=', key).execute();
    await recordHistory(this.ctx, change, `setting:${key}`, 'deleted', row.value, null);
    return 'deleted';
  }
}
