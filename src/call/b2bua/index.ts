export { B2bua } from './b2bua.js';
export { B2bCall } from './b2b-call.js';
export { ALLOWED_METHODS } from './callee-fork.js';
export type { B2buaDeps, B2buaCallEvent, CallPlan, ForkTarget } from './types.js';
export type { EndCause, CallState } from './b2b-call-state.js';
