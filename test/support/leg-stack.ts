// The call layer on real sockets without the rest of the server: a UDP transport on loopback,
// the transaction layer, a leg registry and a one-worker media pool, as src/app/server.ts wires
// them. Interop tests of legs (originate, bridge, recording, hold) build on it; an INVITE that
// belongs to no leg can be taken as a new inbound leg.
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { cryptoRandom } from '../../src/core/random.js';
import { InboundLeg, LegRegistry, type LegDeps } from '../../src/call/index.js';
import type { AudioCodecName } from '../../src/sdp/index.js';
import { MediaWorkerPool } from '../../src/media/worker/index.js';
import { createResponse } from '../../src/sip/message/index.js';
import { TransactionLayer } from '../../src/sip/transaction/index.js';
import { TransportLayer, type TransportProtocol } from '../../src/sip/transport/index.js';

export interface LegStack {
  readonly transport: TransportLayer;
  readonly transactions: TransactionLayer;
  readonly pool: MediaWorkerPool;
  readonly registry: LegRegistry;
  readonly deps: LegDeps;
  /** Receives the next INVITE that belongs to no leg, as a new InboundLeg (else 481). */
  onInbound: ((leg: InboundLeg) => void) | undefined;
  close(): Promise<void>;
}

export async function startLegStack(opts: { codecs?: AudioCodecName[]; mediaTimeoutMs?: number; portBase?: number; workers?: number } = {}): Promise<LegStack> {
  const logger = silentLogger();
  // The closures below run only once messages arrive, after every const here is set.
  const transport: TransportLayer = new TransportLayer({ clock: systemClock, random: cryptoRandom, logger, onMessage: (inbound): void => transactions.receive(inbound) });
  await transport.listenUdp('127.0.0.1', 0);
  const registry = new LegRegistry(systemClock);
  // A window of ports of its own, so test files running side by side rarely meet.
  const start = (opts.portBase ?? 33_000) + 200 * Math.floor(Math.random() * 30);
  const pool = await MediaWorkerPool.start({ workers: opts.workers ?? 1, ports: `${start}-${start + 199}`, spareEndpoints: 4 });
  const transactions: TransactionLayer = new TransactionLayer({
    sender: transport,
    clock: systemClock,
    random: cryptoRandom,
    logger,
    viaSentBy: (p) => transport.viaSentBy(p),
    // What the server's request router does for legs.
    onRequest: (req, tx, _inbound, cancelled) => {
      if (registry.handleRequest(req, tx, cancelled)) return;
      if (req.method === 'INVITE' && tx !== undefined && stack.onInbound !== undefined) {
        const leg = new InboundLeg(deps, tx);
        registry.track(leg);
        stack.onInbound(leg);
        return;
      }
      if (tx !== undefined) tx.respond(createResponse(req, 481, 'Call/Transaction Does Not Exist'));
    },
  });
  const deps: LegDeps = {
    transactions,
    sender: transport,
    viaSentBy: (p) => transport.viaSentBy(p),
    localContact: (protocol: TransportProtocol): string => {
      const { host, port } = transport.viaSentBy(protocol);
      return `sip:atende@${host}:${port}`;
    },
    clock: systemClock,
    random: cryptoRandom,
    logger,
    registry,
    media: {
      pool, random: cryptoRandom, addresses: { IPv4: { bind: '127.0.0.1', advertised: '127.0.0.1' } },
      codecs: opts.codecs ?? ['PCMA', 'PCMU'], mediaTimeoutMs: opts.mediaTimeoutMs ?? 0,
    },
  };
  const stack: LegStack = {
    transport,
    transactions,
    pool,
    registry,
    deps,
    onInbound: undefined,
    async close() {
      await pool.close();
      transactions.close();
      await transport.close();
    },
  };
  return stack;
}
