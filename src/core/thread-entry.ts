/**
 * How to start a worker thread (media workers, the registrar) from wherever its module runs:
 * - compiled (dist/, production): the `.js` module is started directly;
 * - TypeScript sources (vitest, `tsx bench/...`): Node 20 cannot run a `.ts` worker, and
 *   `execArgv: ['--import', 'tsx']` does not reach worker threads there, so the worker starts
 *   from a tiny `data:` module that registers tsx's ESM hooks (tsx/esm/api `register()`) and then
 *   imports the `.ts` module. This needs the `tsx` dev dependency, checked here with a clear error.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { AtendeError } from './errors.js';

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
      'worker threads started from TypeScript sources need the tsx package (npm install); production runs dist/',
      { cause: err },
    );
  }
}

/**
 * The entry of the worker module `name` (no extension) beside `moduleUrl`, the import.meta.url
 * of a module in the same folder: its `.js` when that module runs compiled, else its `.ts`.
 */
export function threadEntry(moduleUrl: string, name: string): WorkerEntry {
  const path = new URL(moduleUrl).pathname;
  if (!path.endsWith('.ts')) return { url: new URL(`./${name}.js`, moduleUrl), typescript: false };
  const entry = new URL(`./${name}.ts`, moduleUrl).href;
  const register = tsxRegisterUrl(moduleUrl);
  const code = `const { register } = await import(${JSON.stringify(register)});\nregister();\nawait import(${JSON.stringify(entry)});\n`;
  return { url: new URL(`data:text/javascript,${encodeURIComponent(code)}`), typescript: true };
}
