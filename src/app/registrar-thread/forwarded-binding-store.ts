import { copyBinding, type Binding, type BindingStore } from '../../sip/registrar/index.js';

export interface BindingWrites {
  save(binding: Binding): void;
  remove(aor: string, contact: string): void;
}

/**
 * The registrar thread's BindingStore: the rows read at start come with the thread, and every
 * write goes to the main thread, whose database store queues it (write-behind, as in-process).
 */
export class ForwardedBindingStore implements BindingStore {
  private initial: Binding[] | undefined;

  constructor(
    initial: readonly Binding[],
    private readonly writes: BindingWrites,
  ) {
    this.initial = initial.map(copyBinding);
  }

  /** The rows the thread started with (the location service loads once). */
  async load(): Promise<Binding[]> {
    const rows = this.initial ?? [];
    this.initial = undefined;
    return rows;
  }

  async save(b: Binding): Promise<void> {
    this.writes.save(b);
  }

  async remove(aor: string, contact: string): Promise<void> {
    this.writes.remove(aor, contact);
  }
}
