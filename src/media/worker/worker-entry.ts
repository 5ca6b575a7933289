/**
 * How to start a media worker from wherever this module runs:
 * - compiled (dist/, production): the sibling `media-worker.js` is started directly;
 * - TypeScript sources (vitest, `tsx bench/...`): Node 20 cannot run a `.ts` worker, and
 *   `execArgv: ['--import', 'tsx']` does not reach worker threads there, so the worker starts
 *   from a tiny `data:` module that registers tsx's ESM hooks (tsx/esm/api `register()`) and then
 *   imports `media-worker.ts`. This needs the `tsx` dev dependency, checked here with a clear error.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { AtendeError } from '../../core/index.js';

/** What `new Worker(...)` gets. */
export interface WorkerEntry {
  url: URL;
  /** True when the worker runs from TypeScript sources through tsx. */
  typescript: boolean;
}

/** The tsx ESM API module URL, or an error saying tsx is needed. */
function tsxRegisterUrl(from: string): string {
  try {
    const pkgPath = createRequire(from).resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
    const rel = pkg.exports?.['./esm/api']?.import?.default;
    if (!rel) throw new Error('tsx has no ./esm/api export');
    return new URL(rel, pathToFileURL(pkgPath)).href;
  } catch (err) {
    throw new AtendeError(
      'tsx_missing',
      'media workers started from TypeScript sources need the tsx package (npm install); production runs dist/',
      { cause: err },
    );
  }
}

/** The worker entry for a module at `moduleUrl` (import.meta.url of this folder). */
export function mediaWorkerEntry(moduleUrl: string = import.meta.url): WorkerEntry {
  const path = new URL(moduleUrl).pathname;
  if (!path.endsWith('.ts')) return { url: new URL('./media-worker.js', moduleUrl), typescript: false };
  const entry = new URL('./media-worker.ts', moduleUrl).href;
  const register = tsxRegisterUrl(moduleUrl);
  const code = `const { register } = await import(${JSON.stringify(register)});\nregister();\nawait import(${JSON.stringify(entry)});\n`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(code)}`), typescript: true };
}
