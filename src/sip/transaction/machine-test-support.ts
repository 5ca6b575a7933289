/** Test support for the pure machines: bare messages and a runner that folds events. */
import type { SipRequest, SipResponse } from '../message/types.js';
import { DEFAULT_TIMERS, type TransactionContext, type TransactionEffect, type TransactionMachine } from './types.js';

export const udp: TransactionContext = { reliable: false, timers: DEFAULT_TIMERS };
export const tcp: TransactionContext = { reliable: true, timers: DEFAULT_TIMERS };

export function bareResponse(status: number): SipResponse {
  return { type: 'response', version: 'SIP/2.0', status, reason: 'x', headers: [], body: Buffer.alloc(0) };
}

export function bareAck(): SipRequest {
  return { type: 'request', version: 'SIP/2.0', method: 'ACK', uri: 'sip:a@b', headers: [], body: Buffer.alloc(0) };
}

/** Applies events in order from the machine's start, returning the final state and every effect. */
export function run<S extends string, E extends { type: string }>(
  machine: TransactionMachine<S, E>,
  ctx: TransactionContext,
  events: E[],
): { state: S; effects: TransactionEffect[]; last: TransactionEffect[] } {
  let state = machine.initial;
  const effects: TransactionEffect[] = [];
  let last: TransactionEffect[] = [];
  for (const e of events) {
    const t = machine.transition(state, e, ctx);
    state = t.state;
    last = t.effects;
    effects.push(...t.effects);
  }
  return { state, effects, last };
}

export const types = (effects: TransactionEffect[]): string[] => effects.map((e) => e.type);
