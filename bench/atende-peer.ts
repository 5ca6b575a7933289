// Starts Atende as its own process (the compiled dist/, as `npm start` runs it) with users
// 1001..1000+N (password pw-<user>, realm atende.local) for the benchmarks, on loopback.
import { execFile } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { spawnPeer, type PeerProcess } from '../test/support/peers/peer-process.js';
import { freePort } from '../test/support/peers/ports.js';

const run = promisify(execFile);
const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

export interface AtendePeer {
  target: string;
  pid: number;
  process: PeerProcess;
  /** The server's data directory (recordings land in its `recordings/`). */
  dataDir: string;
  stop(): Promise<void>;
}

export interface AtendePeerOptions {
  /** Extensions provisioned with `recording: always` (their calls are recorded). */
  recorded?: readonly string[];
}

export async function startAtendePeer(users: number, opts: AtendePeerOptions = {}): Promise<AtendePeer> {
  if (!existsSync(join(ROOT, 'dist/app/cli.js'))) await run('npm', ['run', 'build'], { cwd: ROOT });
  const dir = await mkdtemp(join(tmpdir(), 'atende-bench-'));
  const lines = ['domain: atende.local', 'security:', '  trusted: ["127.0.0.0/8"]', 'extensions:'];
  const recorded = new Set(opts.recorded ?? []);
  for (let i = 1001; i <= 1000 + users; i++) {
    lines.push(`  - number: "${i}"`, `    name: "Ramal ${i}"`, `    password: "pw-${i}"`);
    if (recorded.has(String(i))) lines.push('    recording: always');
  }
  await writeFile(join(dir, 'bench.yaml'), `${lines.join('\n')}\n`);
  const port = await freePort();
  const env = {
    ...process.env,
    ATENDE_DATA_DIR: join(dir, 'data'),
    ATENDE_SIP_BIND: '127.0.0.1',
    ATENDE_SIP_PORT: String(port),
    ATENDE_SIP_TLS_PORT: 'off',
    ATENDE_HTTP_PORT: String(await freePort()),
    ATENDE_ADMIN_PASSWORD: 'bench-admin-password',
    ATENDE_LOG_LEVEL: 'warn',
  };
  const cli = join(ROOT, 'bin/atende.js');
  await run('node', [cli, 'provision', 'apply', join(dir, 'bench.yaml')], { env, maxBuffer: 1 << 24 });
  // ATENDE_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the server under load.
  const nodeArgs = (process.env.ATENDE_BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const proc = spawnPeer('node', [...nodeArgs, cli, 'start'], { env });
  // ATENDE_BENCH_STDERR=FILE keeps the server's stderr (its logs) for a look afterwards.
  const stderrFile = process.env.ATENDE_BENCH_STDERR;
  if (stderrFile !== undefined) proc.child?.stderr?.pipe(createWriteStream(stderrFile));
  // ATENDE_BENCH_STDOUT=FILE keeps its stdout (where V8's --trace-gc lines go).
  const stdoutFile = process.env.ATENDE_BENCH_STDOUT;
  if (stdoutFile !== undefined) proc.child?.stdout?.pipe(createWriteStream(stdoutFile));
  const health = `http://127.0.0.1:${env.ATENDE_HTTP_PORT}/api/health`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(health).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    target: `127.0.0.1:${port}`,
    pid: proc.pid,
    process: proc,
    dataDir: env.ATENDE_DATA_DIR,
    stop: async () => {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
