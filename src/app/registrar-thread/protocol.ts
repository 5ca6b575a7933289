/**
 * What the main thread and the registrar's thread say to each other. The main thread owns the
 * sockets: it hands each REGISTER over unparsed and sends the bytes it gets back. The registrar
 * thread owns parsing, REGISTER transactions, the digest check and the location service, and
 * reports every binding change so the main thread can route calls and persist bindings.
 */
import type { LogLevel } from '../../core/logger.js';
import type { DirectorySnapshot } from '../../pbx/index.js';
import type { Binding } from '../../sip/registrar/index.js';
import type { TimerConfig } from '../../sip/transaction/index.js';
import type { PreparedResponse, RawInbound, SendTarget, TransportAddress } from '../../sip/transport/index.js';
import type { DigestAlgorithm } from '../../store/index.js';

/** Who "us" is, as plain data (LocalIdentity's constructor arguments). */
export interface IdentitySettings {
  domain: string;
  bindAddress: string;
  ports: number[];
  extraHosts: string[];
}

/** What can change while running (provisioning, listeners added). */
export interface RegistrarSettings {
  identity: IdentitySettings;
  /** Challenged algorithms, most preferred first. */
  algorithms: DigestAlgorithm[];
  /** Scanner User-Agent patterns (the edge's list). */
  scannerUserAgents: string[];
}

/** What the thread starts with (workerData). */
export interface RegistrarStart {
  settings: RegistrarSettings;
  directory: DirectorySnapshot;
  /** The digest secret shared with the main thread: nonces and opaques minted by either verify on both. */
  secret: Buffer;
  /** Bindings read from the database at start. */
  bindings: Binding[];
  timers?: Partial<TimerConfig>;
  maxMessageBytes: number;
  logLevel: LogLevel;
}

/** A message handed over, its bytes an exact-size copy (posting a view would copy its whole pool). */
export type HandedInbound = Omit<RawInbound, 'data'> & { data: Uint8Array };

/**
 * A message for the main thread to send, as the transport prepared it (its socket, `bulk`) but
 * with exact-size bytes, so posting copies no pooled buffer.
 */
export type OutboundBytes = Omit<PreparedResponse, 'bytes'> & { bytes: Uint8Array };

/**
 * Messages between the threads, both ways, wait up to this long for company. Sent once per loop
 * turn, REGISTERs arriving one per turn cost both threads a wake-up each way; held 1 ms, the
 * server's CPU per registration at 4,000/s fell from ~470 to ~330 µs (bench/register-cpu.ts, SIP run 12).
 */
export const THREAD_MESSAGE_HOLD_MS = 1;

export type RegistrarCommand =
  | { kind: 'inbound'; raw: HandedInbound }
  | { kind: 'flow-closed'; connectionId: string }
  | { kind: 'directory'; directory: DirectorySnapshot }
  | { kind: 'settings'; settings: RegistrarSettings }
  /** Stop taking REGISTERs (later ones are dropped: the process is going down) and say 'closed'. */
  | { kind: 'close' };

export type RegistrarEvent =
  /** Every binding is known to the main thread (the state loaded at start has been sent). */
  | { kind: 'ready' }
  /** `local` and `bulk` as prepareResponse decided them there (answers to REGISTER are bulk). */
  | ({ kind: 'send' } & OutboundBytes)
  /**
   * The AOR's bindings are now these (sent before every response that reports them); the main
   * thread saves those that changed to the database, which it owns.
   */
  | { kind: 'bindings'; aor: string; bindings: Binding[] }
  /** A binding removed: the main thread deletes its row. */
  | { kind: 'store-remove'; aor: string; contact: string }
  | { kind: 'auth-failed'; address: string; detail: { reason: string; username?: string; method?: string } }
  | { kind: 'scanner'; address: string; userAgent: string }
  /** A REGISTER the thread could not parse: answered 400 when it could be, otherwise dropped. */
  | { kind: 'rejected'; answered: boolean }
  /** REGISTERs taken off the thread's queue since the last report (the main thread's back-pressure). */
  | { kind: 'taken'; count: number }
  /** One line of the thread's JSON log. */
  | { kind: 'log'; line: string }
  | { kind: 'closed' };
