import type { Server as HttpServer } from 'node:http';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock, type Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { fullCollection, IdleCollector } from '../core/idle-collector.js';
import { youngCollection, youngGenerationBytes, YoungGenerationTrim } from '../core/young-generation-trim.js';
import { cryptoRandom, type RandomSource } from '../core/random.js';
import { startHttpServer } from '../api/index.js';
import { InboundLeg, LegRegistry, type CallSignallingDeps, type LegDeps } from '../call/index.js';
import { MediaWorkerPool } from '../media/worker/index.js';
import { ExtensionDirectory, PromptLibrary, RequestAuthenticator, SipRequestRouter } from '../pbx/index.js';
import { defaultScannerUserAgents, EdgePolicy } from '../sbc/index.js';
import { DigestAuthenticator } from '../sip/auth/index.js';
import { LocalIdentity } from '../sip/identity/index.js';
import { getHeader } from '../sip/message/index.js';
import type { BindingLookup } from '../sip/registrar/index.js';
import { DEFAULT_TIMERS, TransactionLayer, type ServerTransaction, type TimerConfig } from '../sip/transaction/index.js';
import type { SessionTimerConfig } from '../sip/dialog/index.js';
import { loadOrCreateCertificate, TransportLayer, type RawInbound, type TransportAddress, type TransportProtocol } from '../sip/transport/index.js';
import { DEFAULT_SECURITY_SETTINGS, openDatabase, type Store } from '../store/index.js';
import type { LogLevel } from '../core/logger.js';
import type { RuntimeConfig } from './config/index.js';
import { ConfigWatcher } from './config-watcher.js';
import { DatabaseBindingStore } from './database-binding-store.js';
import { loadDigestSecret } from './digest-secret.js';
import { ensureAdministrator } from './administrator.js';
import { mediaAddresses } from './media-address.js';
import type { IdentitySettings, RegistrarSettings } from './registrar-thread/protocol.js';
import { startRegistrar, type Registrar } from './registrar-placement.js';

export const USER_AGENT = 'Atende/0.1';
export const DEFAULT_DOMAIN = 'atende.local';
/** RTP port pairs each media worker keeps bound per local address (2 sockets each). */
const SPARE_ENDPOINTS = 8;

export interface StartOptions {
  logger: Logger;
  clock?: Clock;
  random?: RandomSource;
  /** Called once with the generated administrator password on first start (printed by the CLI). */
  onAdminPasswordGenerated?(password: string): void;
  /** How often the running server looks for configuration changes made by other processes. */
  configPollMs?: number;
  /** RFC 3261 timer values (T1, T2, T4); tests shorten them so transactions settle quickly. */
  sipTimers?: Partial<TimerConfig>;
  /** Session timers (RFC 4028) on both legs of every call; tests shorten them. */
  sessionTimer?: SessionTimerConfig;
  /** Media worker threads (default: one per CPU); tests use one. */
  mediaWorkers?: number;
  /** Where the bundled prompts are (default: the package's prompts/ folder). */
  promptsDir?: string;
}

export interface RunningServer {
  readonly listening: {
    udp: TransportAddress;
    tcp: TransportAddress;
    tls?: TransportAddress;
    http: { address: string; port: number };
    https?: { address: string; port: number };
  };
  readonly store: Store;
  readonly edge: EdgePolicy;
  /** The registered bindings (with the registrar on its own thread: as it last reported them). */
  readonly registrar: BindingLookup;
  /** Every live call leg (inbound and outbound). */
  readonly legs: LegRegistry;
  readonly transactions: TransactionLayer;
  readonly transport: TransportLayer;
  /** Re-reads configuration from the store now (the watcher does this by itself). */
  reloadConfiguration(): Promise<void>;
  /** Graceful stop: refuse new calls, end calls with BYE, close everything. Safe to call twice. */
  close(): Promise<void>;
}

/** The composition root: storage, edge policy, SIP stack, PBX front and HTTP, wired together. */
export async function startServer(config: RuntimeConfig, opts: StartOptions): Promise<RunningServer> {
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? cryptoRandom;
  const logger = opts.logger;
  await mkdir(config.dataDir, { recursive: true });
  const store = await openDatabase({ dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), clock, logger });
  const cleanups: (() => Promise<void> | void)[] = [() => store.close()];
  try {
    await ensureAdministrator(store, config.adminPassword, random, opts.onAdminPasswordGenerated);
    const domain = (await store.settings.get('domain')) ?? DEFAULT_DOMAIN;
    const security = (await store.settings.get('security')) ?? DEFAULT_SECURITY_SETTINGS;

    const edge = new EdgePolicy({ clock, logger: logger.child({ component: 'sbc' }), config: security });
    // Bans known to be in the store: only those can have been lifted there by the CLI.
    const persistedBans = new Set<string>();
    for (const ban of await store.bans.list(clock.now())) {
      edge.bans.ban(ban.address, Math.max(1, Math.ceil((ban.until - clock.now()) / 1000)), ban.reason);
      persistedBans.add(ban.address);
    }
    edge.onBan((ban) => {
      persistedBans.delete(ban.address);
      store.bans.add({ address: ban.address, reason: ban.reason, until: ban.until }).then(
        () => persistedBans.add(ban.address),
        (err: unknown) => logger.error({ err }, 'ban not persisted'),
      );
    });

    const sipLogger = logger.child({ component: 'sip' });
    let transactions: TransactionLayer | undefined;
    let registrar: Registrar | undefined;
    let router: SipRequestRouter | undefined;
    const transport = new TransportLayer({
      clock,
      random,
      logger: sipLogger,
      ...(config.publicHost ? { publicHost: config.publicHost } : {}),
      acceptSource: (source) => edge.acceptSource(source.address),
      onConnectionClosed: (connectionId) => registrar?.flowClosed(connectionId),
      // With the registrar on its own thread, every REGISTER goes there unparsed (no hook otherwise:
      // it would cost every message an object).
      ...(config.registrarThread ? { divert: (raw: RawInbound) => registrar?.divert(raw) ?? false } : {}),
      onMessage: (inbound) => {
        const msg = inbound.message;
        if (msg.type === 'request' && edge.inspectRequest({ address: inbound.source.address, userAgent: getHeader(msg, 'User-Agent') }) === 'drop') return;
        if (registrar?.challengeStatelessly(inbound)) return;
        transactions?.receive(inbound);
      },
    });
    cleanups.push(() => transport.close());
    const udp = await transport.listenUdp(config.sipBind, config.sipPort);
    const tcp = await transport.listenTcp(config.sipBind, udp.port);
    let tls: TransportAddress | undefined;
    // One certificate for SIP over TLS and HTTPS/WSS: the configured one, or a self-signed one made on first start.
    const needsTls = config.sipTlsPort !== null || config.httpsPort !== null;
    const tlsCredentials: { key: string; cert: string } | undefined = !needsTls
      ? undefined
      : config.tlsCert && config.tlsKey
        ? { cert: await readFile(config.tlsCert, 'utf8'), key: await readFile(config.tlsKey, 'utf8') }
        : await loadOrCreateCertificate(join(config.dataDir, 'tls'), config.publicHost ?? domain);
    if (config.sipTlsPort !== null && tlsCredentials) {
      tls = await transport.listenTls(config.sipBind, config.sipTlsPort, tlsCredentials);
    }

    const identitySettings: IdentitySettings = {
      domain,
      bindAddress: config.sipBind,
      ports: [udp.port, tcp.port, ...(tls ? [tls.port] : []), config.httpPort],
      extraHosts: config.publicHost ? [config.publicHost] : [],
    };
    const identity = new LocalIdentity(domain, identitySettings);
    const directory = new ExtensionDirectory(store);
    await directory.reload();
    const bindingStore = new DatabaseBindingStore(store, clock, sipLogger);
    cleanups.push(() => bindingStore.close());
    const digestSecret = await loadDigestSecret(config.dataDir, random);
    const digest = new DigestAuthenticator({ clock, random, secret: digestSecret });
    let digestAlgorithms = security.digestAlgorithms ?? ['MD5'];
    let scannerUserAgents = security.scannerUserAgents ?? [...defaultScannerUserAgents];
    const registrarSettings = (): RegistrarSettings => ({
      identity: { ...identitySettings, domain: identity.domain, ports: [...identitySettings.ports] },
      algorithms: digestAlgorithms,
      scannerUserAgents,
    });
    const auth = new RequestAuthenticator(digest, directory, () => identity.domain, edge, () => digestAlgorithms);
    const registrars = await startRegistrar({
      onThread: config.registrarThread,
      clock, logger: sipLogger, transport, store: bindingStore, edge, identity, directory, auth,
      settings: registrarSettings, secret: digestSecret, logLevel: logger.level as LogLevel,
      ...(opts.sipTimers ? { timers: opts.sipTimers } : {}),
    });
    registrar = registrars;
    cleanups.push(() => registrars.close());

    const localContact = (protocol: TransportProtocol, toward?: string): string => {
      const { host, port } = transport.viaSentBy(protocol, toward);
      const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
      return `sip:atende@${h}:${port}${protocol === 'udp' ? '' : `;transport=${protocol}`}`;
    };
    const txLayer = new TransactionLayer({
      sender: transport,
      clock,
      random,
      logger: sipLogger,
      viaSentBy: (p, toward) => transport.viaSentBy(p, toward),
      onRequest: (req, tx, inbound, cancelled) => router?.onRequest(req, tx, inbound, cancelled),
      ...(opts.sipTimers ? { timers: opts.sipTimers } : {}),
    });
    transactions = txLayer;
    cleanups.push(() => txLayer.close());
    const callDeps: CallSignallingDeps = {
      transactions: txLayer,
      sender: transport,
      viaSentBy: (p, toward) => transport.viaSentBy(p, toward),
      localContact,
      clock,
      random,
      logger: logger.child({ component: 'call' }),
      userAgent: USER_AGENT,
      timers: { t1: opts.sipTimers?.t1 ?? DEFAULT_TIMERS.t1, t2: opts.sipTimers?.t2 ?? DEFAULT_TIMERS.t2 },
      ...(opts.sessionTimer !== undefined ? { sessionTimer: opts.sessionTimer } : {}),
    };
    const mediaPool = await MediaWorkerPool.start({
      ports: config.rtpPorts,
      // Port pairs bound ahead: a call's offer goes out without waiting for a media worker.
      spareEndpoints: SPARE_ENDPOINTS,
      logger: logger.child({ component: 'media' }),
      ...((opts.mediaWorkers ?? config.mediaWorkers) !== undefined ? { workers: opts.mediaWorkers ?? config.mediaWorkers } : {}),
    });
    cleanups.push(() => mediaPool.close());
    const legs = new LegRegistry(clock);
    // 3 s of quiet on this thread, and no leg left: a burst of calls right after a collection
    // runs slower (INVITE->200 p95 at 250/s of 28-60 ms with 1 s, against 10-19 ms with 3 s): the
    // collection loses much of the optimized code, and V8 compiles it again during the next few
    // seconds of calls (bench/RESULTS.md, SIP run 8).
    const idleCollector = new IdleCollector({
      clock, activity: () => transport.stats.received, collect: fullCollection(), busy: () => legs.size > 0, quietMs: 3000,
    });
    idleCollector.start();
    cleanups.push(() => idleCollector.close());
    // The young generation a burst of call setups grew: given back while SIP is quiet, calls up or not.
    const youngTrim = new YoungGenerationTrim({
      clock, activity: () => transport.stats.received, scavenge: youngCollection(), size: youngGenerationBytes,
    });
    youngTrim.start();
    cleanups.push(() => youngTrim.close());
    const legDeps: LegDeps = {
      ...callDeps,
      logger: logger.child({ component: 'leg' }),
      registry: legs,
      media: {
        pool: mediaPool,
        random,
        addresses: mediaAddresses(config.sipBind, config.publicHost),
        // Brazilian networks are A-law (ITU region); wideband and Opus when the phone offers only those.
        codecs: ['PCMA', 'PCMU', 'G722', 'opus'],
        mediaTimeoutMs: config.mediaTimeoutSeconds * 1000,
      },
    };
    const applications = {
      legs,
      legDeps,
      recordingsDir: join(config.dataDir, 'recordings'),
      startLeg: (tx: ServerTransaction) => {
        const leg = new InboundLeg(legDeps, tx);
        legs.track(leg);
        return leg;
      },
      prompts: new PromptLibrary(opts.promptsDir ?? fileURLToPath(new URL('../../prompts/', import.meta.url))),
    };
    const requestRouter = new SipRequestRouter({
      identity, directory, auth, registrar: registrars.bindings, register: (req, tx, inbound) => registrars.onRegister(req, tx, inbound),
      logger: sipLogger, userAgent: USER_AGENT, calls: applications,
    });
    router = requestRouter;

    let ready = false;
    const http: HttpServer = await startHttpServer(
      { logger: logger.child({ component: 'http' }), isReady: () => ready },
      { host: config.httpBind, port: config.httpPort },
    );
    cleanups.push(() => new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    }));
    transport.attachWebSocket(http, { path: '/sip', secure: false });
    const httpAddress = http.address();
    const httpPort = typeof httpAddress === 'object' && httpAddress ? httpAddress.port : config.httpPort;
    identity.addPort(httpPort);
    identitySettings.ports.push(httpPort);
    let httpsPort: number | undefined;
    if (config.httpsPort !== null && tlsCredentials) {
      const https: HttpServer = await startHttpServer(
        { logger: logger.child({ component: 'https' }), isReady: () => ready },
        { host: config.httpBind, port: config.httpsPort, tls: tlsCredentials },
      );
      cleanups.push(() => new Promise<void>((resolve) => {
        https.closeAllConnections();
        https.close(() => resolve());
      }));
      transport.attachWebSocket(https, { path: '/sip', secure: true });
      const a = https.address();
      httpsPort = typeof a === 'object' && a ? a.port : config.httpsPort;
      identity.addPort(httpsPort);
      identitySettings.ports.push(httpsPort);
    }
    registrars.update();

    const reloadConfiguration = async (): Promise<void> => {
      await directory.reload();
      identity.setDomain((await store.settings.get('domain')) ?? DEFAULT_DOMAIN);
      const sec = (await store.settings.get('security')) ?? DEFAULT_SECURITY_SETTINGS;
      edge.update(sec);
      digestAlgorithms = sec.digestAlgorithms ?? ['MD5'];
      scannerUserAgents = sec.scannerUserAgents ?? [...defaultScannerUserAgents];
      registrars.update();
      // A ban lifted from the CLI is gone from the store. One made here a moment ago may not be
      // written yet: only bans written before the store was read are compared.
      const written = new Set(persistedBans);
      const stored = new Set((await store.bans.list(clock.now())).map((b) => b.address));
      const active = new Set<string>();
      for (const ban of edge.bans.list()) {
        if (written.has(ban.address) && !stored.has(ban.address)) edge.bans.lift(ban.address);
        else active.add(ban.address);
      }
      for (const address of written) if (!active.has(address)) persistedBans.delete(address);
    };
    const watcher = new ConfigWatcher(store, clock, opts.configPollMs ?? 1000, reloadConfiguration, logger);
    await watcher.start();
    cleanups.push(() => watcher.close());

    ready = true;
    logger.info({ udp, tcp, tls, http: httpPort, https: httpsPort, domain: identity.domain, database: store.dialect }, 'Atende started');

    let closing: Promise<void> | undefined;
    return {
      listening: {
        udp,
        tcp,
        ...(tls ? { tls } : {}),
        http: { address: config.httpBind, port: httpPort },
        ...(httpsPort !== undefined ? { https: { address: config.httpBind, port: httpsPort } } : {}),
      },
      store,
      edge,
      registrar: registrars.bindings,
      legs,
      transactions: txLayer,
      transport,
      reloadConfiguration,
      close: () => {
        closing ??= (async () => {
          ready = false;
          requestRouter.drain();
          await legs.shutdown(3000);
          await runCleanups(cleanups, logger);
          logger.info('Atende stopped');
        })();
        return closing;
      },
    };
  } catch (err) {
    await runCleanups(cleanups, logger);
    throw err;
  }
}

async function runCleanups(cleanups: (() => Promise<void> | void)[], logger: Logger): Promise<void> {
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (err) {
      logger.warn({ err }, 'cleanup step failed');
    }
  }
}
