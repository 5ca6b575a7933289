/**
 * The main thread's side of reserved RTP ports: for each worker and local address it keeps a
 * few port pairs the worker has already bound (`reserve`), so a plain-RTP endpoint can be
 * handed out without waiting for the worker (its port is known and bound; the worker adopts
 * the pair when the createEndpoint command arrives). Taking one asks for another, so the stock
 * refills behind the calls. A reservation that fails (a port taken by another program) frees
 * its port and is not retried until the next take: a busy range costs the fast path, never
 * a call.
 */
import type { Logger } from '../../core/index.js';
import type { RtpPortAllocator } from './rtp-port-allocator.js';
import type { WorkerSlot } from './media-worker-slot.js';

interface Stock {
  /** Ports whose pair the worker has bound. */
  ready: number[];
  /** Reservations sent and not yet answered. */
  pending: number;
}

/** Sends a worker its `reserve` command; resolves with the ports whose pair it bound. */
export type Reserve = (slot: WorkerSlot, localAddress: string, ports: number[]) => Promise<{ bound: number[] }>;

export class SparePorts {
  private readonly stocks = new Map<WorkerSlot, Map<string, Stock>>();
  private held = 0;
  private pending = 0;
  /** At most an eighth of the range sits idle in stocks: a small range is for calls. */
  private readonly maxHeld: number;

  constructor(
    /** Pairs kept bound per worker and local address (0: no reservations). */
    private readonly perAddress: number,
    private readonly allocator: RtpPortAllocator,
    private readonly reserve: Reserve,
    private readonly logger: Logger,
  ) {
    this.maxHeld = Math.floor(allocator.capacity / 8);
  }

  /** Ports reserved and not taken (they count as in use in the allocator). */
  get count(): number {
    return this.held;
  }

  /** A port of `slot` already bound on `localAddress`, now the caller's, or undefined. */
  take(slot: WorkerSlot, localAddress: string): number | undefined {
    if (this.perAddress <= 0) return undefined;
    const port = this.stocks.get(slot)?.get(localAddress)?.ready.pop();
    if (port !== undefined) this.held--;
    return port;
  }

  /**
   * Once `slot`'s stock for `localAddress` is down to half, asks the worker to bind it full
   * again, in one command. Called after each plain-RTP endpoint's command was sent (the first
   * one on an address starts the stock), so reservations queue behind the endpoint in the
   * worker, and a busy setup rate costs one reservation message per few endpoints.
   */
  refill(slot: WorkerSlot, localAddress: string): void {
    if (this.perAddress <= 0 || !slot.alive) return;
    const stock = this.stockOf(slot, localAddress);
    if (2 * (stock.ready.length + stock.pending) > this.perAddress) return;
    const ports: number[] = [];
    try {
      while (stock.ready.length + stock.pending + ports.length < this.perAddress && this.held + this.pending + ports.length < this.maxHeld) {
        ports.push(this.allocator.allocate());
      }
    } catch {
      // The range is full: endpoints take the slow path and fail there if need be.
    }
    if (ports.length === 0) return;
    stock.pending += ports.length;
    this.pending += ports.length;
    this.reserve(slot, localAddress, ports).then(
      ({ bound }) => {
        stock.pending -= ports.length;
        this.pending -= ports.length;
        // A stock dropped meanwhile (worker gone, pool closing) no longer holds ports.
        const kept = this.stocks.get(slot)?.get(localAddress) === stock;
        for (const port of ports) {
          if (kept && bound.includes(port)) {
            stock.ready.push(port);
            this.held++;
          } else {
            // Not retried here: the next refill draws other ports (the allocator moves on).
            this.allocator.release(port);
          }
        }
      },
      (err: unknown) => {
        stock.pending -= ports.length;
        this.pending -= ports.length;
        for (const port of ports) this.allocator.release(port);
        this.logger.debug({ err, ports, localAddress }, 'RTP ports not reserved');
      },
    );
  }

  /** Forgets `slot`'s stock and frees its ports (the worker died or the pool closes: the sockets go with it). */
  drop(slot: WorkerSlot): void {
    const byAddress = this.stocks.get(slot);
    if (byAddress === undefined) return;
    this.stocks.delete(slot);
    for (const stock of byAddress.values()) {
      for (const port of stock.ready) this.allocator.release(port);
      this.held -= stock.ready.length;
      stock.ready.length = 0;
    }
  }

  private stockOf(slot: WorkerSlot, localAddress: string): Stock {
    let byAddress = this.stocks.get(slot);
    if (byAddress === undefined) {
      byAddress = new Map();
      this.stocks.set(slot, byAddress);
    }
    let stock = byAddress.get(localAddress);
    if (stock === undefined) {
      stock = { ready: [], pending: 0 };
      byAddress.set(localAddress, stock);
    }
    return stock;
  }
}
