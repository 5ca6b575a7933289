/**
 * A read-only copy of the location service's bindings, kept where calls are routed while the
 * location service itself runs elsewhere (the registrar's thread): it receives each changed
 * AOR's whole binding list and answers lookups the way the location service would.
 */
import type { Clock } from '../../core/clock.js';
import { bindingQ, type Binding } from './binding.js';

/** The lookups call routing needs; the LocationService and its replica both answer them. */
export interface BindingLookup {
  /** The unexpired bindings of an AOR, best first: q descending, then most recently updated. */
  lookup(aor: string): Binding[];
  /** Every unexpired binding of every AOR. */
  listAll(): Binding[];
  /** Number of unexpired bindings. */
  count(): number;
}

export class BindingReplica implements BindingLookup {
  private readonly byAor = new Map<string, readonly Binding[]>();

  constructor(private readonly clock: Clock) {}

  /** The AOR's bindings are now `bindings` (an empty list removes it). */
  replace(aor: string, bindings: readonly Binding[]): void {
    if (bindings.length === 0) this.byAor.delete(aor);
    else this.byAor.set(aor, bindings);
  }

  /** Forgets everything (the location service restarted and sends its whole state again). */
  clear(): void {
    this.byAor.clear();
  }

  lookup(aor: string): Binding[] {
    const now = this.clock.now();
    return (this.byAor.get(aor) ?? [])
      .filter((b) => b.expiresAt > now)
      .sort((a, b) => bindingQ(b) - bindingQ(a) || b.updatedAt - a.updatedAt);
  }

  listAll(): Binding[] {
    const now = this.clock.now();
    const out: Binding[] = [];
    for (const list of this.byAor.values()) for (const b of list) if (b.expiresAt > now) out.push(b);
    return out;
  }

  /** The AOR's bindings as last replaced, expired ones included. */
  bindingsOf(aor: string): readonly Binding[] {
    return this.byAor.get(aor) ?? [];
  }

  /** Every binding held, expired ones not yet dropped by the location service included. */
  all(): Binding[] {
    return [...this.byAor.values()].flat();
  }

  count(): number {
    return this.listAll().length;
  }
}
