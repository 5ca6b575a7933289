// Spawned peer processes (SIPp, baresip, Kamailio): each is tracked so that a test's afterAll can
// stop every one still alive with stopAllPeers(), even when the test failed half-way.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess, SpawnOptions } from 'node:child_process';

export interface PeerExit { code: number | null; signal: NodeJS.Signals | null }

export interface PeerProcess {
  readonly pid: number;
  readonly child: ChildProcess | undefined;
  readonly exited: Promise<PeerExit>;
  /** SIGTERM, then SIGKILL after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

const alive = new Set<PeerProcess>();

function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function spawnPeer(command: string, args: string[], options: SpawnOptions = {}): PeerProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (child.pid === undefined) throw new Error(`cannot spawn ${command}`);
  const exited = new Promise<PeerExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: -1, signal: null }));
  });
  let stopping: Promise<void> | undefined;
  const peer: PeerProcess = {
    pid: child.pid,
    child,
    exited,
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
          if (!done) { child.kill('SIGKILL'); await exited; }
        }
        alive.delete(peer);
      })();
      return stopping;
    },
  };
  alive.add(peer);
  void exited.then(() => alive.delete(peer));
  return peer;
}

/** Tracks a daemonized process known only by pid (Kamailio forks away from its launcher). */
export function adoptPid(pid: number): PeerProcess {
  let stopping: Promise<void> | undefined;
  const exited = (async (): Promise<PeerExit> => {
    while (pidAlive(pid)) await sleep(100);
    return { code: null, signal: null };
  })();
  const peer: PeerProcess = {
    pid,
    child: undefined,
    exited,
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
        for (let waited = 0; pidAlive(pid) && waited < graceMs; waited += 50) await sleep(50);
        if (pidAlive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
        alive.delete(peer);
      })();
      return stopping;
    },
  };
  alive.add(peer);
  return peer;
}

/** Stops every peer process this worker started and that is still running. */
export async function stopAllPeers(): Promise<void> {
  await Promise.all([...alive].map((p) => p.stop()));
}

/** Collects a stream's text (stdout/stderr of a peer), keeping the last `limit` characters. */
export function collectText(stream: NodeJS.ReadableStream | null | undefined, limit = 200_000): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text += chunk;
    if (text.length > limit) text = text.slice(-limit);
  });
  return () => text;
}

const tempDirs = new Set<string>();

/** A temp directory for a peer's config, logs and traces, removed by removePeerDirs(). */
export async function makePeerDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

/** Removes the directories of makePeerDir(), unless KEEP_PEER_DIRS is set (to read traces). */
export async function removePeerDirs(): Promise<void> {
  if (process.env['KEEP_PEER_DIRS'] !== undefined) return;
  await Promise.all([...tempDirs].map((d) => rm(d, { recursive: true, force: true })));
  tempDirs.clear();
}
