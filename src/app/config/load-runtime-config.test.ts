import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/index.js';
import { loadRuntimeConfig } from './index.js';

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('loadRuntimeConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atende-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  async function file(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  it('has the documented defaults', () => {
    expect(loadRuntimeConfig({})).toEqual({
      dataDir: './data',
      sipBind: '0.0.0.0',
      sipPort: 5060,
      sipTlsPort: 5061,
      httpPort: 8080,
      httpsPort: null,
      httpBind: '0.0.0.0',
      rtpPorts: { min: 20000, max: 29999 },
      mediaTimeoutSeconds: 60,
      registrarThread: false,
      adminPassword: undefined,
      logLevel: 'info',
      databaseUrl: undefined,
      tlsCert: undefined,
      tlsKey: undefined,
      publicHost: undefined,
    });
  });

  it('takes every variable from the environment, ignoring unrelated and empty ones', () => {
    const c = loadRuntimeConfig({
      ATENDE_DATA_DIR: '/var/lib/atende',
      ATENDE_SIP_BIND: '127.0.0.1',
      ATENDE_SIP_PORT: '5070',
      ATENDE_SIP_TLS_PORT: 'off',
      ATENDE_HTTP_PORT: '0',
      ATENDE_HTTPS_PORT: '8443',
      ATENDE_RTP_PORTS: '30000 - 30099',
      ATENDE_MEDIA_TIMEOUT: '30',
      ATENDE_MEDIA_WORKERS: '2',
      ATENDE_REGISTRAR_THREAD: 'on',
      ATENDE_ADMIN_PASSWORD: 'correct horse',
      ATENDE_LOG_LEVEL: 'debug',
      ATENDE_DATABASE_URL: 'postgres://atende:pw@db:5432/atende',
      ATENDE_TLS_CERT: '/etc/atende/cert.pem',
      ATENDE_TLS_KEY: '/etc/atende/key.pem',
      ATENDE_PUBLIC_HOST: 'pbx.example.org',
      ATENDE_HTTP_BIND: '',
      ATENDE_SKIP_PG: '1',
      PATH: '/usr/bin',
    });
    expect(c).toEqual({
      dataDir: '/var/lib/atende',
      sipBind: '127.0.0.1',
      sipPort: 5070,
      sipTlsPort: null,
      httpPort: 0,
      httpsPort: 8443,
      httpBind: '127.0.0.1', // follows the SIP bind when not set
      rtpPorts: { min: 30000, max: 30099 },
      mediaTimeoutSeconds: 30,
      mediaWorkers: 2,
      registrarThread: true,
      adminPassword: 'correct horse',
      logLevel: 'debug',
      databaseUrl: 'postgres://atende:pw@db:5432/atende',
      tlsCert: '/etc/atende/cert.pem',
      tlsKey: '/etc/atende/key.pem',
      publicHost: 'pbx.example.org',
    });
  });

  it('reads the YAML file and lets the environment win', async () => {
    const path = await file(
      'a.yaml',
      'sipPort: 5080\nhttpBind: "::1"\nsipTlsPort: false\nlogLevel: warn\nrtpPorts: 40000-40999\n',
    );
    const c = loadRuntimeConfig({ ATENDE_SIP_PORT: '5090' }, path);
    expect(c.sipPort).toBe(5090);
    expect(c.httpBind).toBe('::1');
    expect(c.sipTlsPort).toBeNull();
    expect(c.logLevel).toBe('warn');
    expect(c.rtpPorts).toEqual({ min: 40000, max: 40999 });
  });

  it('names every bad environment variable with a clear message', () => {
    const issues = issuesOf(() =>
      loadRuntimeConfig({
        ATENDE_SIP_PORT: '70000',
        ATENDE_HTTP_PORT: 'http',
        ATENDE_SIP_BIND: 'localhost',
        ATENDE_RTP_PORTS: '29999-20000',
        ATENDE_LOG_LEVEL: 'verbose',
        ATENDE_DATABASE_URL: 'mysql://x',
        ATENDE_ADMIN_PASSWORD: 'short',
        ATENDE_PUBLIC_HOST: 'bad host!',
        ATENDE_MEDIA_WORKERS: '0',
        ATENDE_MEDIA_TIMEOUT: '-5',
      }),
    );
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath).toEqual({
      ATENDE_SIP_PORT: 'must be a port number from 0 to 65535 (0 picks a free port), got "70000"',
      ATENDE_HTTP_PORT: 'must be a port number from 0 to 65535 (0 picks a free port), got "http"',
      ATENDE_SIP_BIND: 'must be an IPv4 or IPv6 address to listen on, got "localhost"',
      ATENDE_RTP_PORTS: 'the first port must be lower than the last, got "29999-20000"',
      ATENDE_LOG_LEVEL: 'must be one of fatal, error, warn, info, debug, trace, silent',
      ATENDE_DATABASE_URL: 'must be a PostgreSQL URL (postgres://user:password@host:port/database)',
      ATENDE_ADMIN_PASSWORD: 'must have at least 8 characters',
      ATENDE_PUBLIC_HOST: 'must be a host name or IP address, got "bad host!"',
      ATENDE_MEDIA_WORKERS: 'must be a whole number from 1 to 64, got "0"',
      ATENDE_MEDIA_TIMEOUT: 'must be whole seconds from 0 (off) to 86400, got "-5"',
    });
    expect(loadRuntimeConfig({}).mediaTimeoutSeconds).toBe(60);
    expect(loadRuntimeConfig({ ATENDE_MEDIA_TIMEOUT: '0' }).mediaTimeoutSeconds).toBe(0);
    expect(loadRuntimeConfig({ ATENDE_MEDIA_WORKERS: '3' }).mediaWorkers).toBe(3);
    expect(loadRuntimeConfig({}).mediaWorkers).toBeUndefined();
  });

  it('puts the registrar on its own thread only when asked, and names a bad value', () => {
    expect(loadRuntimeConfig({}).registrarThread).toBe(false);
    expect(loadRuntimeConfig({ ATENDE_REGISTRAR_THREAD: 'on' }).registrarThread).toBe(true);
    expect(loadRuntimeConfig({ ATENDE_REGISTRAR_THREAD: 'OFF' }).registrarThread).toBe(false);
    expect(() => loadRuntimeConfig({ ATENDE_REGISTRAR_THREAD: 'yes' })).toThrow(/ATENDE_REGISTRAR_THREAD.*must be on or off, got "yes"/s);
  });

  it('rejects malformed port ranges and a half TLS setup', () => {
    expect(issuesOf(() => loadRuntimeConfig({ ATENDE_RTP_PORTS: '20000' }))[0]?.message).toMatch(/like 20000-29999/);
    expect(issuesOf(() => loadRuntimeConfig({ ATENDE_RTP_PORTS: '0-100' }))[0]?.path).toBe('ATENDE_RTP_PORTS');
    expect(issuesOf(() => loadRuntimeConfig({ ATENDE_TLS_CERT: '/c.pem' }))).toEqual([
      { path: 'ATENDE_TLS_KEY / tlsKey', message: 'is required when a TLS certificate is set' },
    ]);
    expect(issuesOf(() => loadRuntimeConfig({ ATENDE_SIP_TLS_PORT: 'maybe' }))[0]).toMatchObject({
      path: 'ATENDE_SIP_TLS_PORT',
      message: expect.stringContaining('or "off"'),
    });
  });

  it('names bad and unknown file keys with the file', async () => {
    const path = await file('b.yaml', 'sipPort: -1\nsipProt: 5060\nATENDE_LOG_LEVEL: debug\nadminPassword: 12345678\n');
    const issues = issuesOf(() => loadRuntimeConfig({}, path));
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: `sipPort (in ${path})`, message: expect.stringContaining('must be a port number') },
        { path: `sipProt (in ${path})`, message: expect.stringContaining('unknown setting; known settings: dataDir') },
        { path: `ATENDE_LOG_LEVEL (in ${path})`, message: expect.stringContaining('write logLevel in the file') },
        { path: `adminPassword (in ${path})`, message: 'Expected string, received number' },
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it('reports an unreadable or malformed file against --config', async () => {
    expect(issuesOf(() => loadRuntimeConfig({}, join(dir, 'missing.yaml')))).toEqual([
      { path: '--config', message: expect.stringContaining('ENOENT') },
    ]);
    const broken = await file('c.yaml', 'sipPort: [5060\n');
    expect(issuesOf(() => loadRuntimeConfig({}, broken))[0]?.message).toMatch(/not valid YAML/);
    const list = await file('d.yaml', '- a\n- b\n');
    expect(issuesOf(() => loadRuntimeConfig({}, list))[0]?.message).toMatch(/must be a mapping/);
    expect(loadRuntimeConfig({}, await file('e.yaml', '# only a comment\n')).sipPort).toBe(5060);
  });

  it('formats ConfigError messages as path: message lines', () => {
    try {
      loadRuntimeConfig({ ATENDE_SIP_PORT: 'x', ATENDE_LOG_LEVEL: 'loud' });
    } catch (err) {
      expect((err as Error).message.split('\n')).toEqual([
        'ATENDE_SIP_PORT: must be a port number from 0 to 65535 (0 picks a free port), got "x"',
        'ATENDE_LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
      ]);
    }
    expect.assertions(1);
  });
});
