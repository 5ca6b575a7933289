// Calls between extensions are recorded when either extension says `recording: always`: two
// baresip phones, each sending its own tone, and the WAV Atende writes under the data dir has
// the caller on the left channel and the callee on the right.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtende, type TestAtende } from '../support/atende.js';
import { startBaresip, type Baresip } from '../support/peers/baresip.js';
import { readWav, toneSequence } from '../support/peers/goertzel.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';

let atende: TestAtende;
let work: string;

beforeAll(async () => {
  work = await makePeerDir('interop-call-recording');
  atende = await startAtende({
    extensions: [
      { number: '2001', password: 'pw-2001' },
      { number: '2002', password: 'pw-2002', recording: 'always' },
      { number: '2003', password: 'pw-2003' },
    ],
  });
});

afterAll(async () => {
  await stopAllPeers();
  await atende?.stop();
  await removePeerDirs();
});

async function phone(user: string, tone: number, autoAnswer: boolean): Promise<Baresip> {
  const p = await startBaresip({
    user, password: `pw-${user}`, registrar: `127.0.0.1:${atende.sipPort}`, domain: atende.domain,
    audioSource: `ausine,${tone}`, autoAnswer, recordDir: join(work, `rec-${user}`),
  });
  await p.waitForEvent('REGISTER_OK', 5000);
  return p;
}

async function recordings(): Promise<string[]> {
  const dir = join(atende.dataDir, 'recordings');
  const files = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return files.filter((f) => String(f).endsWith('.wav')).map((f) => join(dir, String(f)));
}

async function call(from: Baresip, to: Baresip, toUser: string): Promise<void> {
  expect((await from.dial(`sip:${toUser}@${atende.domain}`)).ok).toBe(true);
  await from.waitForEvent('CALL_ESTABLISHED', 8000);
  await to.waitForEvent('CALL_ESTABLISHED', 8000);
  await new Promise((r) => setTimeout(r, 2000));
  await from.hangup();
  await to.waitForEvent('CALL_CLOSED', 5000);
  for (let i = 0; i < 50 && atende.server.legs.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
}

describe('call recording by extension policy', () => {
  it('records a call to an extension with recording: always, caller left and callee right', async () => {
    const caller = await phone('2001', 440, false);
    const callee = await phone('2002', 1000, true);
    await call(caller, callee, '2002');
    const files = await recordings();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\/\d{4}\/\d{2}\/\d{2}\/\d{8}-\d{6}-2001-2002-[^/]+\.wav$/);
    const left = await readWav(files[0] as string, { channel: 0 });
    const right = await readWav(files[0] as string, { channel: 1 });
    expect(toneSequence(left, [440, 1000])).toEqual([440]);
    expect(toneSequence(right, [440, 1000])).toEqual([1000]);
    await Promise.all([caller.stop(), callee.stop()]);
  });

  it('does not record calls between extensions that never record', async () => {
    const caller = await phone('2003', 440, false);
    const callee = await phone('2001', 1000, true);
    const before = (await recordings()).length;
    await call(caller, callee, '2001');
    expect(await recordings()).toHaveLength(before);
    await Promise.all([caller.stop(), callee.stop()]);
  });
});
