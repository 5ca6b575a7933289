// A call between two baresip phones as the interop tests make it: dial, talk 1.5 s, hang up;
// then each phone's recording of what it received is checked for the other's tone.
import { expect } from 'vitest';
import type { Baresip } from './baresip.js';
import { measureToneInFile } from './goertzel.js';

/** The WAV of what the phone received in its last call (sndfile writes <time>-dec.wav). */
export async function receivedAudio(p: Baresip): Promise<string> {
  const dec = (await p.recordings()).find((f) => f.endsWith('-dec.wav'));
  expect(dec, p.log()).toBeDefined();
  return dec as string;
}

/** The caller dials `uri`, both talk for 1.5 s, the caller hangs up; both see the call end. */
export async function talk(caller: Baresip, callee: Baresip, uri: string): Promise<void> {
  expect((await caller.dial(uri)).ok).toBe(true);
  await caller.waitForEvent('CALL_ESTABLISHED', 8000);
  await callee.waitForEvent('CALL_ESTABLISHED', 8000);
  await new Promise((r) => setTimeout(r, 1500));
  await caller.hangup();
  await callee.waitForEvent('CALL_CLOSED', 5000);
  await caller.waitForEvent('CALL_CLOSED', 5000);
}

/** Each phone heard the other's tone, and not its own. */
export async function expectHeardEachOther(caller: Baresip, callee: Baresip, callerTone: number, calleeTone: number): Promise<void> {
  const atCallee = await receivedAudio(callee);
  const atCaller = await receivedAudio(caller);
  expect((await measureToneInFile(atCallee, callerTone)).ratio, callee.log()).toBeGreaterThan(0.8);
  expect((await measureToneInFile(atCallee, calleeTone)).ratio).toBeLessThan(0.05);
  expect((await measureToneInFile(atCaller, calleeTone)).ratio, caller.log()).toBeGreaterThan(0.8);
  expect((await measureToneInFile(atCaller, callerTone)).ratio).toBeLessThan(0.05);
}
