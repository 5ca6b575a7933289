// The process lifecycle as an operator sees it: `node bin/atende.js start` as a real process
// (the compiled tree, as `npm start` runs it), first-start administrator password, health,
// provisioning applied from another process while running, graceful shutdown on SIGTERM with
// real SIPp calls, and registrations that survive SIGKILL.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provisioningYaml } from '../support/atende.js';
import { removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';
import { freePort } from '../support/peers/ports.js';
import { runSipp, startSipp, type SippHandle, type SippResult, describeSippResult } from '../support/peers/sipp.js';
import { writeSippCsv, type SippUser } from '../support/peers/sipp-csv.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const BIN = join(ROOT, 'bin/atende.js');
const CLI_JS = join(ROOT, 'dist/app/cli.js');
const DOMAIN = 'atende.local';
const ADMIN_LINE = /Administrator account created: user "admin", password "([^"]+)"/g;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm run build` when dist/ is missing or older than a source file. */
async function ensureBuilt(): Promise<void> {
  if (existsSync(CLI_JS) && statSync(CLI_JS).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  const result = await new Promise<{ code: number; output: string }>((done) => {
    execFile('npm', ['run', 'build'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      done({ code: err ? 1 : 0, output: `${stdout}${stderr}` }),
    );
  });
  // tsc still emits on type errors; a broken build is reported by `npm test`'s type check.
  if (result.code !== 0 && !existsSync(CLI_JS)) throw new Error(`npm run build failed:\n${result.output.slice(-4000)}`);
}

/** The parent's environment without ATENDE_* settings, plus these. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ATENDE_')) env[k] = v;
  return { ...env, ...extra };
}

interface Ports {
  sip: number;
  http: number;
  tls: number | 'off';
}

async function pickPorts(tls = false): Promise<Ports> {
  // freePort() checks UDP and TCP: SIP listens on both with the same number.
  return { sip: await freePort(), http: await freePort(), tls: tls ? await freePort() : 'off' };
}

function serverEnv(dataDir: string, ports: Ports, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return childEnv({
    ATENDE_DATA_DIR: dataDir,
    ATENDE_SIP_BIND: '127.0.0.1',
    ATENDE_SIP_PORT: String(ports.sip),
    ATENDE_SIP_TLS_PORT: String(ports.tls),
    ATENDE_HTTP_PORT: String(ports.http),
    ...extra,
  });
}

interface AtendeProcess {
  readonly child: ChildProcess;
  readonly ports: Ports;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
  status(): string;
}

const processes = new Set<AtendeProcess>();

function spawnAtende(dataDir: string, ports: Ports, extra: Record<string, string> = {}): AtendeProcess {
  const child = spawn(process.execPath, [BIN, 'start'], { cwd: dataDir, env: serverEnv(dataDir, ports, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
  let status = 'running';
  // 'close' comes after the output pipes are drained: what the process printed is all there.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('close', (code, signal) => {
      status = `exited with code ${code}, signal ${signal}`;
      done({ code, signal });
    });
  });
  const proc: AtendeProcess = { child, ports, exited, stdout: () => out, stderr: () => err, status: () => status };
  processes.add(proc);
  void exited.then(() => processes.delete(proc));
  return proc;
}

function describeProcess(p: AtendeProcess): string {
  return `${p.status()}\nstdout:\n${p.stdout().slice(-3000)}\nstderr:\n${p.stderr().slice(-3000)}`;
}

/** Polls GET /api/health until 200; fails when the process exits first or after timeoutMs. */
async function waitHealthy(p: AtendeProcess, timeoutMs = 20_000): Promise<{ status: number; body: unknown }> {
  const deadline = performance.now() + timeoutMs;
  let exited = false;
  void p.exited.then(() => (exited = true));
  while (performance.now() < deadline && !exited) {
    try {
      const res = await fetch(`http://127.0.0.1:${p.ports.http}/api/health`, { signal: AbortSignal.timeout(1000) });
      const body: unknown = await res.json().catch(() => undefined);
      if (res.status === 200) return { status: res.status, body };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`Atende not healthy (exited: ${exited})\n${describeProcess(p)}`);
}

async function startHealthy(dataDir: string, ports: Ports, extra: Record<string, string> = {}): Promise<AtendeProcess> {
  const p = spawnAtende(dataDir, ports, extra);
  await waitHealthy(p);
  return p;
}

/** SIGTERM, and the exit status with how long it took. */
async function terminate(p: AtendeProcess, timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const t0 = performance.now();
  p.child.kill('SIGTERM');
  const exit = await Promise.race([p.exited, sleep(timeoutMs).then(() => undefined)]);
  if (exit === undefined) throw new Error(`no exit ${timeoutMs} ms after SIGTERM\n${describeProcess(p)}`);
  return { ...exit, ms: performance.now() - t0 };
}

async function runCli(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dataDir, env: childEnv({ ATENDE_DATA_DIR: dataDir }) }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'atende-lifecycle-'));
  dirs.push(d);
  return d;
}

/** A data dir provisioned through the CLI with extensions 1001..1000+count (password pw-NNNN). */
async function provisionedDir(count: number): Promise<string> {
  const dir = await tempDir();
  const file = join(dir, 'provisioning.yaml');
  await writeFile(file, provisioningYaml({ extensionCount: count }));
  const r = await runCli(['provision', 'apply', file], dir);
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

const user = (n: number, target?: number): SippUser => ({ user: String(n), password: `pw-${n}`, ...(target ? { target: String(target) } : {}) });

async function registeredCallee(dir: string, target: string, n: number, ooc: string): Promise<SippHandle> {
  const csv = await writeSippCsv(join(dir, `callee-${n}.csv`), DOMAIN, [user(n)]);
  const callee = await startSipp({
    scenario: 'registered-callee', target, injectCsv: csv, calls: 1, pauseMs: 120_000, oocScenario: ooc, timeoutMs: 150_000,
  });
  await callee.waitForLog(new RegExp(`registered ${n}`), 10_000);
  return callee;
}

/** Sends one INVITE from a raw UDP socket and resolves with the status of the final response. */
async function inviteFinalStatus(sipPort: number, timeoutMs: number): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const local = socket.address().port;
  const branch = `z9hG4bK-drain-${local}`;
  const common = [
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:1001@${DOMAIN}>;tag=drain${local}`,
  ];
  const invite = [
    `INVITE sip:1002@${DOMAIN} SIP/2.0`, ...common, `To: <sip:1002@${DOMAIN}>`, `Call-ID: drain-${local}@127.0.0.1`,
    'CSeq: 1 INVITE', `Contact: <sip:1001@127.0.0.1:${local}>`, 'Content-Length: 0', '', '',
  ].join('\r\n');
  try {
    return await new Promise<number>((done, fail) => {
      const timer = setTimeout(() => fail(new Error('no final response to the INVITE')), timeoutMs);
      socket.on('message', (msg) => {
        const text = msg.toString('utf8');
        const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1]);
        if (!(status >= 200)) return;
        clearTimeout(timer);
        const to = /^To:.*$/im.exec(text)?.[0] ?? `To: <sip:1002@${DOMAIN}>`;
        const ack = [`ACK sip:1002@${DOMAIN} SIP/2.0`, ...common, to, `Call-ID: drain-${local}@127.0.0.1`, 'CSeq: 1 ACK', 'Content-Length: 0', '', ''].join('\r\n');
        socket.send(ack, sipPort, '127.0.0.1', () => done(status));
      });
      socket.send(invite, sipPort, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

afterEach(async () => {
  await stopAllPeers();
  for (const p of [...processes]) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
});

afterAll(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  await removePeerDirs(); // KEEP_PEER_DIRS=1 keeps SIPp traces
});

describe('atende start as a process', () => {
  it('prints a generated administrator password on the first start only, and exits 0 on SIGTERM', async () => {
    const dataDir = await tempDir();
    const ports = await pickPorts(true);
    const first = await startHealthy(dataDir, ports);
    // The password is written before the server reports ready; give stdout a moment to flush.
    await sleep(100);
    const printed = [...first.stdout().matchAll(ADMIN_LINE)];
    expect(printed.length, describeProcess(first)).toBe(1);
    expect(printed[0]?.[1]?.length ?? 0).toBeGreaterThanOrEqual(12);
    const stopped = await terminate(first);
    expect(stopped.code, describeProcess(first)).toBe(0);

    // What the first start left in the data dir (docs/operations.md lists it).
    const contents = await readdir(dataDir);
    expect(contents).toEqual(expect.arrayContaining(['atende.db', 'digest-secret', 'tls']));
    expect((await readdir(join(dataDir, 'tls'))).length).toBeGreaterThan(0);

    const second = await startHealthy(dataDir, ports);
    await sleep(100);
    expect(second.stdout()).not.toMatch(ADMIN_LINE);
    expect((await terminate(second)).code).toBe(0);
  });

  it('answers GET /api/health with 200 {"status":"ok"} once started', async () => {
    const dataDir = await tempDir();
    const p = await startHealthy(dataDir, await pickPorts(), { ATENDE_ADMIN_PASSWORD: 'admin-lifecycle-pw' });
    const res = await fetch(`http://127.0.0.1:${p.ports.http}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    // ATENDE_ADMIN_PASSWORD set: nothing printed.
    expect(p.stdout()).not.toMatch(ADMIN_LINE);
  });

  it('refuses to start with an invalid setting, naming it, exit code 1', async () => {
    const dataDir = await tempDir();
    const p = spawnAtende(dataDir, await pickPorts(), { ATENDE_SIP_PORT: 'abc' });
    const exit = await p.exited;
    expect(exit.code).toBe(1);
    expect(p.stderr()).toContain('ATENDE_SIP_PORT');
  });

  it('takes an extension provisioned by another process without a restart', async () => {
    const dataDir = await provisionedDir(2);
    const p = await startHealthy(dataDir, await pickPorts(), { ATENDE_ADMIN_PASSWORD: 'admin-lifecycle-pw' });
    const target = `127.0.0.1:${p.ports.sip}`;
    const csv = await writeSippCsv(join(dataDir, 'new.csv'), DOMAIN, [user(1003)]);
    const register = () => runSipp({ scenario: 'register-auth', target, injectCsv: csv, calls: 1, timeoutMs: 6000 });

    // 1003 is not provisioned yet: its REGISTER is refused.
    const before = await register();
    expect(before.successful, describeSippResult(before)).toBe(0);

    const file = join(dataDir, 'add-1003.yaml');
    await writeFile(file, 'extensions:\n  - number: "1003"\n    name: "Carla Dias"\n    password: "pw-1003"\n');
    const applied = await runCli(['provision', 'apply', file], dataDir);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('1 created');

    const t0 = performance.now();
    let last: SippResult | undefined;
    while (performance.now() - t0 < 5000) {
      last = await register();
      if (last.successful === 1) break;
      await sleep(200);
    }
    expect(last?.successful, last && describeSippResult(last)).toBe(1);
    // The watcher polls every second: the change is live well within 3 s of the apply.
    expect(performance.now() - t0).toBeLessThan(3500);
    expect(p.child.exitCode).toBeNull();
  });

  it('on SIGTERM refuses new calls, sends BYE on every call and exits 0', async () => {
    const dataDir = await provisionedDir(2);
    const p = await startHealthy(dataDir, await pickPorts(), { ATENDE_ADMIN_PASSWORD: 'admin-lifecycle-pw' });
    const target = `127.0.0.1:${p.ports.sip}`;
    const callee = await registeredCallee(dataDir, target, 1002, 'uas-answer-until-bye');
    const csv = await writeSippCsv(join(dataDir, 'caller.csv'), DOMAIN, [user(1001, 1002)]);
    const caller = await startSipp({ scenario: 'uac-auth-call-until-bye', target, injectCsv: csv, calls: 1, timeoutMs: 60_000 });
    await caller.waitForLog(/call up/, 10_000);
    await callee.waitForLog(/answered/, 10_000);

    const t0 = performance.now();
    p.child.kill('SIGTERM');
    await Promise.all([caller.waitForLog(/BYE from server/, 5000), callee.waitForLog(/BYE from server/, 5000)]);
    // The callee holds its 200 for a second: the server is still draining, and a new INVITE gets 503.
    expect(await inviteFinalStatus(p.ports.sip, 2000)).toBe(503);

    const exit = await Promise.race([p.exited, sleep(8000).then(() => undefined)]);
    expect(exit, describeProcess(p)).toEqual({ code: 0, signal: null });
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(p.stdout()).toMatch(/Atende stopped/);

    // The caller's call ended well: BYE received and answered.
    const callerResult = await caller.done();
    expect(callerResult.successful, describeSippResult(callerResult)).toBe(1);
    expect(callerResult.failed).toBe(0);
  });

  it('keeps registrations across SIGKILL and restart', async () => {
    const dataDir = await provisionedDir(2);
    const ports = await pickPorts();
    const env = { ATENDE_ADMIN_PASSWORD: 'admin-lifecycle-pw' };
    const first = await startHealthy(dataDir, ports, env);
    const target = `127.0.0.1:${ports.sip}`;
    // This SIPp stays up across the restart; it registered with the first process only.
    const callee = await registeredCallee(dataDir, target, 1002, 'uas-answer');
    // Bindings are written behind the 200 OK in batches (DatabaseBindingStore, every 100 ms):
    // a crash loses at most that window, which phones repeat on their next refresh.
    await sleep(500);

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const second = await startHealthy(dataDir, ports, env);

    const csv = await writeSippCsv(join(dataDir, 'caller.csv'), DOMAIN, [user(1001, 1002)]);
    const call = await runSipp({ scenario: 'uac-auth-call', target, injectCsv: csv, calls: 1, pauseMs: 200, timeoutMs: 15_000 });
    expect(call.successful, `${describeSippResult(call)}\n${describeProcess(second)}`).toBe(1);
    expect(call.failed).toBe(0);
    await callee.stop();
  });
});
