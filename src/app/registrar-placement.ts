/**
 * Where REGISTERs are handled: on the main thread with everything else (the default), or on the
 * registrar's own thread (`ATENDE_REGISTRAR_THREAD=on`). Both run the same RegisterHandler and
 * location service; the server talks to either through this one shape.
 *
 * On the 2-core benchmark machine, with SIPp on the same cores, the main thread is the better
 * place: the thread moves ~200 µs of work per registration off it but adds ~60-100 µs in
 * messages and a second heap, so the two cores run out first (bench/RESULTS.md, SIP run 12).
 * The thread pays where cores are spare, and keeps a registration storm off the thread that
 * runs calls.
 */
import type { Clock } from '../core/clock.js';
import type { Logger, LogLevel } from '../core/logger.js';
import { RegisterHandler, type ExtensionDirectory, type RequestAuthenticator } from '../pbx/index.js';
import type { EdgePolicy } from '../sbc/index.js';
import type { LocalIdentity } from '../sip/identity/index.js';
import { createResponse, getHeader, type SipRequest } from '../sip/message/index.js';
import { LocationService, type BindingLookup } from '../sip/registrar/index.js';
import type { ServerTransaction, TimerConfig } from '../sip/transaction/index.js';
import type { InboundMessage, RawInbound, TransportLayer } from '../sip/transport/index.js';
import type { DatabaseBindingStore } from './database-binding-store.js';
import type { RegistrarSettings, RegistrarStart } from './registrar-thread/protocol.js';
import { RegistrarThread } from './registrar-thread/registrar-thread.js';

export interface Registrar {
  /** The registered bindings, for call routing. */
  readonly bindings: BindingLookup;
  /** The transport's divert hook: true when a REGISTER went to the registrar's thread. */
  divert(raw: RawInbound): boolean;
  /** A REGISTER without credentials answered at once with its 401 (main-thread placement). */
  challengeStatelessly(inbound: InboundMessage): boolean;
  /** A REGISTER with its transaction (main-thread placement; the router passes it on). */
  onRegister(req: SipRequest, tx: ServerTransaction | undefined, inbound: InboundMessage): void;
  flowClosed(connectionId: string): void;
  /** Provisioning changed (extensions, domain, algorithms, scanner list, listening ports). */
  update(): void;
  close(): Promise<void>;
}

export interface RegistrarOptions {
  onThread: boolean;
  clock: Clock;
  logger: Logger;
  transport: TransportLayer;
  store: DatabaseBindingStore;
  edge: EdgePolicy;
  /** The main thread's own: read directly here, copied to the thread at start and on update(). */
  identity: LocalIdentity;
  directory: ExtensionDirectory;
  /** The main thread's digest checks (shared with INVITEs when REGISTERs are handled here). */
  auth: RequestAuthenticator;
  /** What the thread needs to know of provisioning, as it is now. */
  settings: () => RegistrarSettings;
  /** The digest secret, shared with the thread so nonces minted by either verify on both. */
  secret: Buffer;
  timers?: Partial<TimerConfig>;
  logLevel: LogLevel;
}

export async function startRegistrar(o: RegistrarOptions): Promise<Registrar> {
  if (o.onThread) {
    const start: RegistrarStart = {
      settings: o.settings(),
      directory: o.directory.snapshot(),
      secret: o.secret,
      bindings: await o.store.load(),
      ...(o.timers ? { timers: o.timers } : {}),
      maxMessageBytes: o.transport.maxMessageBytes,
      logLevel: o.logLevel,
    };
    const thread = await RegistrarThread.start(start, {
      clock: o.clock, logger: o.logger, sendPrepared: (p) => o.transport.sendPrepared(p), store: o.store, edge: o.edge,
      rejected: (answered) => o.transport.countDivertedRejection(answered),
    });
    return {
      bindings: thread.bindings,
      divert: (raw) => thread.divert(raw),
      challengeStatelessly: () => false,
      // Every REGISTER went to the thread before parsing; one here would be a bug, not a client's fault.
      onRegister: (req, tx) => {
        o.logger.error({ callId: getHeader(req, 'Call-ID') }, 'a REGISTER reached the main thread while the registrar has its own');
        tx?.respond(createResponse(req, 500, 'Server Internal Error'));
      },
      flowClosed: (id) => thread.flowClosed(id),
      update: () => {
        thread.updateDirectory(o.directory.snapshot());
        thread.updateSettings(o.settings());
      },
      close: () => thread.close(),
    };
  }
  const logger = o.logger.child({ component: 'registrar' });
  const location = new LocationService({ clock: o.clock, store: o.store, logger });
  await location.start();
  const handler = new RegisterHandler({
    sender: o.transport, identity: () => o.identity, directory: o.directory, auth: o.auth, registrar: location, logger: o.logger,
  });
  return {
    bindings: location,
    divert: () => false,
    challengeStatelessly: (inbound) => handler.challengeStatelessly(inbound),
    onRegister: (req, tx, inbound) => handler.onRequest(req, tx, inbound),
    flowClosed: (id) => {
      location.removeFlow(id).catch((err: unknown) => logger.warn({ err }, 'flow removal failed'));
    },
    // The handler reads the main thread's directory and identity themselves.
    update: () => undefined,
    close: async () => location.close(),
  };
}
