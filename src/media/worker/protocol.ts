/**
 * The media seam (CALL-CONTROL.md): typed commands from the main thread to a media worker,
 * exactly one reply per command (matched by `id`), and events flowing back on their own.
 * Everything here is structured-clone friendly (plain objects, strings, numbers).
 *
 * `id` is the command's request id; endpoints are named by `endpoint` (ids the pool
 * assigns), so one field never means two things.
 */
import type { EndpointOptions, EndpointStats, RemoteDescription } from '../endpoint/index.js';

export type { EndpointOptions, EndpointStats, MediaDirection, RemoteDescription } from '../endpoint/index.js';

/** An endpoint's id, unique across the pool (assigned by the main thread). */
export type EndpointId = string;

/** Endpoint transports; 'srtp' and 'webrtc' wrap 'rtp' later. */
export type EndpointKind = 'rtp';

export interface CreateEndpointCommand {
  op: 'createEndpoint';
  id: number;
  endpoint: EndpointId;
  kind: EndpointKind;
  localAddress: string;
  /** Even RTP port from the main thread's allocator; RTCP binds port + 1 unless rtcpMux. */
  port: number;
  /** Bind no RTCP socket: RTCP will share the RTP port (RFC 5761). */
  rtcpMux?: boolean;
  options?: EndpointOptions;
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

/** Sends one RFC 4733 digit; the reply comes when its last end packet left. */
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

export type MediaCommand =
  | CreateEndpointCommand
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
}

/** What each command's successful reply carries. */
export interface MediaCommandResults {
  createEndpoint: EndpointBinding;
  setRemote: null;
  connect: { transcoding: boolean };
  disconnect: null;
  sendDtmf: null;
  destroy: null;
  stats: EndpointStats;
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
  | { ev: 'dtmf'; endpoint: EndpointId; digit: string; source: 'rfc4733' }
  /** No RTP for `silentMs` while the far end should be sending (not raised while it holds). */
  | { ev: 'timeout'; endpoint: EndpointId; silentMs: number }
  | { ev: 'stats'; endpoint: EndpointId; stats: EndpointStats }
  /** The remote address was learnt from incoming packets (symmetric RTP behind NAT). */
  | { ev: 'latched'; endpoint: EndpointId; address: string; port: number; rtcp: boolean }
  /** The endpoint failed (socket error) or its worker died: it is gone. */
  | { ev: 'error'; endpoint: EndpointId; error: MediaErrorInfo };

/** Messages a worker posts: a reply, an event, or its start-up signal. */
export type WorkerMessage = MediaReply | MediaEvent | { ev: 'ready' };

/** True for a reply (events carry `ev`). */
export function isMediaReply(msg: WorkerMessage): msg is MediaReply {
  return !('ev' in msg);
}
