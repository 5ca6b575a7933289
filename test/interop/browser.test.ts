// A real browser as a phone: Chromium running our test page with SIP.js, over SIP on
// WebSocket to Atende.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAtende, type TestAtende } from '../support/atende.js';
import { startChromium, type TestBrowser } from '../support/browser/chromium.js';
import { startStaticSite, type StaticSite } from '../support/browser/static-site.js';
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
});
