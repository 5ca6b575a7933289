/**
 * RFC 3261 10.3 steps 5-7 (with RFC 5626 6 and RFC 3327 5.3) as a pure function: from the
 * AOR's current bindings and a REGISTER, either a rejection or the set of changes to commit.
 * Nothing is changed here; the location service commits all of it or none (step 7).
 */
import { isParseError, parseNameAddr, parseUri } from '../message/index.js';
import type { HeaderField } from '../message/index.js';
import type { InboundMessage } from '../transport/types.js';
import type { Binding } from './binding.js';
import { uriEquivalent } from './contact-uri-match.js';
import type { RegisterView, RequestedContact } from './register-request.js';

export interface RegistrarLimits {
  /** Shortest accepted interval, seconds (423 below it). */
  minExpires: number;
  /** Longest granted interval, seconds (longer requests are shortened). */
  maxExpires: number;
  /** Interval when neither the contact nor the Expires header gives one. */
  defaultExpires: number;
  /** Most bindings one AOR may hold. */
  maxContactsPerAor: number;
}

export type RemovalCause = 'unregistered' | 'expired' | 'replaced' | 'flow-closed';

export interface PlannedRemoval {
  binding: Binding;
  cause: RemovalCause;
}

export interface PlannedUpsert {
  binding: Binding;
  /** The binding it refreshes or replaces (absent for a new one). */
  previous?: Binding;
}

export interface RegisterPlan {
  kind: 'plan';
  removals: PlannedRemoval[];
  upserts: PlannedUpsert[];
  /** The AOR's bindings once committed. */
  bindings: Binding[];
  /** RFC 5626 processing applied to at least one contact: the 200 carries Require: outbound. */
  outbound: boolean;
}

export interface RegisterRefusal {
  kind: 'refusal';
  status: number;
  reason: string;
  headers: HeaderField[];
}

function refuse(status: number, reason: string, headers: HeaderField[] = []): RegisterRefusal {
  return { kind: 'refusal', status, reason, headers };
}

/** RFC 3261 10.3 step 7: same Call-ID and a CSeq not above the stored one means an old request. */
function outOfOrder(existing: Binding, view: RegisterView): boolean {
  return existing.callId === view.callId && view.cseq <= existing.cseq;
}

/** The update "MUST be aborted and the request fails" (RFC 3261 10.3 step 7): a 500, as Kamailio does. */
const OUT_OF_ORDER = (): RegisterRefusal => refuse(500, 'Server Internal Error (Out Of Order REGISTER)');

/**
 * Whether RFC 5626 outbound processing may apply to this REGISTER (RFC 5626 6 and 5.2):
 * we are the first hop (one Via, no Path), or the edge proxy nearest us put "ob" in its Path.
 * 'reject' is the 439 case: the UA asked for outbound but a proxy without it sits in between.
 */
export function outboundApplicability(view: RegisterView): 'yes' | 'no' | 'reject' {
  const first = view.path[0];
  if (first !== undefined) {
    const na = parseNameAddr(first);
    if (isParseError(na)) return 'no';
    const params = 'params' in na.uri ? na.uri.params : {};
    return params['ob'] !== undefined ? 'yes' : 'no';
  }
  if (view.viaCount <= 1) return 'yes';
  return view.supportsOutbound ? 'reject' : 'no';
}

/** Plans a REGISTER against the AOR's live bindings (expired ones must already be left out). */
export function planRegister(
  aor: string,
  current: readonly Binding[],
  view: RegisterView,
  inbound: InboundMessage,
  limits: RegistrarLimits,
  now: number,
): RegisterPlan | RegisterRefusal {
  // Step 6, wildcard: remove every binding, unless one was written by a later request of this Call-ID.
  if (view.wildcard) {
    if (current.some((b) => outOfOrder(b, view))) return OUT_OF_ORDER();
    return {
      kind: 'plan',
      removals: current.map((binding) => ({ binding, cause: 'unregistered' })),
      upserts: [],
      bindings: [],
      outbound: false,
    };
  }

  const wantsRegId = view.contacts.some((c) => c.instanceId !== undefined && c.regId !== undefined);
  const applicability = wantsRegId ? outboundApplicability(view) : 'no';
  if (applicability === 'reject') return refuse(439, 'First Hop Lacks Outbound Support');

  // Step 6: every contact's interval is checked before anything changes.
  const intervals: number[] = [];
  for (const c of view.contacts) {
    const requested = c.expires ?? view.expires ?? limits.defaultExpires;
    // RFC 3261 10.3: 423 "if and only if" the interval is > 0, under an hour, and under our minimum.
    if (requested > 0 && requested < 3600 && requested < limits.minExpires) {
      return refuse(423, 'Interval Too Brief', [{ name: 'Min-Expires', value: String(limits.minExpires) }]);
    }
    intervals.push(Math.min(requested, limits.maxExpires));
  }

  const working = [...current];
  const removals: PlannedRemoval[] = [];
  const upserts: PlannedUpsert[] = [];
  let outbound = false;

  for (const [i, c] of view.contacts.entries()) {
    const expires = intervals[i] ?? 0;
    // RFC 5626 6: a reg-id without an instance-id, or where outbound does not apply, is ignored.
    const regId = c.instanceId !== undefined && applicability === 'yes' ? c.regId : undefined;
    if (regId !== undefined) outbound = true;
    let index = working.findIndex((b) => sameBinding(b, c, regId));
    // A UA that starts sending +sip.instance with the same URI is the same device: take over its binding.
    if (index < 0 && c.instanceId !== undefined) index = working.findIndex((b) => b.instanceId === undefined && sameUri(b, c));
    const existing = index >= 0 ? working[index] : undefined;

    if (existing && outOfOrder(existing, view)) return OUT_OF_ORDER();
    if (expires === 0) {
      if (existing) {
        working.splice(index, 1);
        const earlier = dropUpsertOf(upserts, existing);
        const original = current.includes(existing) ? existing : earlier?.previous;
        if (original) removals.push({ binding: original, cause: 'unregistered' });
      }
      continue;
    }
    const binding = newBinding(aor, c, regId, expires, view, inbound, now);
    if (existing) {
      working[index] = binding;
      const earlier = dropUpsertOf(upserts, existing);
      const previous = earlier ? earlier.previous : existing;
      upserts.push(previous ? { binding, previous } : { binding });
    } else {
      working.push(binding);
      upserts.push({ binding });
    }
  }

  if (working.length > limits.maxContactsPerAor && working.length > current.length) {
    // Kamailio's answer to the same condition; a phone reads it as "try later", not "wrong password".
    return refuse(503, 'Too Many Registered Contacts');
  }
  return { kind: 'plan', removals, upserts, bindings: working, outbound };
}

/** Removes a planned upsert of this binding (a later contact in the same REGISTER overrides it). */
function dropUpsertOf(upserts: PlannedUpsert[], binding: Binding): PlannedUpsert | undefined {
  const at = upserts.findIndex((u) => u.binding === binding);
  return at >= 0 ? upserts.splice(at, 1)[0] : undefined;
}

/**
 * Binding identity: RFC 5626 6 keys a contact with +sip.instance by (instance-id, reg-id) and
 * ignores its URI; any other contact is keyed by its URI (RFC 3261 19.1.4 equivalence).
 */
function sameBinding(b: Binding, c: RequestedContact, regId: number | undefined): boolean {
  if (c.instanceId !== undefined) return b.instanceId === c.instanceId && b.regId === regId;
  return b.instanceId === undefined && sameUri(b, c);
}

function sameUri(b: Binding, c: RequestedContact): boolean {
  // The same text is the same URI (a refresh, the common case); equivalence is for the rest.
  if (b.contact === c.uri) return true;
  const stored = parseUri(b.contact);
  return !isParseError(stored) && uriEquivalent(stored, c.parsed);
}

function newBinding(
  aor: string,
  c: RequestedContact,
  regId: number | undefined,
  expires: number,
  view: RegisterView,
  inbound: InboundMessage,
  now: number,
): Binding {
  const b: Binding = {
    aor,
    contact: c.uri,
    expiresAt: now + expires * 1000,
    callId: view.callId,
    cseq: view.cseq,
    path: [...view.path],
    source: { ...inbound.source },
    updatedAt: now,
  };
  if (c.q !== undefined) b.q = c.q;
  if (c.instanceId !== undefined) b.instanceId = c.instanceId;
  if (regId !== undefined) b.regId = regId;
  if (inbound.connectionId !== undefined) b.connectionId = inbound.connectionId;
  if (view.userAgent !== undefined) b.userAgent = view.userAgent;
  return b;
}
