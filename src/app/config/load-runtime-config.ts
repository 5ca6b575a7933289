import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../../core/index.js';
import { RUNTIME_CONFIG_ENV, type RuntimeConfig, type RuntimeConfigKey } from './runtime-config.js';
import { runtimeConfigSchema } from './runtime-config-schema.js';

type Issue = { path: string; message: string };

const ENV_BY_KEY = new Map<string, string>(Object.entries(RUNTIME_CONFIG_ENV).map(([env, key]) => [key, env]));

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError([{ path: '--config', message: `cannot read ${file} (${reason})` }]);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError([{ path: '--config', message: `${file} is not valid YAML: ${(err as Error).message}` }]);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError([{ path: '--config', message: `${file} must be a mapping of settings (sipPort: 5060, ...)` }]);
  }
  return doc as Record<string, unknown>;
}

/**
 * The runtime configuration: defaults, overridden by the YAML file (keys like `sipPort`),
 * overridden by the environment (`ATENDE_SIP_PORT`). An empty variable counts as unset.
 * Throws ConfigError whose issues name the variable or file key at fault.
 */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv, file?: string): RuntimeConfig {
  const raw: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  const issues: Issue[] = [];

  if (file !== undefined) {
    for (const [key, value] of Object.entries(readConfigFile(file))) {
      if (value === null || value === undefined) continue;
      raw[key] = value;
      origin.set(key, `${key} (in ${file})`);
    }
  }
  for (const [name, key] of Object.entries(RUNTIME_CONFIG_ENV)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    raw[key] = value;
    origin.set(key, name);
  }

  const where = (key: string): string =>
    origin.get(key) ?? (ENV_BY_KEY.has(key) ? `${ENV_BY_KEY.get(key)} / ${key}` : key);

  const parsed = runtimeConfigSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push(...describe(issue, where, file));
    throw new ConfigError(issues);
  }
  const c = parsed.data;
  return {
    dataDir: c.dataDir,
    sipBind: c.sipBind,
    sipPort: c.sipPort,
    sipTlsPort: c.sipTlsPort,
    httpsPort: c.httpsPort,
    httpPort: c.httpPort,
    httpBind: c.httpBind ?? c.sipBind,
    rtpPorts: c.rtpPorts,
    mediaWorkers: c.mediaWorkers,
    registrarThread: c.registrarThread,
    mediaTimeoutSeconds: c.mediaTimeoutSeconds,
    adminPassword: c.adminPassword,
    logLevel: c.logLevel,
    databaseUrl: c.databaseUrl,
    tlsCert: c.tlsCert,
    tlsKey: c.tlsKey,
    publicHost: c.publicHost,
  };
}

function describe(issue: z.ZodIssue, where: (key: string) => string, file: string | undefined): Issue[] {
  if (issue.code === 'unrecognized_keys') {
    // Only the file can carry unknown keys: the environment is read by name.
    const known = Object.values(RUNTIME_CONFIG_ENV).join(', ');
    return issue.keys.map((key) => {
      const mirrored = (RUNTIME_CONFIG_ENV as Record<string, RuntimeConfigKey | undefined>)[key];
      const hint = mirrored ? `write ${mirrored} in the file (${key} is the environment name)` : `known settings: ${known}`;
      return { path: file ? `${key} (in ${file})` : key, message: `unknown setting; ${hint}` };
    });
  }
  const key = String(issue.path[0] ?? '');
  return [{ path: key ? where(key) : '--config', message: issue.message }];
}
