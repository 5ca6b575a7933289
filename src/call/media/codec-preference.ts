import type { AudioCodecName } from '../../sdp/index.js';

/** Our codec preference with `first` moved to the front (unchanged when we do not have it). */
export function codecsPreferring(codecs: readonly AudioCodecName[], first: AudioCodecName | undefined): readonly AudioCodecName[] {
  if (first === undefined || codecs[0] === first || !codecs.includes(first)) return codecs;
  return [first, ...codecs.filter((c) => c !== first)];
}
