import type { Logger } from '../../core/logger.js';
import {
  createResponse,
  getHeader,
  getHeaderValues,
  isParseError,
  parseNameAddr,
  parseUri,
  toTag,
  type SipRequest,
  type SipUri,
} from '../../sip/message/index.js';
import type { LocalIdentity } from '../../sip/identity/index.js';
import type { LocationService } from '../../sip/registrar/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { InboundMessage, MessageSender } from '../../sip/transport/types.js';
import { SUPPORTED_OPTION_TAGS } from '../option-tags.js';
import type { RequestAuthenticator } from '../request-authenticator.js';

export interface RegisterHandlerDeps {
  /** For the stateless challenge of REGISTERs without credentials. */
  sender: MessageSender;
  identity: () => LocalIdentity;
  directory: { has(number: string): boolean };
  auth: RequestAuthenticator;
  registrar: LocationService;
  logger: Logger;
}

function sipUri(value: string): SipUri | undefined {
  const u = parseUri(value);
  return !isParseError(u) && 'host' in u ? u : undefined;
}

/**
 * What the PBX does with a REGISTER (RFC 3261 10.3): our domain only, the To user as the
 * address-of-record, digest authentication, an extension changing only its own bindings, then
 * the location service. Runs on the registrar's own thread (app/registrar-thread).
 */
export class RegisterHandler {
  constructor(private readonly deps: RegisterHandlerDeps) {}

  /**
   * Answers a REGISTER that carries no credentials with its 401 statelessly, before a
   * transaction exists (RFC 3261 8.2.7; Kamailio's auth_challenge does the same): half of
   * all registration traffic then costs no transaction state or timers, and a retransmission
   * simply gets a fresh challenge. Returns false when the request needs the stateful path.
   */
  challengeStatelessly(inbound: InboundMessage): boolean {
    const req = inbound.message;
    if (req.type !== 'request' || req.method !== 'REGISTER') return false;
    if (getHeader(req, 'Authorization') !== undefined || toTag(req) !== undefined) return false;
    if (getHeaderValues(req, 'Require').some((t) => !SUPPORTED_OPTION_TAGS.has(t.toLowerCase()))) return false;
    const ruri = sipUri(req.uri);
    if (!ruri || !this.deps.identity().isUs(ruri.host, ruri.port)) return false;
    const to = parseNameAddr(getHeader(req, 'To') ?? '');
    if (isParseError(to) || !('host' in to.uri) || to.uri.user === undefined) return false;
    this.deps.sender
      .sendResponse(this.deps.auth.challengeResponse(req), inbound)
      .catch((err: unknown) => this.deps.logger.debug({ err }, 'challenge not sent'));
    return true;
  }

  /** A REGISTER with its transaction (ACKs have none and are dropped). Never throws. */
  onRequest(req: SipRequest, tx: ServerTransaction | undefined, inbound: InboundMessage): void {
    if (!tx) return; // an ACK: never part of a REGISTER exchange
    this.handle(req, tx, inbound).catch((err: unknown) => {
      this.deps.logger.error({ err, method: req.method }, 'REGISTER handling failed');
      if (!tx.responded) tx.respond(createResponse(req, 500, 'Server Internal Error'));
    });
  }

  private async handle(req: SipRequest, tx: ServerTransaction, inbound: InboundMessage): Promise<void> {
    if (toTag(req) !== undefined) {
      // 12.2.2: a request for a dialog we do not have.
      tx.respond(createResponse(req, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    const unsupported = getHeaderValues(req, 'Require').filter((t) => !SUPPORTED_OPTION_TAGS.has(t.toLowerCase()));
    if (unsupported.length > 0) {
      tx.respond(createResponse(req, 420, 'Bad Extension', { headers: [{ name: 'Unsupported', value: unsupported.join(', ') }] }));
      return;
    }
    const identity = this.deps.identity();
    // RFC 3261 10.3 step 1: the registrar serves only our domain (or our addresses).
    const ruri = sipUri(req.uri);
    if (!ruri || !identity.isUs(ruri.host, ruri.port)) {
      tx.respond(createResponse(req, 404, 'Not Found', { headers: [{ name: 'Warning', value: `399 ${identity.domain} "not our domain"` }] }));
      return;
    }
    const to = parseNameAddr(getHeader(req, 'To') ?? '');
    const toUri = isParseError(to) ? undefined : to.uri;
    const aorUri = toUri && 'host' in toUri ? toUri : undefined;
    if (!aorUri || aorUri.user === undefined) {
      tx.respond(createResponse(req, 400, 'Bad Request', { headers: [{ name: 'Warning', value: `399 ${identity.domain} "To has no user"` }] }));
      return;
    }
    const auth = await this.deps.auth.authenticate(req, tx);
    if (!auth.ok) return;
    // 10.3 step 3: the authenticated user may only change its own bindings.
    if (auth.extension !== aorUri.user || !this.deps.directory.has(aorUri.user)) {
      tx.respond(createResponse(req, 403, 'Forbidden'));
      return;
    }
    const outcome = await this.deps.registrar.processRegister(req, inbound, aorUri.user);
    tx.respond(createResponse(req, outcome.status, outcome.reason, { headers: outcome.headers }));
  }
}
