#!/usr/bin/env bash
# The SIP core benchmarks, Atende and the Kamailio reference peer back to back on the same
# machine and the same SIPp load (issue 2, section 5). Logs go to bench/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
npm run build >/dev/null
# REGISTER: Atende, Kamailio doing the same job and the lean Kamailio, one after the other.
npx tsx bench/register-side-by-side.ts | tee bench/out/register.log
for peer in atende kamailio; do
  npx tsx bench/call-rate.ts --$peer --rates 200,400,500,600,800,1000,1200 --latency-runs 5 | tee bench/out/call-$peer.log
done
node --expose-gc --import tsx bench/binding-memory.ts 20000 | tee bench/out/binding-memory.log
