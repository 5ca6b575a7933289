export { startHttpServer, sendApiError, type HttpApiDeps, type HttpServerOptions } from './http-server.js';
