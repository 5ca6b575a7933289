/**
 * The registrar thread's work, without the thread: parse each REGISTER handed over, drop
 * scanners, challenge, run REGISTER transactions, check digests and keep the location service,
 * and report to the main thread (via `emit`) what to send and which bindings changed. Tests
 * drive it directly with a manual clock.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { RandomSource } from '../../core/random.js';
import { ExtensionDirectory, RegisterHandler, RequestAuthenticator } from '../../pbx/index.js';
import { ScannerDetector } from '../../sbc/index.js';
import { DigestAuthenticator } from '../../sip/auth/index.js';
import { LocalIdentity } from '../../sip/identity/index.js';
import { getHeader, serializeMessage } from '../../sip/message/index.js';
import { LocationService } from '../../sip/registrar/index.js';
import { TransactionLayer } from '../../sip/transaction/index.js';
import { readInbound, TransportError, type InboundMessage, type SendTarget } from '../../sip/transport/index.js';
import type { DigestAlgorithm } from '../../store/index.js';
import { ForwardedBindingStore } from './forwarded-binding-store.js';
import type { HandedInbound, IdentitySettings, OutboundBytes, RegistrarCommand, RegistrarEvent, RegistrarSettings, RegistrarStart } from './protocol.js';
import { ThreadSender } from './thread-sender.js';

export interface RegistrarRuntimeOptions {
  start: RegistrarStart;
  clock: Clock;
  random: RandomSource;
  logger: Logger;
  emit(event: RegistrarEvent): void;
}

function localIdentity(s: IdentitySettings): LocalIdentity {
  return new LocalIdentity(s.domain, { bindAddress: s.bindAddress, ports: s.ports, extraHosts: s.extraHosts });
}

export class RegistrarRuntime {
  private identity: LocalIdentity;
  private algorithms: DigestAlgorithm[];
  private scanners: ScannerDetector;
  private readonly directory = new ExtensionDirectory();
  private readonly location: LocationService;
  private readonly transactions: TransactionLayer;
  private readonly handler: RegisterHandler;
  private readonly emit: (event: RegistrarEvent) => void;
  /** AORs whose bindings changed and have not been reported yet. */
  private readonly changed = new Set<string>();
  private readonly maxMessageBytes: number;
  private closed = false;
  /** REGISTERs handed over so far (the idle collector's activity). */
  handled = 0;
  private reported = 0;

  constructor(private readonly options: RegistrarRuntimeOptions) {
    const { start, clock, random, logger } = options;
    this.emit = options.emit;
    this.maxMessageBytes = start.maxMessageBytes;
    this.identity = localIdentity(start.settings.identity);
    this.algorithms = start.settings.algorithms;
    this.scanners = new ScannerDetector(start.settings.scannerUserAgents);
    this.directory.restore(start.directory);
    const store = new ForwardedBindingStore(start.bindings, (aor, contact) => this.emit({ kind: 'store-remove', aor, contact }));
    this.location = new LocationService({ clock, store, logger: logger.child({ component: 'registrar' }) });
    this.location.onChange((change) => this.markChanged(change.binding.aor));
    const sender = new ThreadSender((out) => this.send(out));
    const digest = new DigestAuthenticator({ clock, random, secret: start.secret });
    const auth = new RequestAuthenticator(
      digest,
      this.directory,
      () => this.identity.domain,
      { authFailed: (address, detail) => this.emit({ kind: 'auth-failed', address, detail }) },
      () => this.algorithms,
    );
    this.handler = new RegisterHandler({ sender, identity: () => this.identity, directory: this.directory, auth, registrar: this.location, logger });
    this.transactions = new TransactionLayer({
      sender,
      clock,
      random,
      logger,
      ...(start.timers ? { timers: start.timers } : {}),
      viaSentBy: () => {
        throw new TransportError('the registrar thread sends no requests');
      },
      onRequest: (req, tx, inbound) => this.handler.onRequest(req, tx, inbound),
    });
  }

  /** Loads the bindings it started with, reports them all, then says it is ready. */
  async start(): Promise<void> {
    await this.location.start();
    for (const b of this.location.listAll()) this.changed.add(b.aor);
    this.reportChanges();
    this.emit({ kind: 'ready' });
  }

  handle(command: RegistrarCommand): void {
    switch (command.kind) {
      case 'inbound':
        this.handled++;
        this.receive(command.raw);
        return;
      case 'flow-closed':
        this.flowClosed(command.connectionId);
        return;
      case 'directory':
        this.directory.restore(command.directory);
        return;
      case 'settings':
        this.applySettings(command.settings);
        return;
      case 'close':
        this.close();
        return;
    }
  }

  /** Says how many REGISTERs were taken since the last call (the worker calls it after each message). */
  reportTaken(): void {
    if (this.handled === this.reported) return;
    this.emit({ kind: 'taken', count: this.handled - this.reported });
    this.reported = this.handled;
  }

  private receive(raw: HandedInbound): void {
    if (this.closed) return;
    const data = Buffer.from(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
    const result = readInbound(data, raw.source, raw.warningHost, { maxMessageBytes: this.maxMessageBytes });
    if (result.kind === 'rejected') {
      this.emit({ kind: 'rejected', answered: result.response !== undefined });
      if (!result.response) return;
      const target: SendTarget = { ...raw.source };
      if (raw.connectionId !== undefined) target.connectionId = raw.connectionId;
      this.send({ bytes: new Uint8Array(serializeMessage(result.response)), target, local: raw.local });
      return;
    }
    const message = result.message;
    const inbound: InboundMessage = { message, source: raw.source, local: raw.local, receivedAt: this.options.clock.now() };
    if (raw.connectionId !== undefined) inbound.connectionId = raw.connectionId;
    const userAgent = getHeader(message, 'User-Agent');
    if (userAgent !== undefined && this.scanners.isScanner(userAgent)) {
      // The main thread's edge counts it, logs it and bans the source when configured to.
      this.emit({ kind: 'scanner', address: raw.source.address, userAgent });
      return;
    }
    if (this.handler.challengeStatelessly(inbound)) return;
    this.transactions.receive(inbound);
  }

  /** Bindings reachable only over the closed connection go; others forget it (both reported as changes). */
  private flowClosed(connectionId: string): void {
    this.location.removeFlow(connectionId).catch((err: unknown) => this.options.logger.warn({ err }, 'flow removal failed'));
  }

  private applySettings(settings: RegistrarSettings): void {
    this.identity = localIdentity(settings.identity);
    this.algorithms = settings.algorithms;
    this.scanners = new ScannerDetector(settings.scannerUserAgents);
  }

  private close(): void {
    this.closed = true;
    this.location.close();
    this.transactions.close();
    this.reportChanges();
    this.emit({ kind: 'closed' });
  }

  /** Responses go after the binding changes they report, so a call routed on their 200 finds the binding. */
  private send(out: OutboundBytes): void {
    this.reportChanges();
    this.emit({ kind: 'send', ...out });
  }

  private markChanged(aor: string): void {
    // Changes made by a timer (purges) have no response to carry them: they go at the microtask.
    if (this.changed.size === 0) queueMicrotask(() => this.reportChanges());
    this.changed.add(aor);
  }

  private reportChanges(): void {
    if (this.changed.size === 0) return;
    for (const aor of this.changed) this.emit({ kind: 'bindings', aor, bindings: [...this.location.bindingsOf(aor)] });
    this.changed.clear();
  }
}
