// Authenticated REGISTER/s at < 0.1% failure, stepping SIPp's rate up, after filling the
// registrar with --users bindings (default 20,000); also memory per binding.
//   npx tsx bench/register-rate.ts --kamailio            (starts the Kamailio reference peer)
//   npx tsx bench/register-rate.ts --target 127.0.0.1:5060 [--pid <server pid>]
// Users 1001..1000+users with password pw-<user> in --domain (atende.local) must exist.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KamailioPeer } from '../test/support/peers/kamailio.js';
import { makePeerDir } from '../test/support/peers/peer-process.js';
import { runSipp } from '../test/support/peers/sipp.js';
import { numberedUsers, writeSippCsv } from '../test/support/peers/sipp-csv.js';
import { benchArgs, judgeStep, machine, printStep, settle, withTarget } from './rate-search.js';
import type { StepOutcome } from './rate-search.js';

const run = promisify(execFile);
const args = benchArgs([250, 500, 1000, 1500, 2000, 2500, 3000, 4000, 5000], 20_000);
const FILL_RATE = 1000;
// SIPp's socket takes every answer for its 20,000 simulated phones; its default 64 KB receive
// buffer holds ~30 datagrams, so a server that answers a few milliseconds' worth of requests
// at once loses answers there (counted in /proc/net/snmp RcvbufErrors), not in the network.
// 4 MB for both servers (net.core.rmem_max allows it on this machine).
const SIPP_SOCKET = ['-buff_size', String(4 * 1024 * 1024)];

async function memoryBytes(kamailio: KamailioPeer | undefined): Promise<number | undefined> {
  if (kamailio !== undefined) {
    // Kamailio keeps location bindings in shared memory.
    const { stdout } = await run('kamcmd', ['-s', `unix:${kamailio.dir}/kamailio_ctl`, 'core.shmmem']);
    const used = /used:\s*(\d+)/.exec(stdout)?.[1];
    return used === undefined ? undefined : Number(used);
  }
  if (args.pid !== undefined) {
    const status = await readFile(`/proc/${args.pid}/status`, 'utf8');
    const kb = /VmRSS:\s*(\d+)/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  }
  return undefined;
}

await withTarget(args, async (target, kamailio) => {
  const work = await makePeerDir('bench-register');
  const csv = await writeSippCsv(join(work, 'users.csv'), args.domain, numberedUsers(1001, args.users));
  console.log(`REGISTER rate against ${kamailio ? `Kamailio peer ${target}` : target}; ${machine()}`);

  const before = await memoryBytes(kamailio);
  const fill = await runSipp({
    scenario: 'register-auth', target, injectCsv: csv, rate: FILL_RATE, calls: args.users,
    timeoutMs: (args.users / FILL_RATE) * 1000 + 15_000, extraArgs: SIPP_SOCKET,
  });
  const after = await memoryBytes(kamailio);
  console.log(`fill: ${fill.successful}/${args.users} bindings registered at ${FILL_RATE}/s, ${fill.failed} failed`);
  if (before !== undefined && after !== undefined) {
    console.log(`memory: ${((after - before) / fill.successful).toFixed(0)} bytes per binding right after the fill (${before} -> ${after})`);
    // Transactions of the fill linger 64*T1 = 32 s (Timer J); measure again once they are gone.
    await settle(40_000);
    const later = await memoryBytes(kamailio);
    if (later !== undefined) console.log(`memory: ${((later - before) / fill.successful).toFixed(0)} bytes per binding 40 s later (${before} -> ${later})`);
  }

  let best: StepOutcome | undefined;
  for (const rate of args.rates) {
    await settle();
    const calls = rate * args.stepSeconds;
    const r = await runSipp({
      scenario: 'register-auth', target, injectCsv: csv, rate, calls, rttFreq: 1,
      timeoutMs: args.stepSeconds * 1000 + 8000, extraArgs: SIPP_SOCKET,
    });
    const step = judgeStep(rate, calls, r, args.maxFailure, 'register');
    printStep(step);
    if (!step.clean) break;
    best = step;
  }
  console.log(best === undefined ? 'no clean step'
    : `RESULT: ${best.rate} REGISTER/s clean (achieved ${best.achievedRate.toFixed(0)}/s, p50 ${best.p50} ms, p95 ${best.p95} ms)`);
});
