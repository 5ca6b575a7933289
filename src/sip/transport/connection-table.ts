/**
 * The open stream connections (TCP, TLS, WS, WSS): lookup by id and by remote address for
 * reuse (RFC 3261 18, RFC 5923-style aliasing by source address), and idle closing.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import type { TransportAddress, TransportProtocol } from './types.js';

/** One stream connection, whoever opened it. */
export interface Connection {
  readonly id: string;
  readonly protocol: TransportProtocol;
  /** The peer's address and port (for an inbound connection, the source of its messages). */
  readonly remote: TransportAddress;
  /** Our end. */
  readonly local: TransportAddress;
  /** True when the peer opened it. */
  readonly inbound: boolean;
  isOpen(): boolean;
  /** Writes one framed SIP message or keep-alive; rejects if the connection cannot take it. */
  write(data: Buffer): Promise<void>;
  /** Closes after pending writes are flushed. */
  end(): void;
  /** Closes at once. */
  destroy(): void;
}

interface Entry {
  connection: Connection;
  lastActivity: number;
  /** Clock time (ms) until which the connection is kept even when idle; Infinity = always. */
  keepUntil: number;
  timer?: TimerHandle;
  /** byRemote keys pointing at this connection. */
  keys: string[];
}

function remoteKey(protocol: TransportProtocol, address: string, port: number): string {
  return `${protocol}|${address.toLowerCase()}|${port}`;
}

export class ConnectionTable {
  private readonly entries = new Map<string, Entry>();
  private readonly byRemote = new Map<string, string>();

  constructor(
    private readonly clock: Clock,
    private readonly idleTimeoutMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  add(connection: Connection): void {
    const entry: Entry = { connection, lastActivity: this.clock.now(), keepUntil: 0, keys: [] };
    this.entries.set(connection.id, entry);
    const { protocol, address, port } = connection.remote;
    this.alias(connection.id, protocol, address, port);
    this.schedule(entry, this.idleTimeoutMs);
  }

  /** Makes `findByRemote(protocol, address, port)` return this connection (e.g. the host name it was opened to). */
  alias(id: string, protocol: TransportProtocol, address: string, port: number): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    const key = remoteKey(protocol, address, port);
    this.byRemote.set(key, id);
    if (!entry.keys.includes(key)) entry.keys.push(key);
  }

  /** Forgets a connection (called when it closed). */
  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.clock.clearTimer(entry.timer);
    this.entries.delete(id);
    for (const key of entry.keys) if (this.byRemote.get(key) === id) this.byRemote.delete(key);
  }

  /** Whether the table still holds that connection, open or closing. */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  get(id: string): Connection | undefined {
    const c = this.entries.get(id)?.connection;
    return c && c.isOpen() ? c : undefined;
  }

  /** An open connection to that remote address and port, for reuse. */
  findByRemote(protocol: TransportProtocol, address: string, port: number): Connection | undefined {
    const id = this.byRemote.get(remoteKey(protocol, address, port));
    return id === undefined ? undefined : this.get(id);
  }

  /** Records traffic on a connection, pushing its idle deadline back. */
  touch(id: string): void {
    const entry = this.entries.get(id);
    if (entry) entry.lastActivity = this.clock.now();
  }

  /** Keeps a connection open while idle until `untilMs` (clock time), or for its whole life. */
  keep(id: string, untilMs?: number): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    entry.keepUntil = untilMs ?? Number.POSITIVE_INFINITY;
    return true;
  }

  all(): Connection[] {
    return [...this.entries.values()].map((e) => e.connection);
  }

  /** Clears every timer and forgets every connection (the caller destroys them). */
  clear(): void {
    for (const entry of this.entries.values()) this.clock.clearTimer(entry.timer);
    this.entries.clear();
    this.byRemote.clear();
  }

  private schedule(entry: Entry, delayMs: number): void {
    entry.timer = this.clock.setTimer(delayMs, () => this.checkIdle(entry));
  }

  private checkIdle(entry: Entry): void {
    entry.timer = undefined;
    if (this.entries.get(entry.connection.id) !== entry) return;
    const now = this.clock.now();
    const idleDeadline = entry.lastActivity + this.idleTimeoutMs;
    const deadline = Math.max(idleDeadline, entry.keepUntil);
    if (now >= deadline) {
      // Nothing is pending on an idle connection: close at once rather than wait for the peer's FIN.
      entry.connection.destroy();
      return;
    }
    // A kept-forever connection is checked again after one idle period in case keep() is lifted.
    const wait = Number.isFinite(deadline) ? deadline - now : this.idleTimeoutMs;
    this.schedule(entry, Math.max(1, wait));
  }
}
