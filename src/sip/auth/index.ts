export {
  digestAlgorithms,
  digestHa1,
  digestHash,
  digestResponse,
  parseDigestAlgorithm,
  type DigestAlgorithm,
  type DigestResponseInput,
} from './digest-hash.js';
export {
  formatDigestChallenge,
  formatDigestCredentials,
  parseAuthParams,
  parseDigestChallenge,
  parseDigestCredentials,
  type DigestChallenge,
  type DigestCredentials,
} from './digest-header.js';
export {
  DigestAuthenticator,
  type DigestAuthenticatorOptions,
  type DigestChallengeRequest,
  type DigestFailureReason,
  type DigestVerifyRequest,
  type DigestVerifyResult,
  type Ha1Lookup,
} from './digest-authenticator.js';
export {
  DigestClientError,
  digestClientAuthorization,
  isSupportedChallenge,
  selectDigestChallenge,
  type DigestClientRequest,
} from './digest-client.js';
