import type { LogLevel } from '../../core/index.js';

/** How this process runs: addresses, ports, storage. Comes from the environment and `--config FILE`. */
export interface RuntimeConfig {
  /** Where `atende.db`, certificates and recordings live. */
  dataDir: string;
  sipBind: string;
  /** UDP and TCP. 0 picks a free port (tests). */
  sipPort: number;
  /** TLS; `null` when turned off with `off`. */
  sipTlsPort: number | null;
  httpPort: number;
  /** HTTPS (and SIP over secure WebSocket at /sip) with the TLS certificate; `null` when off (the default). */
  httpsPort: number | null;
  httpBind: string;
  rtpPorts: { min: number; max: number };
  /** A call whose far end sends no RTP this long (and is not on hold) is hung up; 0: never. */
  mediaTimeoutSeconds: number;
  /** REGISTERs handled on a thread of their own (ATENDE_REGISTRAR_THREAD=on); default off. */
  registrarThread: boolean;
  /** Media worker threads; undefined: one per CPU. */
  mediaWorkers: number | undefined;
  /** Used on first start only; otherwise a random one is printed once. */
  adminPassword: string | undefined;
  logLevel: LogLevel;
  /** `postgres://...` selects PostgreSQL; absent means SQLite in the data dir. */
  databaseUrl: string | undefined;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /** The host advertised in Contact/Via/SDP when it differs from the bind address (NAT, cloud). */
  publicHost: string | undefined;
}

/** Each environment variable and the config-file key (camelCase) it mirrors. */
export const RUNTIME_CONFIG_ENV = {
  ATENDE_DATA_DIR: 'dataDir',
  ATENDE_SIP_BIND: 'sipBind',
  ATENDE_SIP_PORT: 'sipPort',
  ATENDE_SIP_TLS_PORT: 'sipTlsPort',
  ATENDE_HTTP_PORT: 'httpPort',
  ATENDE_HTTPS_PORT: 'httpsPort',
  ATENDE_HTTP_BIND: 'httpBind',
  ATENDE_RTP_PORTS: 'rtpPorts',
  ATENDE_MEDIA_WORKERS: 'mediaWorkers',
  ATENDE_REGISTRAR_THREAD: 'registrarThread',
  ATENDE_MEDIA_TIMEOUT: 'mediaTimeoutSeconds',
  ATENDE_ADMIN_PASSWORD: 'adminPassword',
  ATENDE_LOG_LEVEL: 'logLevel',
  ATENDE_DATABASE_URL: 'databaseUrl',
  ATENDE_TLS_CERT: 'tlsCert',
  ATENDE_TLS_KEY: 'tlsKey',
  ATENDE_PUBLIC_HOST: 'publicHost',
} as const satisfies Record<string, keyof RuntimeConfig>;

export type RuntimeConfigKey = (typeof RUNTIME_CONFIG_ENV)[keyof typeof RUNTIME_CONFIG_ENV];
