/**
 * A mix in the graph: each member's decoded incoming audio, resampled to the mix rate, waits in
 * a PcmFifo; every media tick the ConferenceMixer takes one frame per member and hands each
 * listening member its output, which the member's EndpointNode encodes and sends instead of
 * its relay. A member that hears nobody only talks: its relay keeps sending to it.
 */
import { Resampler, type SampleRate } from '../codec/index.js';
import { ConferenceMixer, type MixMember } from '../mixer/index.js';
import type { AudioSink, EndpointNode } from './endpoint-node.js';
import type { MixMemberSpec } from './graph-types.js';
import { PcmFifo } from './pcm-fifo.js';

class MixInlet implements AudioSink {
  readonly fifo: PcmFifo;
  private resampler: Resampler | undefined;
  listens = false;

  constructor(
    readonly node: EndpointNode,
    private readonly rate: SampleRate,
  ) {
    this.fifo = new PcmFifo(rate / 50);
  }

  audio(pcm: Int16Array, rate: SampleRate): void {
    if (rate === this.rate) {
      this.fifo.write(pcm);
      return;
    }
    if (!this.resampler || this.resampler.fromRate !== rate) this.resampler = new Resampler(rate, this.rate);
    this.fifo.write(this.resampler.process(pcm));
  }
}

export class Mix {
  private readonly mixer: ConferenceMixer;
  private readonly inlets = new Map<string, MixInlet>();
  private readonly frames = new Map<string, Int16Array | undefined>();

  constructor(
    readonly mixId: string,
    readonly rate: SampleRate,
  ) {
    this.mixer = new ConferenceMixer({ sampleRate: rate });
  }

  /** The member endpoints. */
  get endpoints(): string[] {
    return [...this.inlets.keys()];
  }

  has(endpoint: string): boolean {
    return this.inlets.has(endpoint);
  }

  /** Replaces the membership; members kept keep their queued audio. */
  setMembers(members: readonly MixMemberSpec[], nodeOf: (endpoint: string) => EndpointNode): void {
    const wanted = new Set(members.map((m) => m.endpoint));
    for (const id of [...this.inlets.keys()]) if (!wanted.has(id)) this.detach(id);
    for (const m of members) {
      let inlet = this.inlets.get(m.endpoint);
      if (!inlet) {
        const node = nodeOf(m.endpoint);
        inlet = new MixInlet(node, this.rate);
        this.inlets.set(m.endpoint, inlet);
        node.addSink(inlet);
      }
      inlet.listens = m.hears === 'all-but-self' || m.hears.length > 0;
      inlet.node.setMixRole(inlet.listens, this.rate);
    }
    const mixMembers: MixMember[] = members.map((m) => ({
      id: m.endpoint, hears: m.hears === 'all-but-self' ? 'all-but-self' : [...m.hears],
    }));
    this.mixer.setMembers(mixMembers);
    this.frames.clear();
  }

  /** Drops a member (its endpoint is gone or it left). */
  remove(endpoint: string): void {
    if (!this.inlets.has(endpoint)) return;
    this.detach(endpoint);
    this.mixer.removeMember(endpoint);
  }

  /** One tick: a frame from each member in, each listener's output set on its node. */
  tick(): void {
    const frames = this.frames;
    for (const [id, inlet] of this.inlets) frames.set(id, inlet.fifo.read());
    const outputs = this.mixer.mix(frames);
    for (const [id, inlet] of this.inlets) {
      if (!inlet.listens) continue;
      inlet.node.mixOutput = outputs.get(id);
    }
  }

  /** Detaches every member; safe to call twice. */
  close(): void {
    for (const id of [...this.inlets.keys()]) this.detach(id);
    this.mixer.setMembers([]);
  }

  private detach(endpoint: string): void {
    const inlet = this.inlets.get(endpoint);
    if (!inlet) return;
    this.inlets.delete(endpoint);
    this.frames.delete(endpoint);
    inlet.node.removeSink(inlet);
    inlet.node.setMixRole(false, this.rate);
  }
}
