import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { Logger } from '../core/logger.js';

/** What the HTTP API needs to know about the running system. */
export interface HttpApiDeps {
  logger: Logger;
  /** True once SIP transports and storage are ready and the server is not shutting down. */
  isReady(): boolean;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  tls?: { key: string; cert: string };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Sends an API error: a 4xx/5xx JSON body with `error` (a stable code) and `message` (for people). */
export function sendApiError(res: ServerResponse, status: number, error: string, message: string): void {
  sendJson(res, status, { error, message });
}

function route(deps: HttpApiDeps, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/api/health') {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendApiError(res, 405, 'method_not_allowed', `${req.method ?? ''} is not allowed on /api/health`);
      return;
    }
    if (deps.isReady()) sendJson(res, 200, { status: 'ok' });
    else sendJson(res, 503, { status: 'starting' });
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    sendApiError(res, 404, 'not_found', `no API resource at ${url.pathname}`);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('Atende: página não encontrada / page not found\n');
}

/** The HTTP(S) server: the REST API today; SIP over WebSocket attaches to its upgrade event. */
export async function startHttpServer(deps: HttpApiDeps, opts: HttpServerOptions): Promise<Server> {
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      route(deps, req, res);
    } catch (err) {
      deps.logger.error({ err }, 'http handler failed');
      if (!res.headersSent) sendApiError(res, 500, 'internal', 'internal error');
      else res.destroy();
    }
  };
  const server: Server = opts.tls ? createHttps({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createHttp(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
