// Registered SIPp callees, one per behaviour: each registers with digest as its user and answers
// INVITEs through an out-of-call scenario (uas-answer, uas-ring-cancel, uas-busy...).
import { join } from 'node:path';
import { startSipp, type SippHandle } from './sipp.js';
import { numberedUsers, writeSippCsv } from './sipp-csv.js';

/** Starts one registered callee per [user, out-of-call scenario] and waits until each registered. */
export async function startRegisteredCallees(
  plan: readonly [user: string, oocScenario: string][],
  opts: { target: string; domain: string; dir: string },
): Promise<Map<string, SippHandle>> {
  const callees = new Map<string, SippHandle>();
  await Promise.all(plan.map(async ([user, ooc]) => {
    const csv = await writeSippCsv(join(opts.dir, `callee-${user}.csv`), opts.domain, numberedUsers(Number(user), 1));
    const callee = await startSipp({
      scenario: 'registered-callee', oocScenario: ooc, target: opts.target, injectCsv: csv,
      calls: 1, pauseMs: 600_000, timeoutMs: 170_000,
    });
    callees.set(user, callee);
    await callee.waitForLog(new RegExp(`registered ${user}`), 5000);
  }));
  return callees;
}
