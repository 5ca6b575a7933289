/** The SIP transaction layer (RFC 3261 section 17, RFC 6026). */
export { TransactionLayer, type TransactionLayerOptions } from './transaction-layer.js';
export { ClientTransaction, type ClientTransactionHandlers, type ClientTransactionState } from './client-transaction.js';
export { ServerTransaction, type ServerTransactionState, type ServerTerminationReason } from './server-transaction.js';
export { TransactionTimeoutError } from './transaction-errors.js';
export { DEFAULT_TIMERS, BRANCH_MAGIC_COOKIE, type TimerConfig, type TimerName } from './types.js';
export { inviteClientTransaction, type InviteClientState } from './invite-client-transaction.js';
export { nonInviteClientTransaction, type NonInviteClientState } from './non-invite-client-transaction.js';
export { inviteServerTransaction, type InviteServerState } from './invite-server-transaction.js';
export { nonInviteServerTransaction, type NonInviteServerState } from './non-invite-server-transaction.js';
export { newBranch } from './transaction-key.js';
