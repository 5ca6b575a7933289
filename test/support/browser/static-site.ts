// Serves the test phone page and SIP.js (from node_modules) on 127.0.0.1: WebRTC needs a
// secure context, and http://127.0.0.1 is one.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const ROUTES: [prefix: string, dir: string][] = [
  ['/sip.js/', join(ROOT, 'node_modules/sip.js/')],
  ['/', join(ROOT, 'test/support/browser/')],
];
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wav': 'audio/wav' };

export interface StaticSite {
  readonly url: string;
  close(): Promise<void>;
}

export async function startStaticSite(): Promise<StaticSite> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const route = ROUTES.find(([prefix]) => path.startsWith(prefix));
      const file = route ? normalize(join(route[1], path.slice(route[0].length))) : undefined;
      if (route === undefined || file === undefined || !file.startsWith(route[1])) {
        res.writeHead(404).end();
        return;
      }
      const info = await stat(file).catch(() => undefined);
      if (info === undefined || !info.isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
