/**
 * Where bindings persist so they survive a restart. The application adapts this onto the
 * database; MemoryBindingStore serves tests and single-process runs without storage.
 */
import type { Binding } from './binding.js';

export interface BindingStore {
  /** Every stored binding (expired ones included: the location service purges them). */
  load(): Promise<Binding[]>;
  /** Inserts or replaces the binding keyed by (aor, contact). */
  save(b: Binding): Promise<void>;
  /** Removes the binding keyed by (aor, contact); absent is not an error. */
  remove(aor: string, contact: string): Promise<void>;
}

/** An in-process BindingStore; copies on the way in and out so callers cannot alias its rows. */
export class MemoryBindingStore implements BindingStore {
  private readonly rows = new Map<string, Binding>();

  async load(): Promise<Binding[]> {
    return [...this.rows.values()].map(copyBinding);
  }

  async save(b: Binding): Promise<void> {
    this.rows.set(rowKey(b.aor, b.contact), copyBinding(b));
  }

  async remove(aor: string, contact: string): Promise<void> {
    this.rows.delete(rowKey(aor, contact));
  }

  /** Number of stored rows (tests check write-through). */
  get size(): number {
    return this.rows.size;
  }
}

function rowKey(aor: string, contact: string): string {
  return `${aor}\u0000${contact}`;
}

/** A deep-enough copy of a binding (its arrays and the source address are the only nested parts). */
export function copyBinding(b: Binding): Binding {
  return { ...b, path: [...b.path], source: { ...b.source } };
}
