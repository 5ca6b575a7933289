/**
 * N-party mixing, one 20 ms tick at a time. Each member hears the sum of the members it hears
 * (never itself): for 'all-but-self' that is the total of every talker minus the member's own
 * contribution (mix-minus in O(N) per sample, not O(N^2)); explicit lists (spy modes) are summed
 * directly. Sums are exact in Int32 and saturate to 16 bits once, at the output, so two loud
 * talkers clip instead of wrapping around.
 *
 * Hot path: members are resolved to array slots when the membership changes; mix() walks the
 * slots with indices, writes into per-member buffers allocated with the member, and returns the
 * same Map every tick. Nothing is allocated per tick.
 */
import type { SampleRate } from '../codec/index.js';
import type { MixMember } from './mix-member.js';

export interface ConferenceMixerOptions {
  readonly sampleRate: SampleRate;
  /** Frame duration (default 20 ms). */
  readonly frameMs?: number;
}

interface Slot {
  member: MixMember;
  hearsAll: boolean;
  hears: Int32Array; // slot indices, resolved from ids
  talkGain: number;
  listenGain: number;
  readonly contribution: Int32Array;
  readonly output: Int16Array;
  active: boolean;
}

export class ConferenceMixer {
  readonly sampleRate: SampleRate;
  readonly frameSamples: number;
  private slots: Slot[] = [];
  private readonly outputs = new Map<string, Int16Array>();
  private readonly total: Int32Array;
  private readonly sum: Int32Array;
  private anyHearsAll = false;

  constructor(opts: ConferenceMixerOptions) {
    this.sampleRate = opts.sampleRate;
    this.frameSamples = (opts.sampleRate * (opts.frameMs ?? 20)) / 1000;
    if (!Number.isInteger(this.frameSamples) || this.frameSamples <= 0) throw new RangeError(`frame of ${opts.frameMs} ms`);
    this.total = new Int32Array(this.frameSamples);
    this.sum = new Int32Array(this.frameSamples);
  }

  /** Replaces the membership (the 'mix' command); members kept by id keep their buffers. */
  setMembers(members: readonly MixMember[]): void {
    const old = new Map(this.slots.map((s) => [s.member.id, s]));
    this.slots = members.map((m) => {
      const kept = old.get(m.id);
      if (kept) {
        kept.member = m;
        return kept;
      }
      return {
        member: m,
        hearsAll: false,
        hears: new Int32Array(0),
        talkGain: 1,
        listenGain: 1,
        contribution: new Int32Array(this.frameSamples),
        output: new Int16Array(this.frameSamples),
        active: false,
      };
    });
    this.resolve();
  }

  /** Adds a member, or updates the one with the same id. */
  setMember(member: MixMember): void {
    const list = this.slots.map((s) => s.member);
    const i = list.findIndex((m) => m.id === member.id);
    if (i >= 0) list[i] = member;
    else list.push(member);
    this.setMembers(list);
  }

  removeMember(id: string): boolean {
    const list = this.slots.map((s) => s.member);
    const rest = list.filter((m) => m.id !== id);
    if (rest.length === list.length) return false;
    this.setMembers(rest);
    return true;
  }

  get members(): readonly MixMember[] {
    return this.slots.map((s) => s.member);
  }

  /**
   * One tick: each member's frame in (missing or undefined = silence), what each member hears
   * out. The returned Map and its arrays are reused by the next call.
   */
  mix(frames: ReadonlyMap<string, Int16Array | undefined>): ReadonlyMap<string, Int16Array> {
    const slots = this.slots;
    const count = slots.length;
    const size = this.frameSamples;
    const total = this.total;
    const anyAll = this.anyHearsAll;
    if (anyAll) total.fill(0);
    for (let s = 0; s < count; s++) {
      const slot = slots[s] as Slot;
      const frame = frames.get(slot.member.id);
      if (frame === undefined || slot.talkGain === 0) {
        slot.active = false;
        continue;
      }
      slot.active = true;
      const c = slot.contribution;
      const n = frame.length < size ? frame.length : size;
      const g = slot.talkGain;
      if (g === 1) for (let i = 0; i < n; i++) c[i] = frame[i] as number;
      else for (let i = 0; i < n; i++) c[i] = Math.round((frame[i] as number) * g);
      if (n < size) c.fill(0, n);
      if (anyAll) for (let i = 0; i < size; i++) total[i] = (total[i] as number) + (c[i] as number);
    }
    const sum = this.sum;
    for (let s = 0; s < count; s++) {
      const slot = slots[s] as Slot;
      let acc: Int32Array;
      if (slot.hearsAll) {
        if (slot.active) {
          // Mix-minus: everyone minus this member's own voice.
          const c = slot.contribution;
          for (let i = 0; i < size; i++) sum[i] = (total[i] as number) - (c[i] as number);
          acc = sum;
        } else acc = total;
      } else {
        sum.fill(0);
        const hears = slot.hears;
        for (let h = 0; h < hears.length; h++) {
          const other = slots[hears[h] as number] as Slot;
          if (!other.active) continue;
          const c = other.contribution;
          for (let i = 0; i < size; i++) sum[i] = (sum[i] as number) + (c[i] as number);
        }
        acc = sum;
      }
      saturate(acc, slot.output, slot.listenGain);
    }
    return this.outputs;
  }

  // Turns ids into slot indices and refreshes the output map (membership changes only).
  private resolve(): void {
    const index = new Map(this.slots.map((s, i) => [s.member.id, i]));
    this.anyHearsAll = false;
    this.outputs.clear();
    this.slots.forEach((slot, self) => {
      const m = slot.member;
      slot.hearsAll = m.hears === 'all-but-self';
      if (slot.hearsAll) this.anyHearsAll = true;
      const ids = m.hears === 'all-but-self' ? [] : m.hears;
      // Unknown ids are ignored (a member may join later); a member never hears itself.
      const heard = [...new Set(ids.map((id) => index.get(id)).filter((i): i is number => i !== undefined && i !== self))];
      slot.hears = Int32Array.from(heard);
      slot.talkGain = m.muted ? 0 : (m.talkGain ?? 1);
      slot.listenGain = m.listenGain ?? 1;
      this.outputs.set(m.id, slot.output);
    });
  }
}

function saturate(acc: Int32Array, out: Int16Array, gain: number): void {
  const n = out.length;
  if (gain === 1) {
    for (let i = 0; i < n; i++) {
      const v = acc[i] as number;
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = Math.round((acc[i] as number) * gain);
      out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
  }
}
