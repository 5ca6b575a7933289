// Micro-benchmark of parseSessionDescription against the sdp-transform based path it replaced
// (src/sdp/parse-reference.test-support.ts): parses/s of a desk phone / SIPp audio offer and of
// a Chrome WebRTC offer, side by side. Rounds alternate the two and the best round counts.
// Run: npx tsx bench/sdp-parse.ts
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { isSdpParseError, parseSessionDescription } from '../src/sdp/index.js';
import type { SdpParseError, SessionDescription } from '../src/sdp/index.js';
import { referenceParseSessionDescription } from '../src/sdp/parse-reference.test-support.js';

type Parse = (text: string) => SessionDescription | SdpParseError;

const CRLF = '\r\n';
const phoneOffer = [
  'v=0', 'o=- 2890844526 2890844526 IN IP4 192.0.2.10', 's=-', 'c=IN IP4 192.0.2.10', 't=0 0',
  'm=audio 40000 RTP/AVP 0 8 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16', 'a=ptime:20', 'a=sendrecv', '',
].join(CRLF);
const chromeOffer = readFileSync(new URL('../src/sdp/fixtures/chromium-offer.sdp', import.meta.url), 'utf8').replace(/\r?\n/g, CRLF);

/** Parses/s of one round, wall clock and per CPU-second (steadier when the machine is shared). */
function round(parse: Parse, text: string, n: number): { wall: number; cpu: number; sink: number } {
  let sink = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const d = parse(text);
    sink += isSdpParseError(d) ? 0 : d.media.length + d.media[0]!.codecs.length;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall: (n / ms) * 1000, cpu: (n / ((cpu.user + cpu.system) / 1000)) * 1000, sink };
}

function bench(name: string, text: string, n: number): void {
  for (const parse of [parseSessionDescription, referenceParseSessionDescription]) {
    if (isSdpParseError(parse(text))) throw new Error(`${name} does not parse`);
    round(parse, text, n / 5); // warm-up
  }
  const best = { now: { wall: 0, cpu: 0 }, before: { wall: 0, cpu: 0 } };
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    for (const [key, parse] of [['now', parseSessionDescription], ['before', referenceParseSessionDescription]] as const) {
      const res = round(parse, text, n);
      best[key].wall = Math.max(best[key].wall, res.wall);
      best[key].cpu = Math.max(best[key].cpu, res.cpu);
      sink += res.sink;
    }
  }
  const rate = (x: number): string => Math.round(x).toLocaleString('en-US').padStart(9);
  const lines = text.split(CRLF).length - 1;
  console.log(`${`${name} (${lines} lines)`.padEnd(30)} ${rate(best.now.wall)} /s ${rate(best.now.cpu)} /cpu-s   `
    + `${rate(best.before.wall)} /s ${rate(best.before.cpu)} /cpu-s   x${(best.now.cpu / best.before.cpu).toFixed(1)}  (sink ${sink % 7})`);
}

console.log(`${''.padEnd(30)} ${'single-pass reader'.padEnd(30)}   ${'sdp-transform (before)'.padEnd(30)}   speed-up`);
bench('phone audio offer', phoneOffer, 100_000);
bench('Chrome WebRTC offer', chromeOffer, 20_000);
