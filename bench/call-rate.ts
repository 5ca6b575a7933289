// Authenticated call setups/s (INVITE, 407, INVITE, 180, 200, ACK, BYE between two extensions)
// at < 0.1% failure, stepping SIPp's rate up; then INVITE->200 latency p50/p95 at half the best
// rate, from SIPp's message trace (authenticated INVITE sent -> its 200 received, microseconds).
//   npx tsx bench/call-rate.ts --kamailio
//   npx tsx bench/call-rate.ts --target 127.0.0.1:5060 [--hold-ms 0] [--rates 100,200,...] [--step-seconds 5] [--wire]
//     [--latency-runs N]
// --wire: the latency steps are also measured on the wire (sip-wire-latency.ts), which leaves out
// how late SIPp read the 200.
// --latency-runs N: the 250/s latency step N times, with every run's p95 and their median (one
// run's p95 moves with how busy the host is; issue 2's target is p95 < 5 ms there).
// Callee: user 1001, a registered SIPp answering through -oocsf; callers 1002..1101 call 1001.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { makePeerDir } from '../test/support/peers/peer-process.js';
import { percentile, runSipp, startSipp } from '../test/support/peers/sipp.js';
import { inviteTo200LatenciesFromFile } from '../test/support/peers/sipp-message-log.js';
import { numberedUsers, writeSippCsv } from '../test/support/peers/sipp-csv.js';
import { startSipWireCapture } from './sip-wire-latency.js';
import { benchArgs, cpuTicksOf, judgeStep, machine, printStep, serverPids, settle, withTarget } from './rate-search.js';
import type { StepOutcome } from './rate-search.js';

const args = benchArgs([100, 200, 400, 600, 800, 1000, 1200, 1500, 2000], 200);
const holdMs = args.holdMs;
const CALLEE = 1001;
const onWire = (s: StepOutcome): string => (s.wireP50 === undefined ? '' : `; on the wire p50 ${s.wireP50} ms, p95 ${s.wireP95} ms`);

await withTarget(args, async (target, kamailio) => {
  const work = await makePeerDir('bench-call');
  console.log(`call rate against ${kamailio ? `Kamailio peer ${target}` : target}; ${machine()}; hold ${holdMs} ms`);
  const calleeCsv = await writeSippCsv(join(work, 'callee.csv'), args.domain, numberedUsers(CALLEE, 1));
  const callee = await startSipp({
    scenario: 'registered-callee', oocScenario: 'uas-answer', target, injectCsv: calleeCsv,
    calls: 1, pauseMs: 3_600_000, timeoutMs: 3_600_000,
  });
  await callee.waitForLog(new RegExp(`registered ${CALLEE}`), 5000);
  const callers = await writeSippCsv(join(work, 'callers.csv'), args.domain,
    numberedUsers(CALLEE + 1, Math.min(100, args.users - 1), () => String(CALLEE)));

  const step = async (rate: number, seconds: number, precise = false): Promise<StepOutcome> => {
    await settle();
    const calls = Math.round(rate * seconds);
    const pids = await serverPids(args, kamailio);
    const ticksBefore = await cpuTicksOf(pids);
    const mainBefore = await cpuTicksOf(pids, true);
    const capture = precise && args.wire ? await startSipWireCapture(Number(target.split(':').pop()), join(work, `step-${rate}.pcap`)) : undefined;
    const r = await runSipp({
      scenario: 'uac-auth-call', target, injectCsv: callers, rate, calls, pauseMs: holdMs, rttFreq: 1,
      timeoutMs: seconds * 1000 + 8000, traceMessages: precise,
      // The trace is written per message: on tmpfs so disk writes do not become the latency.
      ...(precise && existsSync('/dev/shm') ? { dir: await mkdtemp('/dev/shm/bench-call-') } : {}),
    });
    const wire = await capture?.stop();
    const outcome = judgeStep(rate, calls, r, args.maxFailure, 'setup');
    // Calls end (BYE) inside the step: the CPU covers each call's whole life.
    if (pids.length > 0) outcome.serverCpuUs = ((await cpuTicksOf(pids)) - ticksBefore) * 10_000 / Math.max(1, r.successful);
    if (pids.length > 0 && kamailio === undefined) outcome.mainThreadCpuUs = ((await cpuTicksOf(pids, true)) - mainBefore) * 10_000 / Math.max(1, r.successful);
    if (precise) {
      // Microsecond timestamps of the message trace instead of SIPp's coarse rtd clock.
      const latencies = (await Promise.all(r.messageLogs.map(inviteTo200LatenciesFromFile))).flat().sort((a, b) => a - b);
      outcome.p50 = Number(percentile(latencies, 50).toFixed(2));
      outcome.p95 = Number(percentile(latencies, 95).toFixed(2));
      if (r.dir.startsWith('/dev/shm/')) await rm(r.dir, { recursive: true, force: true });
      console.log(`  (latency from -trace_msg over ${latencies.length} calls; rtd clock said p50 ${r.rtt['setup']?.p50} ms p95 ${r.rtt['setup']?.p95} ms)`);
      if (wire !== undefined) {
        const sorted = wire.latenciesMs.sort((a, b) => a - b);
        outcome.wireP50 = Number(percentile(sorted, 50).toFixed(2));
        outcome.wireP95 = Number(percentile(sorted, 95).toFixed(2));
        console.log(`  on the wire over ${sorted.length} calls: p50 ${outcome.wireP50} ms p95 ${outcome.wireP95} ms (capture drops ${wire.captureDrops})`);
      }
    }
    return outcome;
  };

  let best: StepOutcome | undefined;
  for (const rate of args.rates) {
    const s = await step(rate, args.stepSeconds);
    printStep(s);
    if (!s.clean) break;
    best = s;
  }
  if (best === undefined) { console.log('no clean step'); return; }
  const half = await step(Math.max(1, Math.round(best.rate / 2)), args.stepSeconds, true);
  printStep(half);
  console.log(`RESULT: ${best.rate} call setups/s clean (achieved ${best.achievedRate.toFixed(0)}/s);`
    + ` INVITE->200 at ${half.rate}/s: p50 ${half.p50} ms, p95 ${half.p95} ms${onWire(half)}`);
  // The issue's latency target is stated at half of 500 setups/s: measure there too.
  const p95s: number[] = [];
  for (let run = 0; run < args.latencyRuns; run++) {
    const atGoal = await step(250, args.stepSeconds, true);
    printStep(atGoal);
    console.log(`RESULT: INVITE->200 at ${atGoal.rate}/s: p50 ${atGoal.p50} ms, p95 ${atGoal.p95} ms${onWire(atGoal)}`);
    if (atGoal.p95 !== undefined) p95s.push(atGoal.p95);
  }
  if (p95s.length > 1) {
    const sorted = [...p95s].sort((a, b) => a - b);
    console.log(`RESULT: INVITE->200 p95 at 250/s over ${p95s.length} runs: ${p95s.join(', ')} ms;`
      + ` median ${percentile(sorted, 50)} ms, under the 5 ms target in ${p95s.filter((p) => p < 5).length}`);
  }
  await callee.stop();
});
