/** Registrar and location service (RFC 3261 10, RFC 5626 outbound flows, RFC 3327 Path). */
export type { Binding } from './binding.js';
export { bindingQ, isConnectionBound } from './binding.js';
export type { BindingStore } from './binding-store.js';
export { MemoryBindingStore, copyBinding } from './binding-store.js';
export { LocationService, DEFAULT_LIMITS } from './location-service.js';
export type {
  BindingChange,
  BindingChangeListener,
  LocationServiceOptions,
  RegisterOutcome,
} from './location-service.js';
export type { RegistrarLimits, RemovalCause } from './register-plan.js';
export { contactTarget } from './contact-target.js';
export type { ContactTarget } from './contact-target.js';
export { formatBindingContact, remainingSeconds } from './register-response.js';
export { uriEquivalent } from './contact-uri-match.js';
export { BindingReplica, type BindingLookup } from './binding-replica.js';
