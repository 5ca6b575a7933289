// A real browser as a phone: Chromium running our test page with SIP.js, over SIP on
// WebSocket to Atende, with WebRTC audio (ICE-lite, DTLS-SRTP) anchored by Atende's media
// workers and bridged to a baresip desk phone on plain RTP.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtende, type TestAtende } from '../support/atende.js';
import { startChromium, type TestBrowser } from '../support/browser/chromium.js';
import { startStaticSite, type StaticSite } from '../support/browser/static-site.js';
import { startBaresip } from '../support/peers/baresip.js';
import { measureToneInFile } from '../support/peers/goertzel.js';
import { makePeerDir, removePeerDirs, stopAllPeers } from '../support/peers/peer-process.js';

const run = promisify(execFile);
let atende: TestAtende;
let site: StaticSite;
let browser: TestBrowser;
let work: string;

beforeAll(async () => {
  work = await makePeerDir('interop-browser');
  // The browser's microphone: a steady 1 kHz tone (Chromium loops the file).
  const mic = join(work, 'mic-1000.wav');
  await run('sox', ['-n', '-r', '48000', '-c', '1', '-b', '16', mic, 'synth', '10', 'sine', '1000', 'vol', '0.5']);
  atende = await startAtende({ extensionCount: 10 });
  site = await startStaticSite();
  browser = await startChromium({ microphoneWav: mic });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await stopAllPeers();
  await atende?.stop();
  await removePeerDirs();
});

async function events(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as { phoneEvents: { type: string }[] }).phoneEvents.map((e) => e.type));
}

async function waitForEvent(page: Page, type: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await events(page)).includes(type)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`browser phone: no '${type}' within ${timeoutMs} ms (events: ${(await events(page)).join(', ')})`);
}

async function browserPhone(user: string): Promise<Page> {
  const page = await browser.newPage(`${site.url}/phone.html`);
  await waitForEvent(page, 'ready', 5000);
  await page.evaluate((cfg) => (globalThis as unknown as { phone: { start(c: unknown): Promise<void> } }).phone.start(cfg), {
    server: `ws://127.0.0.1:${atende.httpPort}/sip`,
    aor: `sip:${user}@${atende.domain}`,
    username: user,
    password: `pw-${user}`,
  });
  await waitForEvent(page, 'registered', 5000);
  return page;
}

describe('Chromium with SIP.js through Atende', () => {
  it('registers over SIP on WebSocket', async () => {
    const page = await browserPhone('1001');
    const bindings = atende.server.registrar.lookup('1001');
    expect(bindings).toHaveLength(1);
    expect(bindings[0]?.source.protocol).toBe('ws');
    await page.close();
  });

  it('calls a baresip phone with WebRTC audio: the browser\'s tone arrives at the phone', async () => {
    const phone = await startBaresip({
      user: '1002', password: 'pw-1002', registrar: `127.0.0.1:${atende.sipPort}`, domain: atende.domain,
      audioSource: 'ausine,440', autoAnswer: true, recordDir: join(work, 'rec-1002'),
    });
    await phone.waitForEvent('REGISTER_OK', 5000);
    const page = await browserPhone('1003');
    await page.evaluate((target) => (globalThis as unknown as { phone: { call(t: string): Promise<void> } }).phone.call(target), `sip:1002@${atende.domain}`);
    await waitForEvent(page, 'answered', 10_000);
    await phone.waitForEvent('CALL_ESTABLISHED', 5000);
    await new Promise((r) => setTimeout(r, 3000));
    const stats = await page.evaluate(() => (globalThis as unknown as { phone: { stats(): Promise<unknown> } }).phone.stats());
    await page.evaluate(() => (globalThis as unknown as { phone: { hangup(): Promise<void> } }).phone.hangup());
    await phone.waitForEvent('CALL_CLOSED', 5000);
    const recorded = (await phone.recordings()).find((f) => f.endsWith('-dec.wav'));
    expect(recorded, phone.log()).toBeDefined();
    expect((await measureToneInFile(recorded as string, 1000, { startS: 1 })).ratio, JSON.stringify(stats)).toBeGreaterThan(0.5);
    // And the phone's 440 Hz reached the browser (its inbound RTP counters).
    expect((stats as { 'inbound-rtp'?: { packets: number } })['inbound-rtp']?.packets ?? 0).toBeGreaterThan(50);
    await page.close();
    await phone.stop();
  });
  it('is called by a baresip phone (Atende offers WebRTC to the browser): the browser\'s tone arrives at the phone', async () => {
    const page = await browserPhone('1005');
    const phone = await startBaresip({
      user: '1004', password: 'pw-1004', registrar: `127.0.0.1:${atende.sipPort}`, domain: atende.domain,
      audioSource: 'ausine,440', recordDir: join(work, 'rec-1004'),
    });
    await phone.waitForEvent('REGISTER_OK', 5000);
    expect((await phone.dial(`sip:1005@${atende.domain}`)).ok).toBe(true);
    await waitForEvent(page, 'incoming', 10_000);
    await phone.waitForEvent('CALL_ESTABLISHED', 10_000);
    await new Promise((r) => setTimeout(r, 3000));
    const stats = await page.evaluate(() => (globalThis as unknown as { phone: { stats(): Promise<unknown> } }).phone.stats());
    await phone.hangup();
    await waitForEvent(page, 'hangup', 5000);
    const recorded = (await phone.recordings()).find((f) => f.endsWith('-dec.wav'));
    expect(recorded, phone.log()).toBeDefined();
    expect((await measureToneInFile(recorded as string, 1000, { startS: 1 })).ratio, JSON.stringify(stats)).toBeGreaterThan(0.5);
    expect((stats as { 'inbound-rtp'?: { packets: number } })['inbound-rtp']?.packets ?? 0).toBeGreaterThan(50);
    await page.close();
    await phone.stop();
    for (let i = 0; i < 50 && atende.server.legs.size > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(atende.server.legs.size).toBe(0);
  });
});
