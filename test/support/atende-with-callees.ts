// A test Atende with registered SIPp callees (one per extension, each answering through its
// out-of-call scenario) and a peer directory, all stopped together.
import { makePeerDir, removePeerDirs, stopAllPeers } from './peers/peer-process.js';
import type { SippHandle } from './peers/sipp.js';
import { startRegisteredCallees } from './peers/sipp-callees.js';
import { startAtende, type StartAtendeOptions, type TestAtende } from './atende.js';

export interface AtendeWithCallees {
  atende: TestAtende;
  callees: Map<string, SippHandle>;
  /** A directory for this test file's CSVs and peers. */
  work: string;
  stop(): Promise<void>;
}

export async function startAtendeWithCallees(
  name: string,
  plan: readonly [user: string, oocScenario: string][],
  opts: StartAtendeOptions,
): Promise<AtendeWithCallees> {
  const work = await makePeerDir(name);
  const atende = await startAtende(opts);
  const callees = await startRegisteredCallees(plan, { target: atende.sipTarget, domain: atende.domain, dir: work });
  return {
    atende,
    callees,
    work,
    async stop() {
      await Promise.all([...callees.values()].map((c) => c.stop()));
      await stopAllPeers();
      await atende.stop();
      await removePeerDirs();
    },
  };
}
