import type { ChangeContext, RepositoryContext } from '../change-context.js';
import { recordHistory } from '../change-context.js';

export interface User {
  username: string;
  role: string;
  passwordHash: string | null;
  createdAt: number;
  updatedAt: number;
}

/** Accounts of the web and API. Password hashes are never written to history. */
export class UserRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  async count(): Promise<number> {
    const row = await this.ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async get(username: string): Promise<User | undefined> {
    const row = await this.ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row
      ? { username: row.username, role: row.role, passwordHash: row.password_hash, createdAt: row.created_at, updatedAt: row.updated_at }
      : undefined;
  }

  /** Creates an account; returns false when the username exists. */
  async create(user: { username: string; role: string; passwordHash: string | null }, change: ChangeContext): Promise<boolean> {
    const now = this.ctx.clock.now();
    const result = await this.ctx.db
      .insertInto('users')
      .values({ username: user.username, role: user.role, password_hash: user.passwordHash, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('username').doNothing())
      .executeTakeFirst();
    const created = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    if (created) await recordHistory(this.ctx, change, `user:${user.username}`, 'created', null, JSON.stringify({ username: user.username, role: user.role }));
    return created;
  }
}
