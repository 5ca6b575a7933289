/**
 * The media seam (CALL-CONTROL.md): typed commands from the main thread to a media worker,
 * exactly one reply per command (matched by `id`), and events flowing back on their own.
 * Everything here is structured-clone friendly (plain objects, strings, numbers).
 *
 * `id` is the command's request id; endpoints are named by `endpoint` (ids the pool
 * assigns), so one field never means two things.
 */
import type {
  DtmfSource, EndpointOptions, EndpointStats, IceParameters, RemoteDescription, SdesKeyDescription,
} from '../endpoint/index.js';
import type { IceCandidate } from '../webrtc/ice/index.js';

export type {
  DtmfSource, EndpointOptions, EndpointStats, IceParameters, InbandDtmfMode, MediaDirection, RemoteDescription,
  RemoteDtlsParameters, SdesKeyDescription, SrtpDropCounters,
} from '../endpoint/index.js';
export type { IceCandidate } from '../webrtc/ice/index.js';
import type { PlayDoneReason, PlaySourceSpec, RecordResult } from '../graph/index.js';

export type { PlayDoneReason, PlaySourceSpec, RecordResult, ToneName } from '../graph/index.js';

/** An endpoint's id, unique across the pool (assigned by the main thread). */
export type EndpointId = string;

/**
 * Endpoint transports: 'rtp' plain UDP; 'srtp' SDES-SRTP (RFC 4568) over UDP, for SIP phones
 * over TLS; 'webrtc' ICE-lite + DTLS-SRTP + rtcp-mux on one port, for browsers.
 */
export type EndpointKind = 'rtp' | 'srtp' | 'webrtc';

export interface CreateEndpointCommand {
  op: 'createEndpoint';
  id: number;
  endpoint: EndpointId;
  kind: EndpointKind;
  localAddress: string;
  /** Even RTP port from the main thread's allocator; RTCP binds port + 1 unless rtcpMux. */
  port: number;
  /** Bind no RTCP socket: RTCP will share the RTP port (RFC 5761). Always so for 'webrtc'. */
  rtcpMux?: boolean;
  /** 'srtp': the suite of our key (default AES_CM_128_HMAC_SHA1_80; the one the offer picked when answering). */
  srtpSuite?: string;
  options?: EndpointOptions;
  /**
   * 'rtp': take the sockets a `reserve` command bound on this port, synchronously: the main
   * thread answered the caller with this binding before the worker saw the command.
   */
  reserved?: true;
}

/** Binds RTP/RTCP socket pairs ahead of need, for later `createEndpoint`s with `reserved`. */
export interface ReserveCommand {
  op: 'reserve';
  id: number;
  localAddress: string;
  /** Even ports from the main thread's allocator; RTCP on port + 1 each. */
  ports: number[];
}

export interface SetRemoteCommand {
  op: 'setRemote';
  id: number;
  endpoint: EndpointId;
  remote: RemoteDescription;
}

/** Relays media both ways between two endpoints of the same worker. */
export interface ConnectCommand {
  op: 'connect';
  id: number;
  a: EndpointId;
  b: EndpointId;
}

/** Removes the relay the endpoint is part of (both directions). */
export interface DisconnectCommand {
  op: 'disconnect';
  id: number;
  endpoint: EndpointId;
}

/**
 * Sends one digit: an RFC 4733 event when the far end negotiated telephone-event, else the
 * Q.23 tone pair in the endpoint's codec (in-band). The reply comes when it was sent.
 */
export interface SendDtmfCommand {
  op: 'sendDtmf';
  id: number;
  endpoint: EndpointId;
  digit: string;
  /** Key press length in ms (default 100). */
  durationMs?: number;
}

export interface DestroyCommand {
  op: 'destroy';
  id: number;
  endpoint: EndpointId;
}

export interface StatsCommand {
  op: 'stats';
  id: number;
  endpoint: EndpointId;
}

/**
 * Plays to the endpoint (its outgoing audio comes from the player meanwhile, replacing relay,
 * mix output and echo). Replaces the endpoint's current play, which ends 'stopped'. Before
 * setRemote the play waits for the codec to be known.
 */
export interface PlayCommand {
  op: 'play';
  id: number;
  endpoint: EndpointId;
  playId: string;
  sources: PlaySourceSpec[];
  loop?: boolean;
  bargeIn?: boolean;
}

/** Stops `playId`, or whatever plays on the endpoint. */
export interface StopPlayCommand {
  op: 'stopPlay';
  id: number;
  endpoint: EndpointId;
  playId?: string;
}

/** Sends the endpoint's received audio back to it (echo test) until off, a play or destroy. */
export interface EchoCommand {
  op: 'echo';
  id: number;
  endpoint: EndpointId;
  on: boolean;
}

/**
 * Records what the endpoints receive: one endpoint mono, two endpoints one per channel
 * ('stereo', default) or summed ('mixed'). The file's folder is created if missing.
 */
export interface RecordCommand {
  op: 'record';
  id: number;
  recId: string;
  path: string;
  endpoints: [EndpointId] | [EndpointId, EndpointId];
  layout?: 'stereo' | 'mixed';
  sampleRate?: 8000 | 16000;
}

export interface StopRecordCommand {
  op: 'stopRecord';
  id: number;
  recId: string;
}

/**
 * Pauses a recording the way MixMonitor's mute does: silence is written meanwhile, so the file
 * still lasts as long as the call. Pausing a paused recording changes nothing.
 */
export interface PauseRecordCommand {
  op: 'pauseRecord';
  id: number;
  recId: string;
}

/** Records the parties again after pauseRecord; nothing when the recording is not paused. */
export interface ResumeRecordCommand {
  op: 'resumeRecord';
  id: number;
  recId: string;
}

/**
 * Creates or updates a mix. A member that hears someone ('all-but-self' or a non-empty list)
 * gets the mix output instead of its relay; one with `hears: []` only talks (its relay stays).
 * An endpoint is in one mix at a time.
 */
export interface MixCommand {
  op: 'mix';
  id: number;
  mixId: string;
  members: { endpoint: EndpointId; hears: 'all-but-self' | EndpointId[] }[];
}

export interface UnmixCommand {
  op: 'unmix';
  id: number;
  mixId: string;
}

export type MediaCommand =
  | PlayCommand
  | StopPlayCommand
  | EchoCommand
  | RecordCommand
  | StopRecordCommand
  | PauseRecordCommand
  | ResumeRecordCommand
  | MixCommand
  | UnmixCommand
  | CreateEndpointCommand
  | ReserveCommand
  | SetRemoteCommand
  | ConnectCommand
  | DisconnectCommand
  | SendDtmfCommand
  | DestroyCommand
  | StatsCommand;

export type MediaCommandOp = MediaCommand['op'];

/** Where a created endpoint listens. */
export interface EndpointBinding {
  endpoint: EndpointId;
  localAddress: string;
  port: number;
  /** undefined with rtcp-mux. */
  rtcpPort: number | undefined;
  /** 'srtp': our key, for `a=crypto:<tag> <suite> <keyParams>` (the tag is the SDP layer's). */
  crypto?: SdesKeyDescription;
  /** 'webrtc': a=ice-ufrag and a=ice-pwd; `lite`: the SDP carries a=ice-lite (session level). */
  ice?: IceParameters & { lite: true };
  /** 'webrtc': our host candidate in sdp-transform's fields (media.candidates, a=candidate). */
  candidate?: IceCandidate;
  /**
   * 'webrtc': our a=fingerprint, and the a=setup we take in an answer ('passive': the browser
   * starts DTLS); an offer says 'actpass' (RFC 8842 5.2).
   */
  dtls?: WebRtcLocalDtls;
}

/** Our DTLS identity and answer role for the SDP. */
export interface WebRtcLocalDtls {
  fingerprint: { algorithm: 'sha-256'; value: string };
  setup: 'passive';
}

/** What each command's successful reply carries. */
export interface MediaCommandResults {
  createEndpoint: EndpointBinding;
  /** The ports whose pair is now bound (the others failed, EADDRINUSE say). */
  reserve: { bound: number[] };
  setRemote: null;
  connect: { transcoding: boolean };
  disconnect: null;
  sendDtmf: null;
  /** The endpoint's last counters (what a call record keeps), read as it goes. */
  destroy: EndpointStats;
  stats: EndpointStats;
  play: null;
  stopPlay: { stopped: boolean };
  echo: null;
  record: null;
  stopRecord: RecordResult;
  pauseRecord: null;
  resumeRecord: null;
  mix: null;
  unmix: null;
}

/** Error codes a reply can carry. */
export type MediaErrorCode =
  | 'EADDRINUSE'
  | 'bind_failed'
  | 'unknown_endpoint'
  | 'endpoint_exists'
  | 'not_same_worker'
  | 'already_connected'
  | 'no_remote'
  | 'invalid_argument'
  | 'unknown_recording'
  | 'recording_exists'
  | 'record_failed'
  | 'already_mixed'
  | 'worker_crashed'
  | 'pool_closed'
  | 'internal';

export interface MediaErrorInfo {
  code: MediaErrorCode | string;
  message: string;
}

export type MediaReply<Op extends MediaCommandOp = MediaCommandOp> =
  | { id: number; ok: true; result: MediaCommandResults[Op] }
  | { id: number; ok: false; error: MediaErrorInfo };

export type MediaEvent =
  /** A received key press, once whichever way it came (RFC 4733 preferred when it came both ways). */
  | { ev: 'dtmf'; endpoint: EndpointId; digit: string; source: DtmfSource }
  /** No RTP for `silentMs` while the far end should be sending (not raised while it holds). */
  | { ev: 'timeout'; endpoint: EndpointId; silentMs: number }
  | { ev: 'stats'; endpoint: EndpointId; stats: EndpointStats }
  /** The remote address was learnt from incoming packets (symmetric RTP behind NAT). */
  | { ev: 'latched'; endpoint: EndpointId; address: string; port: number; rtcp: boolean }
  /** 'webrtc': ICE nominated where media goes ('selected'), or consent expired ('disconnected', RFC 7675). */
  | { ev: 'ice'; endpoint: EndpointId; state: 'selected' | 'disconnected'; address: string; port: number }
  /** 'webrtc': DTLS-SRTP is up (media flows from now on). */
  | { ev: 'dtls'; endpoint: EndpointId; state: 'connected'; role: 'client' | 'server'; srtpProfile: string }
  /** 'webrtc': the handshake failed (timeout, alert, fingerprint mismatch) or the peer closed: no media. */
  | { ev: 'dtls'; endpoint: EndpointId; state: 'failed' | 'closed'; role: 'client' | 'server'; reason: string }
  /** The endpoint failed (socket error) or its worker died: it is gone. */
  | { ev: 'error'; endpoint: EndpointId; error: MediaErrorInfo }
  /** A play ended, whatever ended it (also 'stopped' when its endpoint is destroyed). */
  | { ev: 'playDone'; endpoint: EndpointId; playId: string; reason: PlayDoneReason; error?: string }
  /** A recording ended (stopRecord, destroy of a recorded endpoint, a disk error, worker death). */
  | { ev: 'recordDone'; recId: string; path: string; durationMs: number; bytes: number; error?: string };

/** Events that concern one endpoint (all but recordDone). */
export type EndpointMediaEvent = Extract<MediaEvent, { endpoint: EndpointId }>;

/** Messages a worker posts: a reply, an event, or its start-up signal. */
export type WorkerMessage = MediaReply | MediaEvent | { ev: 'ready' };

/** True for a reply (events carry `ev`). */
export function isMediaReply(msg: WorkerMessage): msg is MediaReply {
  return !('ev' in msg);
}
