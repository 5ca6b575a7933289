// Issue 2's REGISTER target in one run: Atende against Kamailio doing the same registrar job
// (SAME_JOB=1: qop=auth with nonce-count replay protection, a transaction per authenticated
// REGISTER, bindings written back to SQLite), with the lean Kamailio (bindings in memory only,
// no qop, stateless answers) measured in the same run for the record. Each peer gets the same
// SIPp load from bench/register-rate.ts, one after the other on the same machine.
//   npx tsx bench/register-side-by-side.ts [--users 20000]
import { execFile } from 'node:child_process';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';

const run = promisify(execFile);
const { values } = parseArgs({ options: { users: { type: 'string', default: '20000' } } });

interface Peer {
  name: string;
  flag: '--atende' | '--kamailio';
  env: Record<string, string>;
  rates: number[];
}

// Each ladder starts below what the peer has always cleared here, so a first step that fails
// says something went wrong rather than where the limit is.
const peers: Peer[] = [
  { name: 'Kamailio, same job (SAME_JOB=1)', flag: '--kamailio', env: { SAME_JOB: '1' }, rates: [4000, 6000, 8000, 9000, 10000, 11000, 12000, 13000] },
  { name: 'Atende', flag: '--atende', env: {}, rates: [3000, 4000, 5000, 5500, 6000, 6500, 7000, 7500, 8000] },
  { name: 'Kamailio, lean', flag: '--kamailio', env: {}, rates: [6000, 8000, 10000, 12000, 13000, 14000, 15000, 16000, 17000, 18000] },
];

interface Outcome { peer: Peer; best?: number; achieved?: number; steps: string[] }

async function measure(peer: Peer): Promise<Outcome> {
  const { stdout } = await run('npx', ['tsx', 'bench/register-rate.ts', peer.flag, '--users', String(values.users), '--rates', peer.rates.join(',')], {
    env: { ...process.env, ...peer.env }, maxBuffer: 256 * 1024 * 1024,
  });
  const steps = stdout.split('\n').filter((line) => /^(rate |fill:|memory:|REGISTER rate)/.test(line));
  const result = /RESULT: (\d+) REGISTER\/s clean \(achieved (\d+)\/s/.exec(stdout);
  for (const line of steps) console.log(`  ${line}`);
  return result === null ? { peer, steps } : { peer, best: Number(result[1]), achieved: Number(result[2]), steps };
}

const outcomes: Outcome[] = [];
for (const peer of peers) {
  console.log(`\n${peer.name}`);
  outcomes.push(await measure(peer));
}

const atende = outcomes.find((o) => o.peer.flag === '--atende');
const share = (a: number | undefined, k: number | undefined): string =>
  a === undefined || k === undefined ? 'n/a' : `${Math.round((100 * a) / k)}%`;
console.log('\n| peer | clean REGISTER/s (step) | achieved | Atende\'s share by step | by achieved |');
console.log('|---|---|---|---|---|');
for (const o of outcomes) {
  const clean = o.best === undefined ? `none (first step ${o.peer.rates[0]})` : String(o.best);
  const shares = o === atende ? ['', ''] : [share(atende?.best, o.best), share(atende?.achieved, o.achieved)];
  console.log(`| ${o.peer.name} | ${clean} | ${o.achieved ?? '-'} | ${shares[0]} | ${shares[1]} |`);
}
