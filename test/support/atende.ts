// Starts a real Atende server in this process on loopback ephemeral ports, with a temporary
// data dir and a provisioning file applied first. Interop tests point real peers at it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, silentLogger, type Logger } from '../../src/core/logger.js';
import { loadRuntimeConfig } from '../../src/app/config/index.js';
import { applyProvisioning } from '../../src/app/provisioning/index.js';
import { startServer, type RunningServer } from '../../src/app/server.js';
import { openDatabase } from '../../src/store/index.js';

export interface TestExtension {
  number: string;
  name?: string;
  password: string;
  recording?: 'always' | 'never' | 'onDemand';
}

export interface StartAtendeOptions {
  extensions?: TestExtension[];
  /** N extensions 1001..1000+N with password `pw-<number>` (the Kamailio peer's convention). */
  extensionCount?: number;
  domain?: string;
  /** CIDRs exempt from flood limits and bans; default 127.0.0.1/32 (the peers' address). */
  trusted?: string[];
  /** Extra YAML appended to the provisioning file (e.g. a security section). */
  security?: { bans?: { failures?: number; windowSeconds?: number; banSeconds?: number }; flood?: { requests?: number; windowSeconds?: number }; deny?: string[] };
  /** Extra environment (ATENDE_*) for the runtime configuration. */
  env?: Record<string, string>;
  /** Log to stderr at this level (default: silent; ATENDE_TEST_LOG=debug overrides). */
  logLevel?: string;
  tls?: boolean;
  /** Shorter RFC 3261 timers (e.g. { t1: 50 }) so transactions settle quickly in tests. */
  sipTimers?: { t1?: number; t2?: number; t4?: number };
  /** Session timers (RFC 4028) with intervals short enough for a test. */
  sessionTimer?: { sessionExpiresS: number; minSES: number; imposeWhenAbsent: boolean };
  /** Prompts folder (default: the bundled prompts). */
  promptsDir?: string;
  /** Reuse this data dir (a restart: bindings and bans persisted there survive) instead of a new temp dir. */
  dataDir?: string;
  /** Fixed UDP/TCP SIP port (e.g. the previous run's, for a restart); default ephemeral. */
  sipPort?: number;
  /** Fixed HTTP port; default ephemeral. */
  httpPort?: number;
}

export interface TestAtende {
  server: RunningServer;
  dataDir: string;
  domain: string;
  sipPort: number;
  tlsPort: number | undefined;
  httpPort: number;
  /** `127.0.0.1:PORT` of UDP/TCP SIP. */
  sipTarget: string;
  stop(): Promise<void>;
}

function yamlString(s: string): string {
  return JSON.stringify(s);
}

/** The provisioning YAML a test server starts with. */
export function provisioningYaml(opts: StartAtendeOptions): string {
  const domain = opts.domain ?? 'atende.local';
  const exts: TestExtension[] = [...(opts.extensions ?? [])];
  for (let i = 1; i <= (opts.extensionCount ?? 0); i++) {
    const number = String(1000 + i);
    exts.push({ number, password: `pw-${number}` });
  }
  const lines = [`domain: ${domain}`, 'security:', `  trusted: ${JSON.stringify(opts.trusted ?? ['127.0.0.1/32'])}`];
  const sec = opts.security ?? {};
  if (sec.deny) lines.push(`  deny: ${JSON.stringify(sec.deny)}`);
  if (sec.bans) lines.push(`  bans: ${JSON.stringify(sec.bans)}`);
  if (sec.flood) lines.push(`  flood: ${JSON.stringify(sec.flood)}`);
  if (exts.length > 0) {
    lines.push('extensions:');
    for (const e of exts) {
      lines.push(`  - number: ${yamlString(e.number)}`, `    name: ${yamlString(e.name ?? `Ramal ${e.number}`)}`, `    password: ${yamlString(e.password)}`);
      if (e.recording !== undefined) lines.push(`    recording: ${e.recording}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function rtpWindow(): string {
  const start = 30000 + 200 * Math.floor(Math.random() * 49);
  return `${start}-${start + 199}`;
}

/** Applies the provisioning and starts the server; `stop()` closes it and removes the data dir. */
export async function startAtende(opts: StartAtendeOptions = {}): Promise<TestAtende> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'atende-test-')));
  const databaseUrl = opts.env?.['ATENDE_DATABASE_URL'];
  const store = await openDatabase({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
  try {
    await applyProvisioning(store, provisioningYaml(opts), { actor: 'test', source: 'test' });
  } finally {
    await store.close();
  }
  const config = loadRuntimeConfig({
    ATENDE_DATA_DIR: dataDir,
    ATENDE_SIP_BIND: '127.0.0.1',
    ATENDE_SIP_PORT: String(opts.sipPort ?? 0),
    ATENDE_SIP_TLS_PORT: opts.tls === false ? 'off' : '0',
    ATENDE_HTTP_PORT: String(opts.httpPort ?? 0),
    ATENDE_ADMIN_PASSWORD: 'admin-test-password',
    // A window of its own in 30000-39999, away from the peers' ephemeral ports: servers of
    // parallel test files rarely meet (and a taken port is skipped anyway).
    ATENDE_RTP_PORTS: rtpWindow(),
    ...(opts.env ?? {}),
  });
  const level = process.env['ATENDE_TEST_LOG'] ?? opts.logLevel;
  const logger: Logger = level ? createLogger(level as 'info', process.stderr) : silentLogger();
  const server = await startServer(config, { logger, configPollMs: 200, ...(opts.sipTimers ? { sipTimers: opts.sipTimers } : {}), ...(opts.sessionTimer ? { sessionTimer: opts.sessionTimer } : {}),
    // One media worker per test server: several servers share the test machine's two cores.
    mediaWorkers: 1, ...(opts.promptsDir !== undefined ? { promptsDir: opts.promptsDir } : {}) });
  const sipPort = server.listening.udp.port;
  return {
    server,
    dataDir,
    domain: opts.domain ?? 'atende.local',
    sipPort,
    tlsPort: server.listening.tls?.port,
    httpPort: server.listening.http.port,
    sipTarget: `127.0.0.1:${sipPort}`,
    stop: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
