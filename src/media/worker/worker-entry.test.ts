import { describe, expect, it } from 'vitest';
import { mediaWorkerEntry } from './worker-entry.js';

describe('mediaWorkerEntry', () => {
  it('starts compiled workers directly from dist', () => {
    const entry = mediaWorkerEntry('file:///srv/atende/dist/media/worker/worker-entry.js');
    expect(entry).toEqual({ url: new URL('file:///srv/atende/dist/media/worker/media-worker.js'), typescript: false });
  });

  it('starts TypeScript workers through a tsx bootstrap', () => {
    const entry = mediaWorkerEntry(import.meta.url);
    expect(entry.typescript).toBe(true);
    expect(entry.url.protocol).toBe('data:');
    const code = decodeURIComponent(entry.url.href.slice('data:text/javascript,'.length));
    expect(code).toContain('tsx/dist/esm/api/index.mjs');
    expect(code).toContain(new URL('./media-worker.ts', import.meta.url).href);
  });
});
