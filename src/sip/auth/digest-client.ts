/** Client side of digest authentication: answering a 401/407 challenge (RFC 7616 section 3.4). */
import { AtendeError } from '../../core/index.js';
import { formatDigestCredentials, type DigestChallenge } from './digest-header.js';
import { digestHa1, digestResponse, parseDigestAlgorithm, type DigestAlgorithm } from './digest-hash.js';

export interface DigestClientRequest {
  challenge: DigestChallenge;
  method: string;
  /** The Request-URI of the request being authorised. */
  uri: string;
  username: string;
  /** The password, or the HA1 of `challenge.realm` for the challenge's algorithm. */
  password?: string;
  ha1?: string;
  /** Client nonce (random); required when the challenge offers qop. */
  cnonce: string;
  /** Nonce count: 1 for the first request with this nonce, then 2, 3... */
  nc: number;
  /** Message body, used only when the challenge offers auth-int but not auth. */
  body?: Buffer | string;
}

/** Our side cannot answer a challenge (unsupported algorithm, no secret): a caller error, never wire input. */
export class DigestClientError extends AtendeError {
  constructor(message: string) {
    super('digest_client', message);
  }
}

/** Whether we can answer this challenge (algorithm and qop we support). */
export function isSupportedChallenge(challenge: DigestChallenge): boolean {
  if (!parseDigestAlgorithm(challenge.algorithm)) return false;
  return challenge.qop === undefined || challenge.qop.includes('auth') || challenge.qop.includes('auth-int');
}

/** The first challenge we can answer, in the server's order (RFC 8760 section 2.4: it lists preferred first). */
export function selectDigestChallenge(challenges: readonly DigestChallenge[]): DigestChallenge | undefined {
  return challenges.find(isSupportedChallenge);
}

/** The Authorization / Proxy-Authorization value answering `challenge`; check isSupportedChallenge first. */
export function digestClientAuthorization(request: DigestClientRequest): string {
  const { challenge } = request;
  const algorithm: DigestAlgorithm | undefined = parseDigestAlgorithm(challenge.algorithm);
  if (!algorithm) throw new DigestClientError(`unsupported digest algorithm "${challenge.algorithm ?? ''}"`);
  let ha1 = request.ha1;
  if (ha1 === undefined) {
    if (request.password === undefined) throw new DigestClientError('digest client needs a password or an HA1');
    ha1 = digestHa1(algorithm, request.username, challenge.realm, request.password);
  }
  const qop =
    challenge.qop === undefined
      ? undefined
      : challenge.qop.includes('auth')
        ? ('auth' as const)
        : challenge.qop.includes('auth-int')
          ? ('auth-int' as const)
          : undefined;
  if (challenge.qop !== undefined && qop === undefined) {
    throw new DigestClientError(`unsupported qop "${challenge.qop.join(',')}"`);
  }
  if (!Number.isInteger(request.nc) || request.nc < 1 || request.nc > 0xffffffff) {
    throw new DigestClientError(`nonce count ${request.nc} out of range`);
  }
  const nc = request.nc.toString(16).padStart(8, '0');
  const response = digestResponse({
    algorithm,
    ha1,
    nonce: challenge.nonce,
    method: request.method,
    uri: request.uri,
    ...(qop === undefined ? {} : { qop, nc, cnonce: request.cnonce, body: request.body ?? '' }),
  });
  return formatDigestCredentials({
    username: request.username,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: request.uri,
    response,
    // Echo the algorithm only when the server named it: RFC 2617 peers may not expect it.
    ...(challenge.algorithm === undefined ? {} : { algorithm: challenge.algorithm }),
    ...(challenge.opaque === undefined ? {} : { opaque: challenge.opaque }),
    ...(qop === undefined ? {} : { qop, nc, cnonce: request.cnonce }),
  });
}
