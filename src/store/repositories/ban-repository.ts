import type { RepositoryContext } from '../change-context.js';
import { bumpDataVersion } from '../change-context.js';

/** A source address banned until a moment (automatic after failed authentications, or by hand). */
export interface Ban {
  address: string;
  reason: string;
  createdAt: number;
  /** Epoch milliseconds. */
  until: number;
}

/** Bans, persisted so they survive a restart and are seen by the CLI and other nodes. */
export class BanRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  /** Bans an address, or extends/replaces the ban it already has. */
  async add(ban: { address: string; reason: string; until: number }): Promise<void> {
    const now = this.ctx.clock.now();
    await this.ctx.db
      .insertInto('bans')
      .values({ address: ban.address, reason: ban.reason, created_at: now, banned_until: ban.until })
      .onConflict((oc) => oc.column('address').doUpdateSet({ reason: ban.reason, created_at: now, banned_until: ban.until }))
      .execute();
    await bumpDataVersion(this.ctx.db);
  }

  async get(address: string): Promise<Ban | undefined> {
    const row = await this.ctx.db.selectFrom('bans').selectAll().where('address', '=', address).executeTakeFirst();
    return row ? { address: row.address, reason: row.reason, createdAt: row.created_at, until: row.banned_until } : undefined;
  }

  /** Bans in force at `now` (all stored bans when `now` is omitted), ordered by address. */
  async list(now?: number): Promise<Ban[]> {
    let q = this.ctx.db.selectFrom('bans').selectAll().orderBy('address');
    if (now !== undefined) q = q.where('banned_until', '>', now);
    const rows = await q.execute();
    return rows.map((r) => ({ address: r.address, reason: r.reason, createdAt: r.created_at, until: r.banned_until }));
  }

  /** Lifts a ban; true when there was one. */
  async lift(address: string): Promise<boolean> {
    const r = await this.ctx.db.deleteFrom('bans').where('address', '=', address).executeTakeFirst();
    const lifted = Number(r.numDeletedRows) > 0;
    if (lifted) await bumpDataVersion(this.ctx.db);
    return lifted;
  }

  /** Forgets bans that ended at or before `now`; returns how many. */
  async deleteExpired(now: number): Promise<number> {
    const r = await this.ctx.db.deleteFrom('bans').where('banned_until', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
