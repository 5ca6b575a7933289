import { describe, expect, it } from 'vitest';
import { audioCodecOf, isTelephoneEvent } from './codecs.js';

describe('audio codec names in a=rtpmap', () => {
  it('match ours whatever their case, at our clock only (RFC 4566 6: encoding names are case-insensitive)', () => {
    expect(audioCodecOf('PCMU', 8000)).toBe('PCMU');
    expect(audioCodecOf('pcmu', 8000)).toBe('PCMU');
    expect(audioCodecOf('Pcma', 8000)).toBe('PCMA');
    expect(audioCodecOf('g722', 8000)).toBe('G722');
    expect(audioCodecOf('opus', 48000)).toBe('opus');
    expect(audioCodecOf('OPUS', 48000)).toBe('opus');
    expect(audioCodecOf('PCMU', 16000)).toBeUndefined();
    expect(audioCodecOf('opus', 8000)).toBeUndefined();
    expect(audioCodecOf('G729', 8000)).toBeUndefined();
    expect(audioCodecOf('telephone-event', 8000)).toBeUndefined();
  });

  it('recognise RFC 4733 telephone-event whatever its case', () => {
    expect(isTelephoneEvent('telephone-event')).toBe(true);
    expect(isTelephoneEvent('Telephone-Event')).toBe(true);
    expect(isTelephoneEvent('TELEPHONE-EVENT')).toBe(true);
    expect(isTelephoneEvent('telephone')).toBe(false);
    expect(isTelephoneEvent('PCMU')).toBe(false);
  });
});
