import { readFile, writeFile } from 'node:fs/promises';
import { ConfigError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { systemClock } from '../core/clock.js';
import { openDatabase, type Store } from '../store/index.js';
import { loadRuntimeConfig, type RuntimeConfig } from './config/index.js';
import { applyProvisioning, exportProvisioning, ProvisioningError } from './provisioning/index.js';
import { startServer } from './server.js';

const HELP = `Atende — PBX, contact center and SBC

Usage:
  atende start [--config FILE]          start the server (SIP, HTTP, storage)
  atende provision apply FILE           validate and apply a provisioning YAML file
  atende provision export [FILE]        write the configuration as YAML (stdout without FILE)
  atende bans list                      list banned source addresses
  atende bans lift ADDRESS              lift a ban
  atende --help                         this text

Every command takes --config FILE; settings come from ATENDE_* environment variables
(see README.md): ATENDE_DATA_DIR, ATENDE_DATABASE_URL, ATENDE_SIP_PORT, ATENDE_HTTP_PORT...
`;

interface Parsed {
  positional: string[];
  config?: string;
  help: boolean;
}

function parseArgs(argv: string[]): Parsed {
  const out: Parsed = { positional: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--help' || a === '-h') out.help = true;
    else if (a === '--config' || a === '-c') {
      const file = argv[++i];
      if (file === undefined) throw new UsageError('--config needs a file name');
      out.config = file;
    } else if (a.startsWith('--config=')) out.config = a.slice('--config='.length);
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else out.positional.push(a);
  }
  return out;
}

class UsageError extends Error {}

async function withStore<T>(config: RuntimeConfig, fn: (store: Store) => Promise<T>): Promise<T> {
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
  const store = await openDatabase({ dataDir: config.dataDir, ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), logger });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function start(config: RuntimeConfig): Promise<number> {
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, {
    logger,
    onAdminPasswordGenerated: (password) => {
      process.stdout.write(`\nAdministrator account created: user "admin", password "${password}" (shown only once)\n\n`);
    },
  });
  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'stopping');
      server.close().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

async function provision(config: RuntimeConfig, args: string[]): Promise<number> {
  const [verb, file] = args;
  if (verb === 'apply') {
    if (!file) throw new UsageError('provision apply needs a FILE');
    const text = await readFile(file, 'utf8');
    return withStore(config, async (store) => {
      try {
        const report = await applyProvisioning(store, text, { actor: process.env['USER'] ?? 'cli', source: `cli:${file}` });
        for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
        process.stdout.write(
          `applied ${file}: ${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged\n`,
        );
        return 0;
      } catch (err) {
        if (err instanceof ProvisioningError) {
          process.stderr.write(`${file}: nothing applied; fix these problems:\n`);
          for (const issue of err.issues) process.stderr.write(`  ${issue.path}: ${issue.message}\n`);
          return 1;
        }
        throw err;
      }
    });
  }
  if (verb === 'export') {
    return withStore(config, async (store) => {
      const yaml = await exportProvisioning(store);
      if (file) await writeFile(file, yaml);
      else process.stdout.write(yaml);
      return 0;
    });
  }
  throw new UsageError('provision needs "apply FILE" or "export [FILE]"');
}

async function bans(config: RuntimeConfig, args: string[]): Promise<number> {
  const [verb, address] = args;
  return withStore(config, async (store) => {
    if (verb === 'list') {
      const list = await store.bans.list(systemClock.now());
      if (list.length === 0) process.stdout.write('no active bans\n');
      for (const b of list) process.stdout.write(`${b.address}\tuntil ${new Date(b.until).toISOString()}\t${b.reason}\n`);
      return 0;
    }
    if (verb === 'lift') {
      if (!address) throw new UsageError('bans lift needs an ADDRESS');
      const lifted = await store.bans.lift(address);
      process.stdout.write(lifted ? `ban on ${address} lifted\n` : `${address} is not banned\n`);
      return lifted ? 0 : 1;
    }
    throw new UsageError('bans needs "list" or "lift ADDRESS"');
  });
}

/** Runs the command line; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    const [command, ...rest] = args.positional;
    if (args.help || command === undefined || command === 'help') {
      process.stdout.write(HELP);
      return command === undefined && !args.help ? 2 : 0;
    }
    const config = loadRuntimeConfig(process.env, args.config);
    switch (command) {
      case 'start':
        return await start(config);
      case 'provision':
        return await provision(config, rest);
      case 'bans':
        return await bans(config, rest);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`atende: ${err.message}\n\n${HELP}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`atende: invalid configuration:\n${err.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}\n`);
      return 1;
    }
    process.stderr.write(`atende: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
