import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { RandomSource } from '../../core/random.js';
import type { TransactionLayer } from '../../sip/transaction/index.js';
import type { MessageSender, SendTarget, TransportProtocol } from '../../sip/transport/types.js';
import type { Dialog, SessionTimerConfig } from '../../sip/dialog/index.js';

/** What a leg's signalling needs from the SIP stack below it. */
export interface CallSignallingDeps {
  transactions: TransactionLayer;
  /** ACKs for 2xx travel outside transactions (RFC 3261 13.2.2.4). */
  sender: MessageSender;
  /** Our Via sent-by on a transport, for a message to `toward` (its address family picks our host). */
  viaSentBy(protocol: TransportProtocol, toward?: string): { host: string; port: number };
  /**
   * Our Contact URI on a transport, e.g. `sip:atende@192.0.2.1:5060;transport=tcp`, for a
   * message to `toward`: an IPv6 device is given an IPv6 Contact, an IPv4 one an IPv4 Contact.
   */
  localContact(protocol: TransportProtocol, toward?: string): string;
  clock: Clock;
  random: RandomSource;
  logger: Logger;
  /** T1/T2 for retransmitting our 2xx until the ACK (RFC 3261 13.3.1.4). */
  timers?: { t1: number; t2: number };
  userAgent?: string;
  /** Session timers on both legs (RFC 4028); the defaults: 1800 s asked, Min-SE 90 s. */
  sessionTimer?: SessionTimerConfig;
}

/** One destination device of the callee: where to send and the Request-URI to use. */
export interface ForkTarget {
  requestUri: string;
  target: SendTarget;
  /** Route header values for this device (its registered Path). */
  route?: string[];
}

/** The routing decision for a call, made by the layer above (the PBX). */
export interface CallPlan {
  /** Identity presented to the callee, e.g. `{ displayName: 'Ana Souza', uri: 'sip:1001@atende.local' }`. */
  caller: { displayName?: string; uri: string };
  /** The called address written in To, e.g. `sip:1002@atende.local`. */
  callee: { uri: string };
  forks: ForkTarget[];
}

/** One SIP side of a leg: its dialog (which moves on with every request) and where to send into it. */
export interface DialogSide {
  dialog: Dialog | undefined;
  readonly target: SendTarget;
}
