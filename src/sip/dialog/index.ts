/**
 * The SIP dialog layer (RFC 3261 12-15, RFC 3262 PRACK, RFC 3311 UPDATE, RFC 4028 session
 * timers). Pure logic over messages: it builds and consumes messages; the caller sends them.
 */
export type { Dialog, DialogId, DialogRole, DialogState, DialogError } from './types.js';
export { dialogKey, dialogError, isDialogError } from './types.js';
export type { DialogEvent, DialogEffect, DialogTransition } from './dialog-state.js';
export { transition, TARGET_REFRESH_METHODS } from './dialog-state.js';
export { dialogFromUasResponse, dialogFromUacResponse, createsDialog } from './dialog-creation.js';
export type { InDialogRequestOptions } from './in-dialog-request.js';
export { buildInDialogRequest, buildAck, nextInDialogRequest, routeRequest } from './in-dialog-request.js';
export type { InDialogRequestResult, ProcessRequestOptions } from './in-dialog-processing.js';
export {
  processInDialogRequest,
  processInDialogResponse,
  processOutgoingResponse,
  requestMatchesDialog,
  responseMatchesDialog,
} from './in-dialog-processing.js';
export { DialogRegistry } from './dialog-registry.js';
export type { SessionModificationOptions } from './session-modification.js';
export { buildReInvite, buildUpdate, isTargetRefresh, retryAfterGlareMs } from './session-modification.js';
export type { DialogEnding, EndDialogOptions } from './dialog-termination.js';
export { endDialog } from './dialog-termination.js';
export type {
  RAck,
  ReliableProvisionalEffect,
  ReliableProvisionalEvent,
  ReliableProvisionalPhase,
  ReliableProvisionalSenderOptions,
  ReliableProvisionalState,
} from './reliable-provisional.js';
export {
  initialReliableProvisionalState,
  parseRAck,
  parseRSeq,
  ReliableProvisionalSender,
  reliableProvisionalTransition,
  supportsExtension,
} from './reliable-provisional.js';
export type { ReliableProvisionalCheck } from './prack-client.js';
export { acceptReliableProvisional, buildPrack, isReliableProvisional } from './prack-client.js';
export type { Refresher, SessionExpires, SessionTimerConfig, SessionTimerDecision } from './session-timer-negotiation.js';
export {
  DEFAULT_MIN_SE_S,
  DEFAULT_SESSION_EXPIRES_S,
  DEFAULT_SESSION_TIMER_CONFIG,
  formatSessionExpires,
  negotiateSessionTimerAsUac,
  negotiateSessionTimerAsUas,
  parseMinSE,
  parseSessionExpires,
  retryAfter422,
  sessionTimerRequestHeaders,
} from './session-timer-negotiation.js';
export type { SessionTimerOptions } from './session-timer.js';
export { SessionTimer } from './session-timer.js';
