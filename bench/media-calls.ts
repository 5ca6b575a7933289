// Concurrent anchored G.711 calls (issue 3): SIPp long calls streaming RTP, in the same run
//   1. straight from SIPp to the RTP sink (baseline: what the generator and the sink do alone),
//   2. through Atende (compiled dist/: caller leg, originate to the registered callee, bridge in
//      the media workers),
//   3. through Kamailio + rtpengine (userspace) as the reference relay.
// Each step holds N calls (one stream per call, caller -> relay -> sink at 50 packets/s); the
// callee's SDP points at the sink, which measures loss, RFC 3550 jitter and arrival spread.
// Clean step: < 0.1% loss, every call up, relay CPU < 80% of the machine.
//   npx tsx bench/media-calls.ts [--steps 100,200,400,600,800,1000] [--window-seconds 10]
//     [--setup-rate 200] [--only baseline,atende,rtpengine] [--record]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startKamailio } from '../test/support/peers/kamailio.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../test/support/peers/peer-process.js';
import { startSipp, type SippHandle } from '../test/support/peers/sipp.js';
import { numberedUsers, writeSippCsv } from '../test/support/peers/sipp-csv.js';
import { startAtendePeer, type AtendePeer } from './atende-peer.js';
import { runCallLoadStep, SCENARIOS, type StepResult, type StepSetup } from './media/call-load-step.js';
import { rssBytes } from './media/proc-usage.js';
import { startRtpSink, type RtpSink } from './media/rtp-sink.js';
import { startRtpengine, type RtpenginePeer } from './media/rtpengine-peer.js';
import { machine, settle } from './rate-search.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '100,200,400,600,800,1000' },
    'window-seconds': { type: 'string', default: '10' },
    'setup-rate': { type: 'string', default: '200' },
    only: { type: 'string', default: 'baseline,atende,rtpengine' },
    // Also run Atende with every call recorded to disk (the callee has `recording: always`).
    record: { type: 'boolean', default: false },
    json: { type: 'string' },
    // Also measure jitter on the wire (tcpdump on lo, kernel timestamps; see media/wire-capture.ts).
    wire: { type: 'boolean', default: false },
  },
});
const steps = (values.steps ?? '').split(',').map(Number).filter((n) => n > 0);
const windowMs = Number(values['window-seconds']) * 1000;
const setupRate = Number(values['setup-rate']);
const only = new Set((values.only ?? '').split(','));
const DOMAIN = 'atende.local';
const CALLEE = 1001;
const CALLERS = 100;
const CORES = cpus().length;
const MAX_LOSS = 0.001;
/** 80% of the machine, in percent of one core. */
const MAX_CPU = 80 * CORES;

type System = 'baseline' | 'atende' | 'atende-recorded' | 'rtpengine';
interface SystemRun { system: System; idleRss: number; steps: StepResult[]; best?: StepResult; note: string }

/** 1% under the 50 packets/s each caller streams. */
const MIN_PACKET_RATE = 49.5;

function judge(r: StepResult, relay: boolean): string[] {
  const why: string[] = [];
  if (r.lossRatio >= MAX_LOSS) why.push(`loss ${(r.lossRatio * 100).toFixed(3)}%`);
  if (r.missingStreams > 0) why.push(`${r.missingStreams} streams missing`);
  if (r.sippFailed > 0) why.push(`${r.sippFailed} calls failed`);
  if (relay && r.cpu.relay >= MAX_CPU) why.push(`relay CPU ${r.cpu.relay.toFixed(0)}%`);
  // No loss by sequence numbers is not enough: when the machine is saturated SIPp itself sends
  // fewer than 50 packets/s per stream, and the step is then not a step of that load.
  if (r.report.packetsPerStreamPerSecond < MIN_PACKET_RATE) why.push(`load not offered in full (${r.report.packetsPerStreamPerSecond.toFixed(2)} packets/s per stream)`);
  return why;
}

function printStep(system: System, r: StepResult, idleRss: number, why: string[]): void {
  const rep = r.report;
  const perCall = Number.isNaN(r.relayRss) ? '' : ` rss ${(r.relayRss / 1048576).toFixed(0)} MB (+${((r.relayRss - idleRss) / r.calls / 1024).toFixed(1)} KB/call) threads ${r.relayThreads}`;
  console.log(`${system} ${r.calls} calls: streams ${rep.streams}, ${rep.packets} pkts (${rep.packetsPerStreamPerSecond.toFixed(2)}/s/stream),`
    + ` loss ${(r.lossRatio * 100).toFixed(3)}%, jitter p50 ${rep.jitterMs.p50.toFixed(2)} p99 ${rep.jitterMs.p99.toFixed(2)} max ${rep.jitterMs.max.toFixed(2)} ms,`
    + ` spread p50 ${rep.spreadMs.p50.toFixed(2)} p99 ${rep.spreadMs.p99.toFixed(2)} max ${rep.spreadMs.max.toFixed(2)} ms;`
    + ` cpu relay ${r.cpu.relay.toFixed(0)}% sipp ${r.cpu.sipp.toFixed(0)}% sink ${r.cpu.sink.toFixed(0)}% machine ${r.cpu.machine.toFixed(0)}% others ${r.cpu.others.toFixed(0)}% (of one core);${perCall};`
    + ` udp rcvbuf drops ${r.udpRcvbufErrors}; sipp ok ${r.sippSuccessful} failed ${r.sippFailed}; ramp ${r.rampSeconds.toFixed(1)} s`
    + ` -> ${why.length === 0 ? 'clean' : `NOT clean (${why.join(', ')})`}`);
  const w = r.wire;
  if (w !== undefined) {
    const input = w.input === undefined ? '' : `; relay input (from SIPp) jitter p50 ${w.input.jitterMs.p50.toFixed(2)} p99 ${w.input.jitterMs.p99.toFixed(2)} ms, added on the wire ${(w.output.jitterMs.p99 - w.input.jitterMs.p99).toFixed(2)} ms`;
    console.log(`  wire: output jitter p50 ${w.output.jitterMs.p50.toFixed(2)} p99 ${w.output.jitterMs.p99.toFixed(2)} max ${w.output.jitterMs.max.toFixed(2)} ms`
      + ` (${w.output.packets} pkts, ${w.output.streams} streams)${input}; capture drops ${w.captureDrops}`);
  }
}

/** Recordings written under `dir` (the product's recordings/YYYY/MM/DD/) since the last call, removed after counting. */
async function takeRecordings(dir: string): Promise<{ files: number; bytes: number }> {
  const names = (await readdir(dir, { recursive: true }).catch(() => [] as string[])).filter((n) => n.endsWith('.wav'));
  let bytes = 0;
  for (const n of names) {
    bytes += (await stat(join(dir, n))).size;
    await rm(join(dir, n), { force: true });
  }
  return { files: names.length, bytes };
}

async function runSteps(system: System, base: Omit<StepSetup, 'setupRate' | 'settleMs' | 'windowMs'>, keepGoing: boolean, recordDir?: string): Promise<SystemRun> {
  const idleRss = base.relayPid === undefined ? Number.NaN : rssBytes(base.relayPid);
  const run: SystemRun = { system, idleRss, steps: [], note: '' };
  for (const calls of steps) {
    await settle(2000);
    const r = await runCallLoadStep({ ...base, setupRate, settleMs: 1000, windowMs }, calls);
    run.steps.push(r);
    const why = judge(r, base.relayPid !== undefined);
    if (recordDir !== undefined) {
      // Every call's recording must exist once its bridge ended (WAV closed on hang-up).
      await settle(1000);
      const rec = await takeRecordings(recordDir);
      console.log(`  recorded ${rec.files} files, ${(rec.bytes / 1048576).toFixed(1)} MB (${(rec.bytes / Math.max(1, rec.files) / 1024).toFixed(0)} KB each)`);
      if (rec.files < calls) why.push(`${calls - rec.files} recordings missing`);
    }
    printStep(system, r, idleRss, why);
    if (why.length === 0) run.best = r;
    else if (!keepGoing) { run.note = why.join(', '); break; }
  }
  return run;
}

async function registeredCallee(target: string, work: string, sink: RtpSink): Promise<SippHandle> {
  const csv = await writeSippCsv(join(work, `callee-${target.replace(/\W/g, '_')}.csv`), DOMAIN, numberedUsers(CALLEE, 1));
  const callee = await startSipp({
    scenario: 'registered-callee', oocScenario: join(SCENARIOS, 'media-callee.xml'), target, injectCsv: csv,
    calls: 1, pauseMs: 3_600_000, timeoutMs: 3_600_000, extraArgs: ['-key', 'sink_port', String(sink.port)],
  });
  await callee.waitForLog(new RegExp(`registered ${CALLEE}`), 5000);
  return callee;
}

function raiseReceiveBuffers(): string {
  // The sink takes every call's packets on one socket: let it have 16 MB.
  try {
    const max = Number(execFileSync('sysctl', ['-n', 'net.core.rmem_max']).toString().trim());
    if (max < 16 * 1024 * 1024) execFileSync('sysctl', ['-w', `net.core.rmem_max=${16 * 1024 * 1024}`]);
    return `net.core.rmem_max ${execFileSync('sysctl', ['-n', 'net.core.rmem_max']).toString().trim()}`;
  } catch {
    return 'net.core.rmem_max unchanged (not root)';
  }
}

/** The wire capture's part of a step's setup, when --wire: the relay's RTP port range, none for the baseline. */
const wireFor = (ports?: readonly [number, number]): Pick<StepSetup, 'wire'> =>
  (values.wire === true ? { wire: ports === undefined ? {} : { relayPorts: ports } } : {});
const portRange = (range: string): readonly [number, number] => {
  const [a = 0, b = 0] = range.split('-').map(Number);
  return [a, b];
};

const runs: SystemRun[] = [];
let atende: AtendePeer | undefined;
let rtpengine: RtpenginePeer | undefined;
let sink: RtpSink | undefined;
const cleanup = async () => { await sink?.close(); await atende?.stop(); await rtpengine?.stop(); await stopAllPeers(); await removePeerDirs(); };
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
try {
  const buffers = raiseReceiveBuffers();
  console.log(`media calls: ${machine()}; ${buffers}; steps ${steps.join(',')}; window ${windowMs / 1000} s; setup ${setupRate}/s`);
  const work = await makePeerDir('bench-media');
  const wav = join(work, 'tone.wav');
  // 8 kHz mu-law, 10 s of a quiet 440 Hz tone (the payload is copied, never looked at).
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'u-law', wav, 'synth', '10', 'sine', '440', 'vol', '0.3']);
  const callersCsv = await writeSippCsv(join(work, 'callers.csv'), DOMAIN, numberedUsers(CALLEE + 1, CALLERS, () => String(CALLEE)));
  sink = await startRtpSink();
  console.log(`rtp sink on 127.0.0.1:${sink.port}, receive buffer ${sink.recvBuffer} B`);

  if (only.has('baseline')) {
    const uas = await startSipp({
      scenario: join(SCENARIOS, 'media-direct-callee.xml'), timeoutMs: 3_600_000,
      extraArgs: ['-key', 'sink_port', String(sink.port)],
    });
    runs.push(await runSteps('baseline', { target: uas.address, callersCsv, wav, sink, ...wireFor() }, true));
    await uas.stop();
  }
  if (only.has('atende')) {
    // Away from freePort()'s 20000-32000, where the SIPp ports are picked.
    process.env['ATENDE_RTP_PORTS'] ??= '40000-49999';
    atende = await startAtendePeer(CALLERS + 1);
    const callee = await registeredCallee(atende.target, work, sink);
    runs.push(await runSteps('atende', { target: atende.target, callersCsv, wav, sink, relayPid: atende.pid, ...wireFor(portRange(process.env['ATENDE_RTP_PORTS'])) }, false));
    await callee.stop();
    await atende.stop();
    atende = undefined;
  }
  if (values.record === true) {
    // The callee, 1001, is provisioned with `recording: always`: every call to it is recorded
    // (stereo WAV) under the server's data dir, as in production.
    process.env['ATENDE_RTP_PORTS'] ??= '40000-49999';
    atende = await startAtendePeer(CALLERS + 1, { recorded: ['1001'] });
    const recordDir = join(atende.dataDir, 'recordings');
    const callee = await registeredCallee(atende.target, work, sink);
    runs.push(await runSteps('atende-recorded', { target: atende.target, callersCsv, wav, sink, relayPid: atende.pid, ...wireFor(portRange(process.env['ATENDE_RTP_PORTS'])) }, false, recordDir));
    await callee.stop();
    await atende.stop();
    atende = undefined;
  }
  if (only.has('rtpengine')) {
    rtpengine = await startRtpengine({ portMin: 50000, portMax: 59999 });
    const kamailio = await startKamailio({ users: CALLERS + 1, rtpengine: rtpengine.ng });
    const callee = await registeredCallee(kamailio.target, work, sink);
    runs.push(await runSteps('rtpengine', { target: kamailio.target, callersCsv, wav, sink, relayPid: rtpengine.pid, ...wireFor([50000, 59999]) }, false));
    await callee.stop();
    await kamailio.stop();
  }

  console.log('\nsummary (largest clean step; added jitter = relay p99 - baseline p99 at the same step):');
  const baseline = runs.find((r) => r.system === 'baseline');
  for (const run of runs) {
    const b = run.best;
    if (b === undefined) { console.log(`RESULT ${run.system}: no clean step (${run.note})`); continue; }
    const ref = baseline?.steps.find((s) => s.calls === b.calls);
    const added = (k: 'jitterMs' | 'spreadMs') => (ref === undefined ? 'n/a' : (b.report[k].p99 - ref.report[k].p99).toFixed(2));
    const rss = Number.isNaN(b.relayRss) ? '' : `, RSS ${((b.relayRss - run.idleRss) / b.calls / 1024).toFixed(1)} KB/call over idle`;
    console.log(`RESULT ${run.system}: ${b.calls} calls clean; loss ${(b.lossRatio * 100).toFixed(3)}%; relay CPU ${b.cpu.relay.toFixed(0)}% of one core;`
      + ` jitter p99 ${b.report.jitterMs.p99.toFixed(2)} ms (added ${added('jitterMs')}), spread p99 ${b.report.spreadMs.p99.toFixed(2)} ms (added ${added('spreadMs')}; p99-p50 ${(b.report.spreadMs.p99 - b.report.spreadMs.p50).toFixed(2)} ms)${rss}`
      + `${run.note === '' ? '' : `; next step: ${run.note}`}`);
  }
  for (const run of runs) {
    for (const st of run.steps) {
      const w = st.wire;
      if (w === undefined) continue;
      const ref = baseline?.steps.find((x) => x.calls === st.calls)?.wire;
      const vsBaseline = ref === undefined ? '' : `, over the baseline's ${ref.output.jitterMs.p99.toFixed(2)} ms: ${(w.output.jitterMs.p99 - ref.output.jitterMs.p99).toFixed(2)} ms`;
      const vsInput = w.input === undefined ? '' : `; its input's ${w.input.jitterMs.p99.toFixed(2)} ms: added ${(w.output.jitterMs.p99 - w.input.jitterMs.p99).toFixed(2)} ms`;
      console.log(`WIRE ${run.system} ${st.calls} calls: jitter p99 on the wire ${w.output.jitterMs.p99.toFixed(2)} ms${vsInput}${vsBaseline} (capture drops ${w.captureDrops})`);
    }
  }
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(runs, null, 2));
} finally {
  await cleanup();
}
