/** Who is in a mix and whom each member hears. */

/** 'all-but-self' (a conference: mix-minus) or the ids this member hears (never itself). */
export type Hears = 'all-but-self' | readonly string[];

export interface MixMember {
  readonly id: string;
  readonly hears: Hears;
  /** Gain on this member's voice as the others hear it (linear, default 1; 0 mutes). */
  readonly talkGain?: number;
  /** Gain on what this member hears (linear, default 1). */
  readonly listenGain?: number;
  /** Heard by nobody (a listen-only participant in a conference). */
  readonly muted?: boolean;
}

export type SpyMode = 'listen' | 'whisper' | 'barge';

export interface SpyParties {
  readonly supervisor: string;
  readonly agent: string;
  readonly caller: string;
}

/**
 * Supervisor modes as hears lists:
 * - listen: the supervisor hears agent and caller; nobody hears the supervisor;
 * - whisper: the agent hears the caller and the supervisor; the caller hears only the agent;
 * - barge: all three hear each other.
 */
export function spyMembers(mode: SpyMode, p: SpyParties): MixMember[] {
  if (mode === 'barge') {
    return [p.supervisor, p.agent, p.caller].map((id) => ({ id, hears: 'all-but-self' as const }));
  }
  return [
    { id: p.supervisor, hears: [p.agent, p.caller] },
    { id: p.agent, hears: mode === 'whisper' ? [p.caller, p.supervisor] : [p.caller] },
    { id: p.caller, hears: [p.agent] },
  ];
}
