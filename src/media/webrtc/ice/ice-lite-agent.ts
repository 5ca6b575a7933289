import type { RandomSource } from '../../../core/index.js';
import {
  STUN_ATTR, STUN_METHOD, errorCodeAttribute, hasStunAttribute, isStunPacket, isStunParseError,
  parseStunMessage, readIceRole, readPriority, readUsername, serializeStunMessage, textAttribute,
  unknownAttributesAttribute, unknownRequiredAttributes, verifyFingerprint, verifyMessageIntegrity,
  xorMappedAddressAttribute, type StunAttributeValue, type StunMessage, type TransportAddress,
} from '../stun/index.js';
import { generateIceCredentials, type IceCredentials } from './ice-credentials.js';

/**
 * new: no valid check yet; connected: a check passed, none nominated; completed: a pair is
 * nominated; disconnected: consent expired (RFC 7675) after nomination.
 */
export type IceLiteState = 'new' | 'connected' | 'completed' | 'disconnected';

/** What happened to one datagram handed to `handleBinding`. */
export interface BindingOutcome {
  /** ignored: not a Binding request for us (drop silently); rejected: answered with an error. */
  readonly kind: 'ignored' | 'rejected' | 'accepted';
  /** Send this back to the source, when present. */
  readonly response?: Buffer;
  /** STUN error code sent, when rejected. */
  readonly errorCode?: number;
  /** Why it was ignored or rejected, for logs and counters. */
  readonly reason?: string;
  /** The nominated remote address media goes to, when one is. */
  readonly selected?: TransportAddress;
  /** True when this request nominated (USE-CANDIDATE). */
  readonly nominated: boolean;
  /** True when this request changed the selected address. */
  readonly selectedChanged: boolean;
  readonly state: IceLiteState;
}

export interface IceLiteAgentOptions {
  readonly random: RandomSource;
  /** Our credentials; generated when absent. */
  readonly local?: IceCredentials;
  readonly remote?: IceCredentials;
  /** SOFTWARE in responses; none when absent. */
  readonly software?: string;
  /** Consent lifetime without a valid check (RFC 7675 5.1: 30 s). */
  readonly consentTimeoutMs?: number;
}

// The comprehension-required attributes (below 0x8000) that a Binding request may carry.
const KNOWN_REQUIRED = new Set<number>([
  STUN_ATTR.mappedAddress, STUN_ATTR.username, STUN_ATTR.messageIntegrity, STUN_ATTR.errorCode,
  STUN_ATTR.xorMappedAddress, STUN_ATTR.priority, STUN_ATTR.useCandidate, STUN_ATTR.realm, STUN_ATTR.nonce,
]);

const sameAddress = (a: TransportAddress | undefined, b: TransportAddress): boolean =>
  a !== undefined && a.port === b.port && a.address === b.address;

/**
 * An ICE-lite agent (RFC 8445 2.5): it sends no checks, answers the browser's Binding
 * requests that carry our ufrag and a valid MESSAGE-INTEGRITY, and takes the address a
 * USE-CANDIDATE request came from as the one media goes to. Only authenticated checks move
 * the selection, so a third party cannot redirect media. Pure: time comes in as `now`.
 */
export class IceLiteAgent {
  private localCreds: IceCredentials;
  private localKey: Buffer;
  private remoteCreds: IceCredentials | undefined;
  private readonly software: string | undefined;
  private readonly consentTimeoutMs: number;
  private selectedAddress: TransportAddress | undefined;
  private lastConsentAt = 0;
  private current: IceLiteState = 'new';

  constructor(options: IceLiteAgentOptions) {
    this.localCreds = options.local ?? generateIceCredentials(options.random);
    this.localKey = Buffer.from(this.localCreds.pwd, 'utf8');
    this.remoteCreds = options.remote;
    this.software = options.software;
    this.consentTimeoutMs = options.consentTimeoutMs ?? 30_000;
  }

  /** Our ufrag and password, for a=ice-ufrag and a=ice-pwd. */
  get localCredentials(): IceCredentials {
    return this.localCreds;
  }

  get state(): IceLiteState {
    return this.current;
  }

  /** The nominated remote address, if any. */
  get selected(): TransportAddress | undefined {
    return this.selectedAddress;
  }

  /** Whether `source` is the nominated address (to accept DTLS/SRTP only from it). */
  isSelected(source: TransportAddress): boolean {
    return sameAddress(this.selectedAddress, source);
  }

  /** The peer's ufrag and password from its SDP (a=ice-ufrag, a=ice-pwd). */
  setRemoteCredentials(remote: IceCredentials): void {
    this.remoteCreds = remote;
  }

  /** ICE restart (RFC 8445 2.4): new local credentials; media stays on the old pair until renominated. */
  restart(random: RandomSource, remote?: IceCredentials): IceCredentials {
    this.localCreds = generateIceCredentials(random);
    this.localKey = Buffer.from(this.localCreds.pwd, 'utf8');
    this.remoteCreds = remote;
    return this.localCreds;
  }

  /**
   * RFC 7675 consent: 'expired' once `consentTimeoutMs` passes after the last valid check
   * from the selected address (the state becomes disconnected); 'pending' before nomination.
   */
  consent(now: number): 'pending' | 'fresh' | 'expired' {
    if (this.selectedAddress === undefined) return 'pending';
    if (now - this.lastConsentAt >= this.consentTimeoutMs) {
      this.current = 'disconnected';
      return 'expired';
    }
    return 'fresh';
  }

  /** Handles one datagram that may be a STUN Binding request from `source`, received at `now` ms. */
  handleBinding(packet: Buffer, source: TransportAddress, now: number): BindingOutcome {
    if (!isStunPacket(packet)) return this.ignore('not STUN');
    const message = parseStunMessage(packet);
    if (isStunParseError(message)) return this.ignore(message.reason);
    if (message.class !== 'request') return this.ignore(`STUN ${message.class}`);
    // A wrong FINGERPRINT means this is not STUN after all (RFC 8445 7.3): drop it.
    if (message.fingerprintOffset >= 0 && !verifyFingerprint(message)) return this.ignore('bad FINGERPRINT');
    if (message.method !== STUN_METHOD.binding) return this.reject(message, 400, 'Bad Request', 'not a Binding request');

    const unknown = unknownRequiredAttributes(message, KNOWN_REQUIRED);
    if (unknown.length > 0) {
      return this.reject(message, 420, 'Unknown Attribute', 'unknown required attribute', [unknownAttributesAttribute(unknown)]);
    }
    const username = readUsername(message);
    if (username === undefined || message.integrityOffset < 0) {
      return this.reject(message, 400, 'Bad Request', 'USERNAME or MESSAGE-INTEGRITY missing');
    }
    // The request's USERNAME is "our ufrag:their ufrag" (RFC 8445 7.2.2).
    const colon = username.indexOf(':');
    const ours = colon < 0 ? username : username.slice(0, colon);
    const theirs = colon < 0 ? undefined : username.slice(colon + 1);
    if (ours !== this.localCreds.ufrag || (this.remoteCreds !== undefined && theirs !== this.remoteCreds.ufrag)) {
      return this.reject(message, 401, 'Unauthorized', 'USERNAME does not match');
    }
    if (!verifyMessageIntegrity(message, this.localKey)) {
      return this.reject(message, 401, 'Unauthorized', 'MESSAGE-INTEGRITY does not match');
    }
    if (readPriority(message) === undefined) return this.reject(message, 400, 'Bad Request', 'PRIORITY missing');
    // A lite agent is always controlled (RFC 8445 6.1.1); a peer that also claims controlled
    // is told to switch (RFC 8445 7.3.1.1).
    if (readIceRole(message)?.role === 'controlled') {
      return this.reject(message, 487, 'Role Conflict', 'peer is controlled too', [], true);
    }

    const nominated = hasStunAttribute(message, STUN_ATTR.useCandidate);
    let selectedChanged = false;
    if (nominated) {
      if (!sameAddress(this.selectedAddress, source)) {
        this.selectedAddress = { address: source.address, port: source.port };
        selectedChanged = true;
      }
      this.current = 'completed';
    } else if (this.current === 'new') {
      this.current = 'connected';
    }
    if (sameAddress(this.selectedAddress, source)) {
      this.lastConsentAt = now;
      if (this.current === 'disconnected') this.current = 'completed';
    }
    const response = this.respond(message, 'success', [xorMappedAddressAttribute(source, message.transactionId)], true);
    return {
      kind: 'accepted', response, nominated, selectedChanged, state: this.current,
      ...(this.selectedAddress !== undefined ? { selected: this.selectedAddress } : {}),
    };
  }

  private respond(
    request: StunMessage,
    cls: 'success' | 'error',
    attributes: readonly (StunAttributeValue | undefined)[],
    withIntegrity: boolean,
  ): Buffer {
    const attrs = attributes.filter((a): a is StunAttributeValue => a !== undefined);
    if (this.software !== undefined) attrs.push(textAttribute(STUN_ATTR.software, this.software));
    return serializeStunMessage(
      { method: request.method, class: cls, transactionId: request.transactionId, attributes: attrs },
      { ...(withIntegrity ? { integrityKey: this.localKey } : {}), fingerprint: true },
    );
  }

  private reject(
    request: StunMessage,
    code: number,
    phrase: string,
    reason: string,
    extra: readonly StunAttributeValue[] = [],
    authenticated = false,
  ): BindingOutcome {
    // 400/401 go out without MESSAGE-INTEGRITY: the request did not prove the credentials.
    const response = this.respond(request, 'error', [errorCodeAttribute(code, phrase), ...extra], authenticated);
    return {
      kind: 'rejected', response, errorCode: code, reason, nominated: false, selectedChanged: false,
      state: this.current, ...(this.selectedAddress !== undefined ? { selected: this.selectedAddress } : {}),
    };
  }

  private ignore(reason: string): BindingOutcome {
    return {
      kind: 'ignored', reason, nominated: false, selectedChanged: false, state: this.current,
      ...(this.selectedAddress !== undefined ? { selected: this.selectedAddress } : {}),
    };
  }
}
