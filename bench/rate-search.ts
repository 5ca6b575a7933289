// Shared by register-rate.ts and call-rate.ts: command line, the optional Kamailio reference peer,
// and the step search for the highest SIPp rate with < 0.1% failed calls.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { parseArgs, promisify } from 'node:util';
import { cpus, loadavg } from 'node:os';
import { startKamailio } from '../test/support/peers/kamailio.js';
import type { KamailioPeer } from '../test/support/peers/kamailio.js';
import { removePeerDirs, stopAllPeers } from '../test/support/peers/peer-process.js';
import type { SippResult } from '../test/support/peers/sipp.js';
import { startAtendePeer, type AtendePeer } from './atende-peer.js';

export interface BenchArgs {
  target: string;
  kamailio: boolean;
  /** Start Atende itself (compiled dist/) with the users, and measure its RSS. */
  atende: boolean;
  domain: string;
  users: number;
  rates: number[];
  stepSeconds: number;
  maxFailure: number;
  /** Call hold time between ACK and BYE (call-rate). */
  holdMs: number;
  /** Process whose RSS is measured when the target is not the Kamailio peer. */
  pid?: number;
  /** Also measure latency on the wire (tcpdump on lo; call-rate). */
  wire: boolean;
  /** How many times call-rate measures INVITE->200 at 250/s; one run's p95 moves with the machine. */
  latencyRuns: number;
}

export function benchArgs(defaultRates: number[], defaultUsers: number): BenchArgs {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      kamailio: { type: 'boolean', default: false },
      atende: { type: 'boolean', default: false },
      domain: { type: 'string', default: 'atende.local' },
      users: { type: 'string', default: String(defaultUsers) },
      rates: { type: 'string', default: defaultRates.join(',') },
      'step-seconds': { type: 'string', default: '5' },
      pid: { type: 'string' },
      'hold-ms': { type: 'string', default: '0' },
      wire: { type: 'boolean', default: false },
      'latency-runs': { type: 'string', default: '1' },
    },
  });
  if (values.target === undefined && values.kamailio !== true && values.atende !== true) {
    console.error('usage: --target host:port (users 1001.. with password pw-<user>), --atende or --kamailio');
    process.exit(2);
  }
  return {
    target: values.target ?? '',
    kamailio: values.kamailio === true,
    atende: values.atende === true,
    domain: values.domain ?? 'atende.local',
    users: Number(values.users),
    rates: (values.rates ?? '').split(',').map(Number).filter((n) => n > 0),
    stepSeconds: Number(values['step-seconds']),
    maxFailure: 0.001,
    holdMs: Number(values['hold-ms']),
    wire: values.wire === true,
    latencyRuns: Math.max(1, Number(values['latency-runs']) || 1),
    ...(values.pid !== undefined ? { pid: Number(values.pid) } : {}),
  };
}

/**
 * Starts Kamailio or Atende when asked (its address replaces --target; Atende's pid becomes
 * args.pid for memory) and stops every peer at exit.
 */
export async function withTarget<T>(args: BenchArgs, run: (target: string, kamailio?: KamailioPeer) => Promise<T>): Promise<T> {
  let kamailio: KamailioPeer | undefined;
  let atende: AtendePeer | undefined;
  const cleanup = async () => { await atende?.stop(); await stopAllPeers(); await removePeerDirs(); };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  try {
    if (args.kamailio) kamailio = await startKamailio({ users: args.users });
    if (args.atende) {
      atende = await startAtendePeer(args.users);
      args.pid = atende.pid;
    }
    return await run(kamailio?.target ?? atende?.target ?? args.target, kamailio);
  } finally {
    await cleanup();
  }
}

/** SIPp's elapsed time column, "HH:MM:SS:uuuuuu", in seconds. */
export function elapsedSeconds(r: SippResult): number {
  const parts = (r.stats['ElapsedTime(C)'] ?? '').split(':').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return r.durationMs / 1000;
  const [h = 0, m = 0, s = 0, us = 0] = parts;
  return h * 3600 + m * 60 + s + us / 1e6;
}

export interface StepOutcome {
  rate: number;
  calls: number;
  successful: number;
  failed: number;
  retransmissions: number;
  achievedRate: number;
  failureRatio: number;
  clean: boolean;
  p50?: number;
  p95?: number;
  /** INVITE->200 measured on the wire (--wire). */
  wireP50?: number;
  wireP95?: number;
  /** Server CPU (user + system, all its threads or processes) per successful call or registration. */
  serverCpuUs?: number;
  /** Of which on Atende's main thread (signalling; the rest is the media workers and V8's helpers). */
  mainThreadCpuUs?: number;
  /** First lines of SIPp's error trace, to tell why a step was not clean. */
  errorSample: string;
}

export function judgeStep(rate: number, calls: number, r: SippResult, maxFailure: number, rtd?: string): StepOutcome {
  const finished = r.successful + r.failed;
  const failureRatio = calls === 0 ? 1 : (calls - r.successful) / calls;
  const achievedRate = r.successful / Math.max(0.001, elapsedSeconds(r));
  const rtt = rtd === undefined ? undefined : r.rtt[rtd];
  const outcome: StepOutcome = {
    rate, calls, successful: r.successful, failed: r.failed, retransmissions: r.retransmissions,
    achievedRate, failureRatio,
    // SIPp writes events without line breaks; the scenario's deliberate 50 ms wait for a late 180
    // (a timeout jumping to a label) is not an error.
    errorSample: r.errors.split(/(?=\d{4}-\d\d-\d\d\t)/)
      .filter((l) => /\d{4}-\d\d-\d\d\t/.test(l) && !/receive timeout on message .* jumping to label/.test(l))
      .slice(0, 3).map((l) => l.slice(0, 300)).join('\n'),
    // Clean: every call ended, under 0.1% failed, and the generator kept at least 90% of the rate.
    clean: finished >= calls && failureRatio < maxFailure && achievedRate >= 0.9 * rate,
  };
  if (rtt !== undefined) { outcome.p50 = rtt.p50; outcome.p95 = rtt.p95; }
  return outcome;
}

export function printStep(s: StepOutcome): void {
  const lat = (s.p50 === undefined ? '' : ` p50 ${s.p50} ms p95 ${s.p95} ms`)
    + (s.serverCpuUs === undefined ? '' : `, server CPU ${s.serverCpuUs.toFixed(0)} µs each`)
    + (s.mainThreadCpuUs === undefined ? '' : ` (main thread ${s.mainThreadCpuUs.toFixed(0)} µs)`);
  console.log(`rate ${s.rate}/s: ${s.successful}/${s.calls} ok, ${s.failed} failed, ${s.retransmissions} retrans,`
    + ` achieved ${s.achievedRate.toFixed(0)}/s${lat} -> ${s.clean ? 'clean' : 'NOT clean'} (load ${loadavg()[0]?.toFixed(1)})`);
  if ((!s.clean || s.failed > 0) && s.errorSample !== '') console.log(s.errorSample.replace(/^/gm, '    '));
}

export function machine(): string {
  const list = cpus();
  // Other work on the machine skews the numbers: the 1-minute load average is part of the record.
  return `${list.length} cores (${list[0]?.model ?? 'unknown cpu'}), Node ${process.version}, load ${loadavg()[0]?.toFixed(1)}`;
}

/** Pause between steps so retransmissions left over from an overloaded step do not spill into the next. */
export function settle(ms = 2000): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The server's processes: Atende's pid, or every Kamailio process (found by its run directory). */
export async function serverPids(args: BenchArgs, kamailio: KamailioPeer | undefined): Promise<number[]> {
  if (kamailio === undefined) return args.pid === undefined ? [] : [args.pid];
  const { stdout } = await promisify(execFile)('pgrep', ['-f', kamailio.dir]);
  return stdout.split('\n').map(Number).filter((n) => n > 0);
}

/** utime + stime of each thread of `pid` in clock ticks, by thread id. */
export async function threadTicksOf(pid: number): Promise<Map<number, number>> {
  const ticks = new Map<number, number>();
  const tids = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  for (const tid of tids) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks.set(Number(tid), Number(fields[11] ?? 0) + Number(fields[12] ?? 0));
  }
  return ticks;
}

/** utime + stime of `pids` in clock ticks (USER_HZ, 100/s); `mainThread`: only each one's main thread. */
export async function cpuTicksOf(pids: readonly number[], mainThread = false): Promise<number> {
  let total = 0;
  for (const pid of pids) {
    const stat = await readFile(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').catch(() => '');
    // Fields after the parenthesised command name: utime is field 14, stime 15 (1-based).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return total;
}
