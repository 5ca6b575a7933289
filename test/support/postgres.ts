// A throwaway PostgreSQL 15 cluster for tests: initdb in a temp dir as the `postgres` user
// (initdb refuses root), started with pg_ctl on a free loopback port, removed afterwards.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export const POSTGRES_BIN_DIR = process.env.ATENDE_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** True when the PostgreSQL suites are skipped on purpose (ATENDE_SKIP_PG=1). Otherwise missing binaries fail. */
export const skipPostgres = process.env.ATENDE_SKIP_PG === '1';

export interface PostgresCluster {
  readonly port: number;
  /** Connection URL for a database of the cluster (default `postgres`). */
  url(database?: string): string;
  /** Creates an empty database and returns its URL: one per test keeps tests independent. */
  createDatabase(): Promise<string>;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL binary as the `postgres` user when we are root, as ourselves otherwise. */
async function runAsPostgres(binary: string, args: string[]): Promise<void> {
  const file = join(POSTGRES_BIN_DIR, binary);
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  try {
    await run(cmd, argv, { timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${binary} ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

let databaseCounter = 0;

/** Starts a fresh cluster. Throws (the suite fails) when the binaries are missing. */
export async function startPostgres(): Promise<PostgresCluster> {
  if (!existsSync(join(POSTGRES_BIN_DIR, 'initdb'))) {
    throw new Error(
      `PostgreSQL binaries not found in ${POSTGRES_BIN_DIR}: apt-get install postgresql-15 ` +
        '(or set ATENDE_SKIP_PG=1 to skip the PostgreSQL suites on purpose)',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'atende-pg-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const dataDir = join(dir, 'db');
  const port = await freePort();
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await runAsPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await runAsPostgres('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`;
    await runAsPostgres('pg_ctl', ['-D', dataDir, '-o', serverOptions, '-l', join(dir, 'log'), '-w', 'start']);
  } catch (err) {
    await stop();
    throw err;
  }
  const url = (database = 'postgres'): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase() {
      const name = `t${process.pid}_${++databaseCounter}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
  };
}
