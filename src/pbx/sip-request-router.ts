import type { Logger } from '../core/logger.js';
import {
  createResponse,
  getHeader,
  getHeaderValues,
  isParseError,
  parseUri,
  toTag,
  type SipRequest,
  type SipUri,
} from '../sip/message/index.js';
import type { LocalIdentity } from '../sip/identity/index.js';
import type { BindingLookup } from '../sip/registrar/index.js';
import { contactTarget } from '../sip/registrar/index.js';
import type { ServerTransaction } from '../sip/transaction/index.js';
import type { InboundMessage } from '../sip/transport/types.js';
import { ALLOWED_METHODS, isHangupError, type ForkTarget, type InboundLeg, type LegDeps, type LegRegistry } from '../call/index.js';
import { dialExtension } from './dial/dial-extension.js';
import { recordingPath } from './dial/recording-path.js';
import { isServiceCode, runServiceCode } from './features/service-codes.js';
import type { PromptLibrary } from './features/prompt-library.js';
import type { ExtensionDirectory } from './extension-directory.js';
import { SUPPORTED_HEADER_VALUE, SUPPORTED_OPTION_TAGS } from './option-tags.js';
import type { RequestAuthenticator } from './request-authenticator.js';

const KNOWN_METHODS = new Set(['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'UPDATE', 'INFO', 'MESSAGE', 'NOTIFY', 'SUBSCRIBE', 'PRACK', 'REFER', 'PUBLISH']);

export interface SipRequestRouterDeps {
  identity: LocalIdentity;
  directory: ExtensionDirectory;
  auth: RequestAuthenticator;
  /** Where extensions are registered. */
  registrar: BindingLookup;
  /** REGISTERs, to the RegisterHandler (unless the transport sent them to the registrar's thread). */
  register(req: SipRequest, tx: ServerTransaction, inbound: InboundMessage): void;
  logger: Logger;
  userAgent: string;
  /** Every call is made of Legs: the caller's, and Atende's own apps or the callee's. */
  calls: {
    legs: LegRegistry;
    legDeps: LegDeps;
    startLeg(tx: ServerTransaction): InboundLeg;
    prompts: PromptLibrary;
    /** How long an extension's devices ring before the caller hears 480 (default 120 s). */
    ringTimeoutMs?: number;
    /** Where recordings of calls between extensions go (extensions with `recording: always`). */
    recordingsDir: string;
  };
}

function sipUri(value: string): SipUri | undefined {
  const u = parseUri(value);
  return !isParseError(u) && 'host' in u ? u : undefined;
}

/**
 * The PBX's SIP front: decides what each new request means. REGISTER goes to the registrar
 * (pbx/registration); INVITE from an extension to another extension becomes a
 * B2BUA call forked to every registered device; OPTIONS is answered (phones and trunks
 * ping with it); requests inside a call go to the B2BUA.
 */
export class SipRequestRouter {
  private draining = false;

  constructor(private readonly deps: SipRequestRouterDeps) {}

  /** Stop taking new calls (graceful shutdown): new INVITEs get 503. */
  drain(): void {
    this.draining = true;
  }

  /** The transaction layer's onRequest. Never throws. */
  onRequest(req: SipRequest, tx: ServerTransaction | undefined, inbound: InboundMessage, cancelled?: ServerTransaction): void {
    this.route(req, tx, inbound, cancelled).catch((err: unknown) => {
      this.deps.logger.error({ err, method: req.method }, 'request handling failed');
      if (tx && !tx.responded) tx.respond(createResponse(req, 500, 'Server Internal Error'));
    });
  }

  private async route(req: SipRequest, tx: ServerTransaction | undefined, inbound: InboundMessage, cancelled?: ServerTransaction): Promise<void> {
    if (this.deps.calls.legs.handleRequest(req, tx, cancelled)) return;
    if (!tx) return; // an ACK for nothing we know: dropped (RFC 3261 17.2.3)
    const method = req.method;
    if (method === 'REGISTER') {
      // The registrar applies RFC 3261 10.3 itself (the same rules on its own thread).
      this.deps.register(req, tx, inbound);
      return;
    }
    if (method === 'CANCEL') {
      tx.respond(createResponse(req, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    if (toTag(req) !== undefined) {
      // 12.2.2: a request for a dialog we do not have.
      tx.respond(createResponse(req, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    const maxForwards = Number(getHeader(req, 'Max-Forwards') ?? '70');
    if (Number.isFinite(maxForwards) && maxForwards <= 0 && method !== 'OPTIONS') {
      tx.respond(createResponse(req, 483, 'Too Many Hops'));
      return;
    }
    const unsupported = getHeaderValues(req, 'Require').filter((t) => !SUPPORTED_OPTION_TAGS.has(t.toLowerCase()));
    if (unsupported.length > 0 && method !== 'CANCEL' && method !== 'ACK') {
      tx.respond(createResponse(req, 420, 'Bad Extension', { headers: [{ name: 'Unsupported', value: unsupported.join(', ') }] }));
      return;
    }
    switch (method) {
      case 'OPTIONS':
        tx.respond(
          createResponse(req, 200, 'OK', {
            headers: [
              { name: 'Allow', value: `${ALLOWED_METHODS}, REGISTER` },
              { name: 'Accept', value: 'application/sdp' },
              { name: 'Supported', value: SUPPORTED_HEADER_VALUE },
              { name: 'User-Agent', value: this.deps.userAgent },
            ],
          }),
        );
        return;
      case 'INVITE':
        await this.invite(req, tx);
        return;
      default:
        if (KNOWN_METHODS.has(method)) {
          tx.respond(createResponse(req, 405, 'Method Not Allowed', { headers: [{ name: 'Allow', value: `${ALLOWED_METHODS}, REGISTER` }] }));
        } else {
          tx.respond(createResponse(req, 501, 'Not Implemented', { headers: [{ name: 'Allow', value: `${ALLOWED_METHODS}, REGISTER` }] }));
        }
    }
  }

  private async invite(req: SipRequest, tx: ServerTransaction): Promise<void> {
    if (this.draining) {
      tx.respond(createResponse(req, 503, 'Service Unavailable', { headers: [{ name: 'Retry-After', value: '30' }] }));
      return;
    }
    const auth = await this.deps.auth.authenticate(req, tx);
    if (!auth.ok) return;
    const ruri = sipUri(req.uri);
    if (!ruri || ruri.user === undefined || !this.deps.identity.isUs(ruri.host, ruri.port)) {
      tx.respond(createResponse(req, 404, 'Not Found'));
      return;
    }
    const dialed = ruri.user;
    const apps = this.deps.calls;
    if (isServiceCode(dialed)) {
      const leg = apps.startLeg(tx);
      if (leg.refuseIfUnacceptable()) return;
      this.deps.logger.info({ leg: leg.id, code: dialed, caller: auth.extension }, 'service code');
      runServiceCode(dialed, leg, apps.prompts).catch((err: unknown) => {
        this.deps.logger.error({ err, leg: leg.id }, 'service code failed');
        void leg.hangup('failed');
      });
      return;
    }
    if (!this.deps.directory.has(dialed)) {
      tx.respond(createResponse(req, 404, 'Not Found'));
      return;
    }
    const bindings = this.deps.registrar.lookup(dialed);
    if (bindings.length === 0) {
      tx.respond(createResponse(req, 480, 'Temporarily Unavailable'));
      return;
    }
    const domain = this.deps.identity.domain;
    const name = this.deps.directory.displayName(auth.extension);
    // Media anchored: the caller's leg and the callee's, bridged in the media workers.
    const leg = apps.startLeg(tx);
    if (leg.refuseIfUnacceptable()) return;
    dialExtension(apps.legDeps, {
      caller: leg,
      from: { uri: `sip:${auth.extension}@${domain}`, number: auth.extension, ...(name ? { displayName: name } : {}) },
      toUri: `sip:${dialed}@${domain}`,
      forks: this.forksOf(dialed),
      ringTimeoutMs: apps.ringTimeoutMs ?? 120_000,
      // Blind and attended transfer (REFER) to another of our extensions.
      transferTarget: ({ user, host }) => {
        if (user === undefined || host === undefined || !this.deps.identity.isUs(host) || !this.deps.directory.has(user)) return undefined;
        return { toUri: `sip:${user}@${domain}`, forks: this.forksOf(user) };
      },
      ...(this.deps.directory.recording(auth.extension) === 'always' || this.deps.directory.recording(dialed) === 'always'
        ? { recordPath: this.recordPathOf(auth.extension, dialed, leg.id) }
        : {}),
    }).catch((err: unknown) => {
      if (isHangupError(err)) return;
      this.deps.logger.error({ err, leg: leg.id }, 'call failed');
      void leg.hangup('failed');
    });
  }

  /** The registered devices of an extension, as forks of an outgoing call. */
  private forksOf(extension: string): ForkTarget[] {
    return this.deps.registrar.lookup(extension).map((b) => {
      const t = contactTarget(b);
      return { requestUri: t.requestUri, target: t.target, route: t.route };
    });
  }

  private recordPathOf(caller: string, callee: string, callId: string): (stretch: number) => string {
    const started = this.deps.calls.legDeps.clock.now();
    const base = recordingPath(this.deps.calls.recordingsDir, started, caller, callee, callId);
    // Each stretch between transfers is a file of its own: name.wav, name-1.wav, name-2.wav...
    return (stretch) => (stretch === 0 ? base : base.replace(/\.wav$/, `-${stretch}.wav`));
  }
}
