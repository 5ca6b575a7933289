// Server CPU time per authenticated registration (REGISTER -> 401 -> REGISTER -> 200), from the
// kernel's accounting (/proc/PID/stat utime+stime of the server and its children processes),
// at a fixed SIPp rate below both servers' limits: a steadier measure of efficiency than the
// rate search, which also depends on how SIPp and the server share the two cores.
//   npx tsx bench/register-cpu.ts --atende | --kamailio [--users 20000] [--rates 2000]
import { join } from 'node:path';
import { makePeerDir } from '../test/support/peers/peer-process.js';
import { runSipp } from '../test/support/peers/sipp.js';
import { numberedUsers, writeSippCsv } from '../test/support/peers/sipp-csv.js';
import { benchArgs, cpuTicksOf, machine, serverPids, settle, threadTicksOf, withTarget } from './rate-search.js';

const args = benchArgs([2000], 20_000);
const MEASURED = 30_000;
const TICK_US = 10_000; // USER_HZ is 100 on Linux

await withTarget(args, async (target, kamailio) => {
  const work = await makePeerDir('bench-register-cpu');
  const csv = await writeSippCsv(join(work, 'users.csv'), args.domain, numberedUsers(1001, args.users));
  const rate = args.rates[0] ?? 2000;
  console.log(`CPU per registration against ${kamailio ? 'Kamailio' : 'Atende'} at ${rate}/s; ${machine()}`);
  const fill = await runSipp({
    scenario: 'register-auth', target, injectCsv: csv, rate: 1000, calls: args.users,
    timeoutMs: (args.users / 1000) * 1000 + 15_000,
  });
  console.log(`fill: ${fill.successful}/${args.users} bindings`);
  await settle(3000);
  const pids = await serverPids(args, kamailio);
  const before = await cpuTicksOf(pids);
  const threadsBefore = pids.length === 1 ? await threadTicksOf(pids[0]!) : new Map<number, number>();
  const r = await runSipp({
    scenario: 'register-auth', target, injectCsv: csv, rate, calls: MEASURED,
    timeoutMs: (MEASURED / rate) * 1000 + 15_000,
  });
  const after = await cpuTicksOf(pids);
  const us = ((after - before) * TICK_US) / Math.max(1, r.successful);
  console.log(`${r.successful}/${MEASURED} registrations, ${r.failed} failed; server CPU ${((after - before) / 100).toFixed(2)} s over ${pids.length} process(es)`);
  // Per thread of a single server process (Atende: the main thread, the registrar's, media workers).
  if (pids.length === 1) {
    const threadsAfter = await threadTicksOf(pids[0]!);
    const busy = [...threadsAfter]
      .map(([tid, t]) => ({ tid, us: ((t - (threadsBefore.get(tid) ?? 0)) * TICK_US) / Math.max(1, r.successful) }))
      .filter((t) => t.us >= 1)
      .sort((a, b) => b.us - a.us);
    for (const t of busy) console.log(`  thread ${t.tid}${t.tid === pids[0] ? ' (main)' : ''}: ${t.us.toFixed(0)} µs per registration`);
  }
  console.log(`RESULT: ${us.toFixed(0)} µs of server CPU per registration`);
});
