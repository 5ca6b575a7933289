// The o= line across re-offers (RFC 3264 8): one session id for the leg's life, and a version
// that goes up by one exactly when the description's content changes (RFC 4566 5.2).
import { joinSdpLines, sdpLines } from './parse.js';

/** What o= carries besides the address: written by createOffer/createAnswer. */
export interface SdpSessionIdentity {
  readonly username?: string;
  readonly id: string;
  readonly version: string | number | bigint;
}

/** Tracks one leg's o= session id and version; `stamp` bumps the version only on changed content. */
export class SdpSessionVersion {
  private current: bigint;
  private lastContent: string | undefined;

  /** `id` should be a random decimal number (RFC 4566 suggests an NTP timestamp). */
  constructor(readonly id: string, initialVersion: bigint | number = 0, readonly username = '-') {
    if (!/^\d+$/.test(id)) throw new RangeError('SDP session id must be decimal digits');
    this.current = BigInt(initialVersion);
  }

  /** The version last written. */
  get version(): string {
    return this.current.toString();
  }

  /**
   * Writes our session id and the right version into the o= line of `sdp`: the same version as
   * last time when nothing else changed (a session refresh), the next one otherwise.
   */
  stamp(sdp: string): string {
    const lines = sdpLines(sdp);
    const at = lines.findIndex((l) => l.startsWith('o='));
    if (at < 0) return sdp;
    const content = lines.filter((_, i) => i !== at).join('\n');
    if (this.lastContent !== undefined && content !== this.lastContent) this.current += 1n;
    this.lastContent = content;
    const fields = lines[at]!.slice(2).split(' ');
    fields[0] = this.username;
    fields[1] = this.id;
    fields[2] = this.current.toString();
    lines[at] = `o=${fields.join(' ')}`;
    return joinSdpLines(lines);
  }
}
