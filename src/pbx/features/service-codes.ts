/**
 * Service codes every PBX has for checking phones and networks (Asterisk's demo dialplan,
 * FreeSWITCH's 9196/9197, Yeastar's *-codes): `*43` echo test, `*44` tone test (1 kHz for
 * 10 s), `*45` digit read-back. Each is ordinary async code over a Leg.
 */
import { isHangupError, type Leg } from '../../call/index.js';
import type { PromptLibrary } from './prompt-library.js';

export type ServiceCode = '*43' | '*44' | '*45';

export function isServiceCode(number: string): number is ServiceCode {
  return number === '*43' || number === '*44' || number === '*45';
}

/** Echo test: what the caller says comes back to them, until they hang up. */
export async function echoTest(leg: Leg, prompts: PromptLibrary): Promise<void> {
  await leg.answer();
  await leg.play(prompts.prompt('echo-intro'));
  await leg.echo();
  await new Promise<never>((_, reject) => leg.signal.addEventListener('abort', () => reject(leg.signal.reason), { once: true }));
}

/** Tone test: 1 kHz at -10 dBm0 for 10 s, then hang up. */
export async function toneTest(leg: Leg): Promise<void> {
  await leg.answer();
  await leg.play({ kind: 'tone', tone: 'test', durationMs: 10_000 });
  await leg.hangup('normal');
}

/** Digit read-back: up to four digits ended by #, said back to the caller. */
export async function digitReadback(leg: Leg, prompts: PromptLibrary): Promise<void> {
  await leg.answer();
  const digits = await leg.collect({ max: 4, terminator: '#', firstDigitMs: 8000, interDigitMs: 4000, prompt: prompts.prompt('readback-enter') });
  if (digits === '') await leg.play(prompts.prompt('readback-nothing'));
  else await leg.play([prompts.prompt('readback-you-entered'), ...prompts.digits(digits)]);
  await leg.play(prompts.prompt('goodbye'));
  await leg.hangup('normal');
}

/** Runs a service code on a leg; a hang-up by the caller is the normal end, not an error. */
export async function runServiceCode(code: ServiceCode, leg: Leg, prompts: PromptLibrary): Promise<void> {
  try {
    if (code === '*43') await echoTest(leg, prompts);
    else if (code === '*44') await toneTest(leg);
    else await digitReadback(leg, prompts);
  } catch (err) {
    if (!isHangupError(err)) throw err;
  }
}
