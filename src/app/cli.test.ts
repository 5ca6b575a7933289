// The command line in-process: main() with the environment saved and restored, and what it
// writes to stdout/stderr captured. `start` is covered by test/interop/lifecycle.test.ts.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../core/clock.js';
import { digestHa1, openDatabase } from '../store/index.js';
import { main } from './cli.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let savedEnv: NodeJS.ProcessEnv;
const dirs: string[] = [];

beforeEach(() => {
  savedEnv = { ...process.env };
  // Settings from the machine running the tests must not leak into these runs.
  for (const name of Object.keys(process.env)) if (name.startsWith('ATENDE_')) delete process.env[name];
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'atende-cli-'));
  dirs.push(dir);
  return dir;
}

/** Runs main(argv) with extra environment, capturing both output streams. */
async function run(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const capture = (append: (s: string) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write;
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((s) => (stdout += s)));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture((s) => (stderr += s)));
  const before = { ...process.env };
  Object.assign(process.env, env);
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const name of Object.keys(env)) {
      if (name in before) process.env[name] = before[name];
      else delete process.env[name];
    }
  }
}

const VALID = `domain: atende.local
security:
  trusted: ["127.0.0.1/32"]
extensions:
  - number: "1001"
    name: "Ana Souza"
    password: "plain-secret-1001"
  - number: "1002"
    name: "Bruno Lima"
    password: "plain-secret-1002"
`;

describe('atende CLI', () => {
  it('prints usage for --help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage:');
    for (const cmd of ['start', 'provision apply FILE', 'provision export', 'bans list', 'bans lift ADDRESS']) {
      expect(r.stdout).toContain(cmd);
    }
  });

  it('exits 2 with the usage on stderr for an unknown command or option', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).toContain('Usage:');
    expect((await run(['start', '--bogus'])).code).toBe(2);
    expect((await run(['provision'])).code).toBe(2);
  });

  it('exits 1 naming the variable when a setting is invalid', async () => {
    const dataDir = await tempDir();
    const r = await run(['provision', 'export'], { ATENDE_DATA_DIR: dataDir, ATENDE_SIP_PORT: 'abc' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('ATENDE_SIP_PORT');
    expect(r.stderr).toContain('"abc"');
    // start refuses the same way, before binding anything.
    const s = await run(['start'], { ATENDE_DATA_DIR: dataDir, ATENDE_SIP_BIND: 'not-an-address' });
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('ATENDE_SIP_BIND');
  });

  it('reports every problem of an invalid file with its path and applies nothing', async () => {
    const dataDir = await tempDir();
    const env = { ATENDE_DATA_DIR: dataDir };
    const file = join(dataDir, 'bad.yaml');
    await writeFile(
      file,
      `domain: atende.local
extensions:
  - number: "2001"
    name: "Valid Entry"
    password: "pw-2001"
  - number: 12ab
    name: "Bad Number"
  - number: "2003"
    name: ""
  - number: "2001"
    name: "Duplicate"
`,
    );
    const r = await run(['provision', 'apply', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nothing applied');
    expect(r.stderr).toMatch(/extensions\[1\]\.number: /);
    expect(r.stderr).toMatch(/extensions\[2\]\.name: /);
    expect(r.stderr).toMatch(/extensions\[3\]\.number: .*duplicate/);
    // Not even the valid entry nor the domain was written.
    const exported = await run(['provision', 'export'], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).not.toContain('2001');
    expect(exported.stdout).not.toContain('atende.local');
  });

  it('reports a missing file without a stack trace', async () => {
    const dataDir = await tempDir();
    const r = await run(['provision', 'apply', join(dataDir, 'missing.yaml')], { ATENDE_DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^atende: .*missing\.yaml/);
  });

  it('applies a valid file once: the second apply reports no change', async () => {
    const dataDir = await tempDir();
    const env = { ATENDE_DATA_DIR: dataDir };
    const file = join(dataDir, 'valid.yaml');
    await writeFile(file, VALID);
    const first = await run(['provision', 'apply', file], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/[1-9]\d* created/);
    const second = await run(['provision', 'apply', file], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/: 0 created, 0 updated, [1-9]\d* unchanged/);
  });

  it('exports hashes, never passwords, and export + apply on an empty data dir reproduces the export', async () => {
    const source = await tempDir();
    const file = join(source, 'valid.yaml');
    await writeFile(file, VALID);
    expect((await run(['provision', 'apply', file], { ATENDE_DATA_DIR: source })).code).toBe(0);

    const exportFile = join(source, 'export.yaml');
    const exported = await run(['provision', 'export', exportFile], { ATENDE_DATA_DIR: source });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toBe('');
    const text = await readFile(exportFile, 'utf8');
    expect(text).not.toContain('plain-secret');
    expect(text).toContain(digestHa1('MD5', '1001', 'atende.local', 'plain-secret-1001'));
    expect(text).toContain(digestHa1('SHA-256', '1002', 'atende.local', 'plain-secret-1002'));
    // Without FILE the same YAML goes to stdout.
    expect((await run(['provision', 'export'], { ATENDE_DATA_DIR: source })).stdout).toBe(text);

    const target = await tempDir();
    const applied = await run(['provision', 'apply', exportFile], { ATENDE_DATA_DIR: target });
    expect(applied.code, applied.stderr).toBe(0);
    const again = await run(['provision', 'export'], { ATENDE_DATA_DIR: target });
    expect(again.stdout).toBe(text);
  });

  it('lists and lifts bans stored by the server', async () => {
    const dataDir = await tempDir();
    const env = { ATENDE_DATA_DIR: dataDir };
    const store = await openDatabase({ dataDir });
    const until = systemClock.now() + 600_000;
    try {
      await store.bans.add({ address: '203.0.113.7', reason: '5 failed authentications', until });
      await store.bans.add({ address: '198.51.100.9', reason: 'expired', until: systemClock.now() - 1000 });
    } finally {
      await store.close();
    }
    const listed = await run(['bans', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('203.0.113.7');
    expect(listed.stdout).toContain('5 failed authentications');
    expect(listed.stdout).toContain(new Date(until).toISOString());
    expect(listed.stdout).not.toContain('198.51.100.9');

    const lifted = await run(['bans', 'lift', '203.0.113.7'], env);
    expect(lifted.code).toBe(0);
    expect(lifted.stdout).toContain('lifted');
    expect((await run(['bans', 'list'], env)).stdout).toBe('no active bans\n');
    const twice = await run(['bans', 'lift', '203.0.113.7'], env);
    expect(twice.code).toBe(1);
    expect(twice.stdout).toContain('not banned');
    expect((await run(['bans', 'lift'], env)).code).toBe(2);
  });
});
