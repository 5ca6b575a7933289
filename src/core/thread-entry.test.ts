import { describe, expect, it } from 'vitest';
import { threadEntry } from './thread-entry.js';

describe('threadEntry', () => {
  it('starts compiled workers directly from dist', () => {
    const entry = threadEntry('file:///srv/atende/dist/media/worker/media-worker-pool.js', 'media-worker');
    expect(entry).toEqual({ url: new URL('file:///srv/atende/dist/media/worker/media-worker.js'), typescript: false });
  });

  it('starts TypeScript workers through a tsx bootstrap', () => {
    const entry = threadEntry(import.meta.url, 'media-worker');
    expect(entry.typescript).toBe(true);
    expect(entry.url.protocol).toBe('data:');
    const code = decodeURIComponent(entry.url.href.slice('data:text/javascript,'.length));
    expect(code).toContain('tsx/dist/esm/api/index.mjs');
    expect(code).toContain(new URL('./media-worker.ts', import.meta.url).href);
  });
});
