import { recordHistory, type ChangeContext, type RepositoryContext } from '../change-context.js';

/** One configuration change: who, when, through what, which entity, before and after. */
export interface HistoryEntry {
  id: number;
  at: number;
  actor: string;
  source: string;
  /** `extension:1001`, `extension:1001:credentials`, `setting:domain`... */
  entity: string;
  action: 'created' | 'updated' | 'deleted';
  before: unknown;
  after: unknown;
}

/** The configuration history (ARCHITECTURE.md): written by the config repositories, read here. */
export class HistoryRepository {
  constructor(private readonly ctx: RepositoryContext) {}

  /** Newest first; `entity` filters to one entity, `beforeId` pages back. */
  async list(options: { entity?: string; limit?: number; beforeId?: number } = {}): Promise<HistoryEntry[]> {
    let q = this.ctx.db.selectFrom('config_history').selectAll().orderBy('id', 'desc').limit(options.limit ?? 100);
    if (options.entity !== undefined) q = q.where('entity', '=', options.entity);
    if (options.beforeId !== undefined) q = q.where('id', '<', options.beforeId);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      source: r.source,
      entity: r.entity,
      action: r.action as HistoryEntry['action'],
      before: r.before_json === null ? null : (JSON.parse(r.before_json) as unknown),
      after: r.after_json === null ? null : (JSON.parse(r.after_json) as unknown),
    }));
  }

  async count(): Promise<number> {
    const r = await this.ctx.db
      .selectFrom('config_history')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Records a change made outside the repositories above (they record their own). */
  async record(
    change: ChangeContext,
    entry: { entity: string; action: HistoryEntry['action']; before: unknown; after: unknown },
  ): Promise<void> {
    const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
    await recordHistory(this.ctx, change, entry.entity, entry.action, json(entry.before), json(entry.after));
  }
}
