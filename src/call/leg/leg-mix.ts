/**
 * Several legs heard together in the media workers: conferences (everyone hears everyone but
 * themselves) and a supervisor's spy modes on an agent's call (what Asterisk's ChanSpy and
 * Yeastar's monitor offer):
 * - listen: the supervisor hears agent and caller; nobody hears the supervisor;
 * - whisper: the agent also hears the supervisor; the caller does not;
 * - barge: all three hear each other.
 * A leg that hears nobody in the mix keeps getting what its bridge relays to it, so spying on
 * a bridged call leaves the call as it was for whoever is not meant to hear the supervisor.
 * Every endpoint must live in one media worker: open the supervisor's leg `near` the agent's.
 */
import { AtendeError } from '../../core/index.js';
import type { EndpointId, MixMemberRequest } from '../../media/worker/index.js';
import type { Leg } from './leg-types.js';

/** The part of the media worker pool a mix uses. */
export interface MediaMixer {
  mix(mixId: string, members: MixMemberRequest[]): Promise<void>;
  unmix(mixId: string): Promise<void>;
}

export type SpyMode = 'listen' | 'whisper' | 'barge';

export interface LegMixMember {
  leg: Leg;
  /** Whom this leg hears: everyone else, or the listed legs (none: it only talks). */
  hears: 'all-but-self' | Leg[];
}

export class LegMixError extends AtendeError {}

let mixes = 0;

function endpointOf(leg: Leg): EndpointId {
  const e = leg.endpointId;
  if (e === undefined) throw new LegMixError('no_media', `leg ${leg.id} has no media endpoint`);
  return e;
}

/** Who hears whom in each spy mode. */
export function spyMembers(mode: SpyMode, legs: { supervisor: Leg; agent: Leg; caller: Leg }): LegMixMember[] {
  const { supervisor, agent, caller } = legs;
  switch (mode) {
    case 'listen':
      return [{ leg: supervisor, hears: [agent, caller] }, { leg: agent, hears: [] }, { leg: caller, hears: [] }];
    case 'whisper':
      return [{ leg: supervisor, hears: [agent, caller] }, { leg: agent, hears: [caller, supervisor] }, { leg: caller, hears: [] }];
    case 'barge':
      return [{ leg: supervisor, hears: 'all-but-self' }, { leg: agent, hears: 'all-but-self' }, { leg: caller, hears: 'all-but-self' }];
  }
}

/** A running mix of legs; `update` changes who hears whom (e.g. listen -> barge), `stop` ends it. */
export class LegMix {
  private stopped = false;

  private constructor(
    private readonly mixer: MediaMixer,
    readonly id: string,
  ) {}

  static async start(mixer: MediaMixer, members: readonly LegMixMember[]): Promise<LegMix> {
    const mix = new LegMix(mixer, `mix.${++mixes}`);
    await mix.update(members);
    return mix;
  }

  async update(members: readonly LegMixMember[]): Promise<void> {
    if (this.stopped) throw new LegMixError('mix_stopped', `mix ${this.id} was stopped`);
    await this.mixer.mix(this.id, members.map((m) => ({
      endpoint: endpointOf(m.leg),
      hears: m.hears === 'all-but-self' ? 'all-but-self' : m.hears.map(endpointOf),
    })));
  }

  /** Ends the mix; the legs go back to what their bridges relay. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.mixer.unmix(this.id);
  }
}

/** A supervisor joins an agent's call in a spy mode; `update(spyMembers(...))` switches modes. */
export function spy(mixer: MediaMixer, mode: SpyMode, legs: { supervisor: Leg; agent: Leg; caller: Leg }): Promise<LegMix> {
  return LegMix.start(mixer, spyMembers(mode, legs));
}

/** A conference: everyone hears everyone but themselves (mix-minus). */
export function conference(mixer: MediaMixer, legs: readonly Leg[]): Promise<LegMix> {
  return LegMix.start(mixer, legs.map((leg) => ({ leg, hears: 'all-but-self' as const })));
}
