// SIPp (sip-tester 3.6) as a peer: runSipp() runs one load to its end and parses the statistics;
// startSipp() keeps a long-running instance (UAS, registered callee) and stops it by pid.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createSocket } from 'node:dgram';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectText, makePeerDir, spawnPeer } from './peer-process.js';
import type { PeerExit, PeerProcess } from './peer-process.js';
import { freePort, freePortRange } from './ports.js';

export const SCENARIO_DIR = resolve(fileURLToPath(import.meta.url), '../../../interop/scenarios');

/** u1/t1: one socket for all calls; un/tn: one socket per call. */
export type SippTransport = 'u1' | 'un' | 't1' | 'tn';

export interface SippOptions {
  /** Path to an XML file, a scenario of test/interop/scenarios by name ('uac-auth-call'), or a built-in ('uac', 'uas'). */
  scenario: string;
  /** 'host:port'; omitted for a UAS that only listens. */
  target?: string;
  localPort?: number;
  /** RTP port; SIPp also binds +2 (video), so a range of 4 is reserved when picked here. */
  mediaPort?: number;
  controlPort?: number;
  injectCsv?: string;
  /** Calls per second (-r), or per `ratePeriodMs`. */
  rate?: number;
  ratePeriodMs?: number;
  /** Stop after this many calls (-m). */
  calls?: number;
  /** Maximum simultaneous calls (-l). */
  maxConcurrent?: number;
  transport?: SippTransport;
  /** Length of `<pause/>` without a value (-d), e.g. call hold time or a callee's registered time. */
  pauseMs?: number;
  /** Out-of-call scenario (-oocsf): path or scenario name. */
  oocScenario?: string;
  /** [service] keyword (-s). */
  service?: string;
  /** Dump response times every N calls (-trace_rtt -rtt_freq N); percentiles in the result. */
  rttFreq?: number;
  /** Log every message with a microsecond timestamp (-trace_msg); see sipp-message-log.ts. */
  traceMessages?: boolean;
  /** Statistics dump period in seconds (-fd). */
  statsPeriodS?: number;
  extraArgs?: string[];
  /** Hard limit: SIPp gets `-timeout` a bit shorter, the process is killed at this limit. */
  timeoutMs: number;
  /** Working directory for SIPp's trace files; a new temp dir by default. */
  dir?: string;
}

export interface RttSummary { count: number; p50: number; p95: number; p99: number; max: number; mean: number }

export interface SippResult {
  /** 0: every call succeeded; 1: some failed; 99: no call processed; 255/254: fatal (binding). */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  successful: number;
  failed: number;
  retransmissions: number;
  /** Total calls created (TotalCallCreated). */
  created: number;
  /** Last row of the statistics file (column name -> value), empty when none was written. */
  stats: Record<string, string>;
  statsCsvRows: Record<string, string>[];
  /** Response times in ms (SIPp's clock has 1 ms resolution) per rtd name, when rttFreq was set. */
  rtt: Record<string, RttSummary>;
  stdout: string;
  stderr: string;
  /** Content of the -trace_err file (unexpected messages and the like). */
  errors: string;
  /** Paths of the -trace_msg logs (when traceMessages was set). */
  messageLogs: string[];
  durationMs: number;
  dir: string;
  ports: { local: number; media: number; control: number };
}

export interface SippHandle {
  readonly process: PeerProcess;
  readonly dir: string;
  readonly ports: { local: number; media: number; control: number };
  /** 'host:port' where this instance receives SIP (register it or send INVITEs to it). */
  readonly address: string;
  /** Resolves when the scenario's <log> output (-trace_logs) matches. */
  waitForLog(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** The <log> lines so far that match. */
  logLines(pattern: RegExp): Promise<string[]>;
  /** Resolves when SIPp exits by itself. */
  done(): Promise<SippResult>;
  /** Quits (control-port 'Q', then signals) and returns the final statistics. Safe to call twice. */
  stop(): Promise<SippResult>;
}

export function resolveScenario(scenario: string): { args: string[]; rtdNames: () => Promise<string[]> } {
  const path = scenario.endsWith('.xml') ? resolve(scenario)
    : existsSync(join(SCENARIO_DIR, `${scenario}.xml`)) ? join(SCENARIO_DIR, `${scenario}.xml`) : undefined;
  if (path === undefined) return { args: ['-sn', scenario], rtdNames: async () => [] };
  return { args: ['-sf', path], rtdNames: async () => rtdNamesOf(await readFile(path, 'utf8')) };
}

/** Older SIPp builds number response-time counters in the order their names first appear. */
export function rtdNamesOf(xml: string): string[] {
  const names: string[] = [];
  for (const m of xml.matchAll(/\b(?:start_)?rtd="([^"]+)"/g)) {
    for (const name of (m[1] ?? '').split(',')) if (name !== '' && !names.includes(name)) names.push(name);
  }
  return names;
}

export function parseSippCsv(text: string): Record<string, string>[] {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const header = lines[0]?.split(';') ?? [];
  return lines.slice(1).map((line) => {
    const cells = line.split(';');
    const row: Record<string, string> = {};
    header.forEach((h, i) => { if (h !== '') row[h] = cells[i] ?? ''; });
    return row;
  });
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? Number.NaN;
}

export function summarizeRtt(rows: readonly Record<string, string>[], names: readonly string[]): Record<string, RttSummary> {
  const byRtd = new Map<string, number[]>();
  for (const row of rows) {
    // 3.6 writes the rtd name; older builds wrote its number.
    const raw = row['rtd_no'] ?? '';
    const key = /^\d+$/.test(raw) ? (names[Number(raw) - 1] ?? raw) : raw;
    const v = Number(row['response_time_ms']);
    if (!Number.isFinite(v)) continue;
    const list = byRtd.get(key) ?? [];
    list.push(v);
    byRtd.set(key, list);
  }
  const out: Record<string, RttSummary> = {};
  for (const [key, values] of byRtd) {
    values.sort((a, b) => a - b);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    out[key] = {
      count: values.length, mean,
      p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99),
      max: values[values.length - 1] ?? Number.NaN,
    };
  }
  return out;
}

const num = (row: Record<string, string>, key: string): number => Number.parseInt(row[key] ?? '0', 10) || 0;

async function readTraceFiles(dir: string, statsFile: string, rtdNames: string[]) {
  const files = await readdir(dir).catch(() => [] as string[]);
  const read = async (suffix: string) => {
    // A file listed a moment ago may be gone (the run's directory removed at exit): read it as empty.
    const texts = await Promise.all(files.filter((f) => f.endsWith(suffix)).map((f) => readFile(join(dir, f), 'utf8').catch(() => '')));
    return texts.join('\n');
  };
  const statsCsvRows = existsSync(statsFile) ? parseSippCsv(await readFile(statsFile, 'utf8').catch(() => '')) : [];
  const rttText = await read('_rtt.csv');
  const rttRows = rttText.split('\n').filter((l) => !l.startsWith('Date_ms')).join('\n');
  const rtt = summarizeRtt(parseSippCsv(`Date_ms;response_time_ms;rtd_no\n${rttRows}`), rtdNames);
  const messageLogs = files.filter((f) => f.endsWith('_messages.log')).map((f) => join(dir, f));
  return { statsCsvRows, rtt, errors: await read('_errors.log'), logs: await read('_logs.log'), messageLogs };
}

async function allocatePorts(o: SippOptions) {
  return {
    local: o.localPort ?? (await freePort()),
    media: o.mediaPort ?? (await freePortRange(4)),
    control: o.controlPort ?? (await freePort()),
  };
}

function buildArgs(o: SippOptions, ports: { local: number; media: number; control: number }, statsFile: string, scenarioArgs: string[]): string[] {
  const args: string[] = [];
  if (o.target !== undefined) args.push(o.target);
  args.push('-nostdin', ...scenarioArgs,
    '-i', '127.0.0.1', '-mi', '127.0.0.1',
    '-p', String(ports.local), '-mp', String(ports.media), '-cp', String(ports.control),
    '-t', o.transport ?? 'u1',
    '-trace_stat', '-stf', statsFile, '-fd', String(o.statsPeriodS ?? 1),
    '-trace_err', '-trace_logs',
    // SIPp's own timeout ends the run with its statistics written before we resort to killing it.
    '-timeout', `${Math.max(1, Math.floor((o.timeoutMs - 2000) / 1000))}s`, '-timeout_error');
  if (o.injectCsv !== undefined) args.push('-inf', o.injectCsv);
  if (o.rate !== undefined) args.push('-r', String(o.rate));
  if (o.ratePeriodMs !== undefined) args.push('-rp', `${o.ratePeriodMs}ms`);
  if (o.calls !== undefined) args.push('-m', String(o.calls));
  if (o.maxConcurrent !== undefined) args.push('-l', String(o.maxConcurrent));
  if (o.pauseMs !== undefined) args.push('-d', String(o.pauseMs));
  if (o.service !== undefined) args.push('-s', o.service);
  if (o.oocScenario !== undefined) {
    const ooc = resolveScenario(o.oocScenario).args;
    if (ooc[0] !== '-sf') throw new Error(`out-of-call scenario must be a file: ${o.oocScenario}`);
    args.push('-oocsf', ooc[1] as string);
  }
  if (o.rttFreq !== undefined) args.push('-trace_rtt', '-rtt_freq', String(o.rttFreq));
  if (o.traceMessages === true) args.push('-trace_msg');
  args.push(...(o.extraArgs ?? []));
  return args;
}

function sendControl(port: number, command: string): Promise<void> {
  return new Promise((r) => {
    const s = createSocket('udp4');
    s.send(command, port, '127.0.0.1', () => { s.close(); r(); });
  });
}

export async function startSipp(o: SippOptions): Promise<SippHandle> {
  const dir = o.dir ?? (await makePeerDir('sipp'));
  const ports = await allocatePorts(o);
  const statsFile = join(dir, 'stats.csv');
  const scenario = resolveScenario(o.scenario);
  const rtdNames = await scenario.rtdNames();
  const started = performance.now();
  const proc = spawnPeer('sipp', buildArgs(o, ports, statsFile, scenario.args), { cwd: dir });
  const stdout = collectText(proc.child?.stdout, 20_000);
  const stderr = collectText(proc.child?.stderr);
  const killTimer = setTimeout(() => void proc.stop(1000), o.timeoutMs);
  killTimer.unref();

  const finish = async (exit: PeerExit): Promise<SippResult> => {
    clearTimeout(killTimer);
    const durationMs = performance.now() - started;
    const traces = await readTraceFiles(dir, statsFile, rtdNames);
    const stats = traces.statsCsvRows[traces.statsCsvRows.length - 1] ?? {};
    return {
      exitCode: exit.code, signal: exit.signal,
      successful: num(stats, 'SuccessfulCall(C)'), failed: num(stats, 'FailedCall(C)'),
      retransmissions: num(stats, 'Retransmissions(C)'), created: num(stats, 'TotalCallCreated'),
      stats, statsCsvRows: traces.statsCsvRows, rtt: traces.rtt,
      stdout: stdout(), stderr: stderr(), errors: traces.errors, messageLogs: traces.messageLogs,
      durationMs, dir, ports,
    };
  };
  const result = proc.exited.then(finish);
  let stopping: Promise<SippResult> | undefined;

  return {
    process: proc, dir, ports, address: `127.0.0.1:${ports.local}`,
    async waitForLog(pattern, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      let exited = false;
      void proc.exited.then(() => { exited = true; });
      while (performance.now() < deadline) {
        const { logs } = await readTraceFiles(dir, statsFile, rtdNames);
        const hit = logs.split('\n').find((l) => pattern.test(l));
        if (hit !== undefined) return hit;
        if (exited) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`SIPp ${basename(o.scenario)}: no log line ${pattern} (exited: ${exited}); stderr: ${stderr().slice(-2000)}`);
    },
    async logLines(pattern) {
      const { logs } = await readTraceFiles(dir, statsFile, rtdNames);
      return logs.split('\n').filter((l) => pattern.test(l));
    },
    done: () => result,
    stop() {
      stopping ??= (async () => {
        if (proc.child?.exitCode === null && proc.child.signalCode === null) {
          await sendControl(ports.control, 'Q');
          const quit = await Promise.race([proc.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1500))]);
          if (!quit) await proc.stop(1500);
        }
        return result;
      })();
      return stopping;
    },
  };
}

export async function runSipp(o: SippOptions): Promise<SippResult> {
  const handle = await startSipp(o);
  return handle.done();
}

/** A one-paragraph account of a SIPp run for assertion messages: exit code, counts, trace dir, stderr and errors. */
export function describeSippResult(r: SippResult): string {
  return `exit ${r.exitCode}, ok ${r.successful}, failed ${r.failed}, dir ${r.dir}\n${r.stderr.slice(-1500)}\n${r.errors.slice(0, 2000)}`;
}
