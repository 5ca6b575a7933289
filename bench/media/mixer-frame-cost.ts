// Cost of ConferenceMixer.mix() per 20 ms tick (not a test):
// `npx tsx bench/media/mixer-frame-cost.ts`.
import { ConferenceMixer } from '../../src/media/mixer/conference-mixer.js';
import { spyMembers, type MixMember } from '../../src/media/mixer/mix-member.js';

const TICKS = 100_000;

function measure(label: string, rate: 8000 | 16000 | 48000, members: MixMember[]): void {
  const mixer = new ConferenceMixer({ sampleRate: rate });
  mixer.setMembers(members);
  const frames = new Map(members.map((m, k) => [m.id, new Int16Array(rate / 50).map((_, i) => ((i * (k + 3)) % 2000) - 1000)]));
  for (let i = 0; i < 5000; i++) mixer.mix(frames);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < TICKS; i++) mixer.mix(frames);
  const ns = Number(process.hrtime.bigint() - t0) / TICKS;
  console.log(`${label.padEnd(36)} ${(ns / 1000).toFixed(2)} us/tick  ${(ns / 1000 / members.length).toFixed(2)} us/member`);
}

const conference = (n: number): MixMember[] => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, hears: 'all-but-self' as const }));
const spy = spyMembers('whisper', { supervisor: 's', agent: 'a', caller: 'c' });
measure('whisper (3 members) 8 kHz', 8000, spy);
measure('conference 3 members 8 kHz', 8000, conference(3));
measure('conference 10 members 8 kHz', 8000, conference(10));
measure('conference 10 members 16 kHz', 16000, conference(10));
measure('conference 50 members 8 kHz', 8000, conference(50));
measure('conference 3 members 48 kHz', 48000, conference(3));
