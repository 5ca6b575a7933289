// Cost of Player.next() per 20 ms frame (not a test): `npx tsx bench/media/player-frame-cost.ts`.
import { brazilianTone, testTone } from '../../src/media/tone/index.js';
import type { PlaySource } from '../../src/media/player/play-request.js';
import { Player } from '../../src/media/player/player.js';
import { PromptCache } from '../../src/media/player/prompt-cache.js';

const FRAMES = 200_000;

function measure(label: string, rate: 8000 | 16000 | 48000, source: PlaySource): void {
  const player = new Player({ sampleRate: rate, prompts: new PromptCache(), onEvent: () => {} });
  player.enqueue({ playId: label, sources: [source], loop: true });
  const size = rate / 50;
  for (let i = 0; i < 5000; i++) player.next(size); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < FRAMES; i++) player.next(size);
  const ns = Number(process.hrtime.bigint() - t0) / FRAMES;
  console.log(`${label.padEnd(32)} ${(ns / 1000).toFixed(2)} us/frame`);
}

const prompt = new Int16Array(8000 * 3).map((_, i) => Math.round(8000 * Math.sin(i / 7)));
measure('prompt (PCM copy) 8 kHz', 8000, { kind: 'samples', samples: prompt });
measure('tone 1 kHz 8 kHz', 8000, { kind: 'tone', tone: testTone() });
measure('ringback cadence 8 kHz', 8000, { kind: 'tone', tone: brazilianTone('ringback') });
measure('tone 1 kHz 16 kHz', 16000, { kind: 'tone', tone: testTone() });
measure('tone 1 kHz 48 kHz', 48000, { kind: 'tone', tone: testTone() });
measure('silence 8 kHz', 8000, { kind: 'silence', durationMs: 60_000 });
