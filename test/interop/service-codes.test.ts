// The service codes every PBX has, answered by Atende itself through the call-control API and
// its media workers: *43 echo, *44 tone test, *45 digit read-back. A real softphone (baresip)
// dials them; what it hears is checked with a Goertzel filter. The read-back runs on prompts
// that are tones (one frequency per prompt), so the order of what was played can be read back
// from the audio.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtende, type TestAtende } from '../support/atende.js';
import { startBaresip, type Baresip } from '../support/peers/baresip.js';
import { measureToneInFile, readWav, toneSequence } from '../support/peers/goertzel.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';

const run = promisify(execFile);
let atende: TestAtende;
let work: string;

/** Prompt name -> the tone that stands for it. */
const PROMPT_TONES: Record<string, number> = {
  'readback-enter': 400, 'readback-you-entered': 500, 'readback-nothing': 250, goodbye: 300, 'echo-intro': 600,
  'digit-1': 700, 'digit-2': 900, 'digit-3': 1100,
};

beforeAll(async () => {
  work = await makePeerDir('interop-service-codes');
  const prompts = join(work, 'prompts');
  await mkdir(join(prompts, 'pt-BR'), { recursive: true });
  for (const [name, hz] of Object.entries(PROMPT_TONES)) {
    const seconds = name === 'readback-enter' ? 1.5 : 0.4;
    await run('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', join(prompts, 'pt-BR', `${name}.wav`), 'synth', String(seconds), 'sine', String(hz), 'vol', '0.5']);
  }
  atende = await startAtende({ extensionCount: 10, promptsDir: prompts });
});

afterAll(async () => {
  await stopAllPeers();
  await atende?.stop();
  await removePeerDirs();
});

async function phone(user: string, tone: number): Promise<Baresip> {
  const p = await startBaresip({
    user, password: `pw-${user}`, registrar: `127.0.0.1:${atende.sipPort}`, domain: atende.domain,
    audioSource: `ausine,${tone}`, recordDir: join(work, `rec-${user}`),
  });
  await p.waitForEvent('REGISTER_OK', 5000);
  return p;
}

async function received(p: Baresip): Promise<string> {
  const dec = (await p.recordings()).find((f) => f.endsWith('-dec.wav'));
  expect(dec, p.log()).toBeDefined();
  return dec as string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('service codes answered by Atende', () => {
  it('*44 plays 1 kHz for 10 s, then hangs up', async () => {
    const p = await phone('1001', 440);
    expect((await p.dial(`sip:*44@${atende.domain}`)).ok).toBe(true);
    await p.waitForEvent('CALL_ESTABLISHED', 5000);
    const up = Date.now();
    await p.waitForEvent('CALL_CLOSED', 15_000);
    expect(Date.now() - up).toBeGreaterThan(9000);
    const tone = await measureToneInFile(await received(p), 1000, { startS: 1, durationS: 7 });
    expect(tone.ratio).toBeGreaterThan(0.8);
    await p.stop();
  });

  it('*43 sends back what the caller says', async () => {
    const p = await phone('1002', 440);
    expect((await p.dial(`sip:*43@${atende.domain}`)).ok).toBe(true);
    await p.waitForEvent('CALL_ESTABLISHED', 5000);
    await sleep(3000);
    await p.hangup();
    await p.waitForEvent('CALL_CLOSED', 5000);
    const audio = await readWav(await received(p));
    // The intro prompt (600 Hz here), then the caller's own 440 Hz coming back.
    expect(toneSequence(audio, [600, 440])).toEqual([600, 440]);
    await p.stop();
  });

  it('*45 collects digits ended by # and reads them back', async () => {
    const p = await phone('1003', 440);
    expect((await p.dial(`sip:*45@${atende.domain}`)).ok).toBe(true);
    await p.waitForEvent('CALL_ESTABLISHED', 5000);
    await sleep(500); // into the prompt: the first digit barges in
    for (const digit of ['1', '2', '3', '#']) {
      expect((await p.command('sndcode', digit)).ok).toBe(true);
      await sleep(300);
    }
    await p.waitForEvent('CALL_CLOSED', 10_000);
    const heard = toneSequence(await readWav(await received(p)), Object.values(PROMPT_TONES));
    expect(heard).toEqual([400, 500, 700, 900, 1100, 300]);
    await p.stop();
  });
});
