// One load step of the media benchmark: SIPp places N authenticated calls that each stream G.711
// (50 packets/s) and hold; once every stream reaches the RTP sink, the measuring window runs:
// loss and jitter at the sink, CPU of the relay (and of SIPp and the sink, to see who limits),
// RSS of the relay and the kernel's UDP drop counters. Then the calls hang up.
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { makePeerDir } from '../../test/support/peers/peer-process.js';
import { startSipp } from '../../test/support/peers/sipp.js';
import { CpuMeter, rssBytes, threadCount, udpDrops } from './proc-usage.js';
import type { RtpSink } from './rtp-sink.js';
import type { WindowReport } from './rtp-window-stats.js';
import { startWireCapture, type WireReport } from './wire-capture.js';

export const SCENARIOS = new URL('../scenarios/', import.meta.url).pathname;

export interface StepSetup {
  /** SIP address the callers send INVITEs to. */
  target: string;
  callersCsv: string;
  /** mu-law WAV that every caller streams in a loop. */
  wav: string;
  sink: RtpSink;
  /** The relay process (Atende's server, rtpengine); undefined for the direct baseline. */
  relayPid?: number;
  setupRate: number;
  settleMs: number;
  windowMs: number;
  /** Also capture the window on the wire (tcpdump): the relay's input ports, none for the baseline. */
  wire?: { relayPorts?: readonly [number, number] };
}

export interface StepResult {
  calls: number;
  report: WindowReport;
  /** Streams that never reached the sink in the window count as wholly lost. */
  lossRatio: number;
  missingStreams: number;
  /** Percent of one core over the window. */
  cpu: { relay: number; sipp: number; sink: number; machine: number; others: number };
  relayRss: number;
  relayThreads: number;
  udpRcvbufErrors: number;
  sippSuccessful: number;
  sippFailed: number;
  rampSeconds: number;
  wire: WireReport | undefined;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runCallLoadStep(s: StepSetup, calls: number): Promise<StepResult> {
  const dir = await makePeerDir('bench-media-caller');
  await symlink(s.wav, join(dir, 'tone.wav'));
  const rampMs = (calls / s.setupRate) * 1000;
  // Every call outlives the window: the last call is up at rampMs, the window follows the settle.
  const holdMs = Math.ceil(rampMs + 4000 + s.settleMs + s.windowMs + 2000);
  await s.sink.begin();
  const caller = await startSipp({
    scenario: join(SCENARIOS, 'media-caller.xml'), target: s.target, injectCsv: s.callersCsv,
    rate: s.setupRate, calls, maxConcurrent: calls, pauseMs: holdMs, dir,
    timeoutMs: holdMs + rampMs + 30_000,
  });
  const started = performance.now();
  const deadline = started + rampMs + 8000;
  while (performance.now() < deadline) {
    const { active } = await s.sink.status(300);
    if (active >= calls) break;
    await sleep(250);
  }
  const rampSeconds = (performance.now() - started) / 1000;
  // tcpdump starts before the settle: its start-up (a 64 MB ring) must not fall in the window.
  const capture = s.wire === undefined ? undefined : await startWireCapture({
    sinkPort: s.sink.port, file: join(dir, 'window.pcap'),
    ...(s.wire.relayPorts !== undefined ? { relayPorts: s.wire.relayPorts } : {}),
  });
  await sleep(s.settleMs);

  const pids = [s.relayPid ?? -1, caller.process.pid, s.sink.pid];
  const cpu = new CpuMeter(pids);
  const drops = udpDrops();
  const windowStartedAt = Date.now();
  await s.sink.begin();
  cpu.begin(performance.now());
  // RSS rises and falls with the garbage collector's cycles: the median of samples every
  // half second over the window, not one sample at a random phase.
  const rssSamples: number[] = [];
  const windowEnd = performance.now() + s.windowMs;
  while (performance.now() < windowEnd) {
    if (s.relayPid !== undefined) rssSamples.push(rssBytes(s.relayPid));
    await sleep(Math.min(500, Math.max(0, windowEnd - performance.now())));
  }
  rssSamples.sort((x, y) => x - y);
  const relayRss = rssSamples.length === 0 ? Number.NaN : rssSamples[Math.floor(rssSamples.length / 2)]!;
  const relayThreads = s.relayPid === undefined ? Number.NaN : threadCount(s.relayPid);
  const report = await s.sink.end();
  const wire = await capture?.stop(windowStartedAt);
  const [relay = Number.NaN, sipp = Number.NaN, sink = Number.NaN] = cpu.end(performance.now());
  const udpRcvbufErrors = udpDrops().rcvbufErrors - drops.rcvbufErrors;

  const result = await caller.done();
  const missingStreams = Math.max(0, calls - report.streams);
  const missingPackets = missingStreams * 50 * report.seconds;
  const lossRatio = (report.lost + missingPackets) / Math.max(1, report.expected + missingPackets);
  return {
    calls, report, lossRatio, missingStreams,
    cpu: { relay, sipp, sink, machine: cpu.machine, others: cpu.machine - (Number.isNaN(relay) ? 0 : relay) - sipp - sink }, relayRss, relayThreads, udpRcvbufErrors,
    sippSuccessful: result.successful, sippFailed: result.failed, rampSeconds, wire,
  };
}
