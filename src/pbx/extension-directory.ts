import type { DigestAlgorithm, RecordingPolicy, Store } from '../store/index.js';

interface DirectoryEntry {
  name: string;
  recording: RecordingPolicy;
  ha1: Map<string, string>;
}

/** The directory as plain data, for a copy on another thread: [number, name, recording, [algorithm+realm key, HA1][]]. */
export type DirectorySnapshot = Array<[string, string, RecordingPolicy, Array<[string, string]>]>;

/**
 * The extensions as the SIP front needs them, held in memory: digest HA1 lookups happen on
 * every REGISTER and INVITE, so they must not wait on the database. Reloaded whenever the
 * stored configuration changes.
 */
export class ExtensionDirectory {
  private entries = new Map<string, DirectoryEntry>();

  /** Without a store the directory holds what `restore` gives it (the registrar thread's copy). */
  constructor(private readonly store?: Store) {}

  async reload(): Promise<void> {
    if (!this.store) return;
    const next = new Map<string, DirectoryEntry>();
    for (const ext of await this.store.extensions.list()) next.set(ext.number, { name: ext.name, recording: ext.recording, ha1: new Map() });
    for (const cred of await this.store.extensions.listCredentials()) {
      next.get(cred.number)?.ha1.set(`${cred.algorithm}\u0000${cred.realm}`, cred.ha1);
    }
    this.entries = next;
  }

  snapshot(): DirectorySnapshot {
    return [...this.entries].map(([number, e]) => [number, e.name, e.recording, [...e.ha1]]);
  }

  /** Replaces every entry with those of a snapshot. */
  restore(snapshot: DirectorySnapshot): void {
    this.entries = new Map(snapshot.map(([number, name, recording, ha1]) => [number, { name, recording, ha1: new Map(ha1) }]));
  }

  has(number: string): boolean {
    return this.entries.has(number);
  }

  displayName(number: string): string | undefined {
    return this.entries.get(number)?.name;
  }

  /** Whether the extension's calls are recorded ('never' for unknown numbers). */
  recording(number: string): RecordingPolicy {
    return this.entries.get(number)?.recording ?? 'never';
  }

  /** HA1 of an extension for a realm and algorithm; undefined for unknown users. */
  ha1(number: string, realm: string, algorithm: DigestAlgorithm): string | undefined {
    return this.entries.get(number)?.ha1.get(`${algorithm}\u0000${realm}`);
  }

  get size(): number {
    return this.entries.size;
  }
}
