import { copyBinding, type Binding, type BindingStore } from '../../sip/registrar/index.js';

/**
 * The registrar thread's BindingStore: the rows read at start come with the thread, and removals
 * go to the main thread, whose database store queues them (write-behind, as in-process). Saves
 * are not sent: every saved binding is in the AOR's next reported list, and the main thread
 * saves what changed there (one message per registration instead of two).
 */
export class ForwardedBindingStore implements BindingStore {
  private initial: Binding[] | undefined;

  constructor(
    initial: readonly Binding[],
    private readonly removed: (aor: string, contact: string) => void,
  ) {
    this.initial = initial.map(copyBinding);
  }

  /** The rows the thread started with (the location service loads once). */
  async load(): Promise<Binding[]> {
    const rows = this.initial ?? [];
    this.initial = undefined;
    return rows;
  }

  async save(_b: Binding): Promise<void> {}

  async remove(aor: string, contact: string): Promise<void> {
    this.removed(aor, contact);
  }
}
