// Chromium (Debian package) driven by playwright-core, with the flags ../shared/TESTING.md
// lists for WebRTC on loopback: fake audio devices (optionally a WAV as the microphone), no
// permission prompts, loopback ICE candidates allowed, a fresh profile per browser
// (playwright gives each launch a temporary profile of its own; `profile` holds our files).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export interface TestBrowser {
  readonly browser: Browser;
  newPage(url: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startChromium(opts: { microphoneWav?: string } = {}): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'atende-chromium-'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      '--allow-loopback-in-peer-connection',
      // Host candidates as addresses, not mDNS names: Atende is ICE-lite and latches on checks.
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      ...(opts.microphoneWav !== undefined ? [`--use-file-for-fake-audio-capture=${opts.microphoneWav}`] : []),
    ],
  });
  return {
    browser,
    async newPage(url) {
      const page = await browser.newPage();
      await page.goto(url);
      return page;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
