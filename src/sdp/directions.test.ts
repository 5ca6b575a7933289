import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerDirection, isHoldOffer, reverseDirection } from './directions.js';
import { isSdpParseError } from './model.js';
import type { MediaSection } from './model.js';
import { parseSessionDescription } from './parse.js';

function section(name: string, edit: (text: string) => string = (t) => t): MediaSection {
  const text = edit(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
  const d = parseSessionDescription(text);
  if (isSdpParseError(d)) throw new Error(d.reason);
  return d.media[0]!;
}

describe('directions', () => {
  it('reverses and answers per RFC 3264 6.1', () => {
    expect(reverseDirection('sendonly')).toBe('recvonly');
    expect(reverseDirection('recvonly')).toBe('sendonly');
    expect(reverseDirection('sendrecv')).toBe('sendrecv');
    expect(reverseDirection('inactive')).toBe('inactive');
    expect(answerDirection('sendonly')).toBe('recvonly');
    expect(answerDirection('recvonly')).toBe('sendonly');
    expect(answerDirection('inactive')).toBe('inactive');
    expect(answerDirection('sendrecv', 'sendonly')).toBe('sendonly');
    expect(answerDirection('recvonly', 'recvonly')).toBe('inactive');
  });

  it('sees hold in a=sendonly, a=inactive and c=0.0.0.0, not in sendrecv, recvonly or a trickle ICE offer', () => {
    expect(isHoldOffer(section('hold-sendonly-offer.sdp'))).toBe(true);
    expect(isHoldOffer(section('hold-zero-address-offer.sdp'))).toBe(true);
    expect(isHoldOffer(section('yealink-offer.sdp', (t) => t.replace('a=sendrecv', 'a=inactive')))).toBe(true);
    expect(isHoldOffer(section('yealink-offer.sdp'))).toBe(false);
    expect(isHoldOffer(section('yealink-offer.sdp', (t) => t.replace('a=sendrecv', 'a=recvonly')))).toBe(false);
    expect(isHoldOffer(section('chromium-trickle-offer.sdp'))).toBe(false);
  });
});
