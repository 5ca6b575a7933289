import { createResponse, getHeader, type SipRequest, type SipResponse } from '../sip/message/index.js';
import { parseDigestCredentials, type DigestAlgorithm, type DigestAuthenticator } from '../sip/auth/index.js';
import type { ServerTransaction } from '../sip/transaction/index.js';
import type { ExtensionDirectory } from './extension-directory.js';

/** What the PBX tells the edge about authentication failures (feeds automatic bans). */
export interface AuthFailureSink {
  authFailed(address: string, detail: { reason: string; username?: string; method?: string }): void;
}

export type AuthOutcome = { ok: true; extension: string } | { ok: false };

/**
 * Digest authentication of requests from extensions (RFC 3261 22): REGISTER is challenged
 * with 401/WWW-Authenticate like a registrar, other requests with 407/Proxy-Authenticate like
 * a proxy, which is what phones and SIPp expect. Failures are answered 403 and reported with
 * the source address.
 */
export class RequestAuthenticator {
  constructor(
    private readonly digest: DigestAuthenticator,
    private readonly directory: ExtensionDirectory,
    private readonly realm: () => string,
    private readonly edge: AuthFailureSink,
    /**
     * Algorithms challenged, most preferred first (read at each challenge: provisioning may
     * change it). MD5 alone by default, as Asterisk and Kamailio do: SIPp 3.6 answers only the
     * first challenge and baresip 1.0 (libre) refuses a response carrying any SHA-256
     * challenge; sites whose phones all speak RFC 8760 can list SHA-256.
     */
    private readonly algorithms: () => readonly DigestAlgorithm[] = () => ['MD5'],
  ) {}

  /** Verifies the request; when it fails, the response (challenge or 403) has been sent. */
  async authenticate(req: SipRequest, tx: ServerTransaction): Promise<AuthOutcome> {
    const registrar = req.method === 'REGISTER';
    const header = getHeader(req, registrar ? 'Authorization' : 'Proxy-Authorization');
    const realm = this.realm();
    const result = await this.digest.verify({
      method: req.method,
      credentials: header === undefined ? undefined : parseDigestCredentials(header),
      lookupHa1: (user, r, algorithm) => this.directory.ha1(user, r, algorithm),
      realm,
    });
    if (result.ok) return { ok: true, extension: result.username };
    const source = tx.inbound.source;
    if (result.reason === 'no-credentials' || result.reason === 'stale' || result.reason === 'bad-realm') {
      this.challenge(req, tx, result.reason === 'stale');
      return { ok: false };
    }
    // The edge logs the failure with the source address and counts it toward a ban.
    this.edge.authFailed(source.address, { reason: result.reason, method: req.method, ...(result.username ? { username: result.username } : {}) });
    tx.respond(createResponse(req, 403, 'Forbidden'));
    return { ok: false };
  }

  challenge(req: SipRequest, tx: ServerTransaction, stale = false): void {
    tx.respond(this.challengeResponse(req, stale));
  }

  /** The 401 (REGISTER) or 407 (other requests) with one challenge per configured algorithm. */
  challengeResponse(req: SipRequest, stale = false): SipResponse {
    const registrar = req.method === 'REGISTER';
    const name = registrar ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const headers = this.digest.challenge({ realm: this.realm(), stale, algorithms: this.algorithms() }).map((value) => ({ name, value }));
    return createResponse(req, registrar ? 401 : 407, registrar ? 'Unauthorized' : 'Proxy Authentication Required', { headers });
  }
}
