import { describe, expect, it } from 'vitest';
import { NTP_UNIX_OFFSET_SECONDS, msFromNtp, ntpFromMs, ntpMiddle32, ntpMiddle32FromMs } from './ntp-timestamp.js';

describe('NTP timestamps', () => {
  it('maps the Unix epoch and half seconds', () => {
    expect(ntpFromMs(0)).toEqual({ seconds: 2_208_988_800, fraction: 0 });
    expect(ntpFromMs(1500)).toEqual({ seconds: NTP_UNIX_OFFSET_SECONDS + 1, fraction: 0x80000000 });
    expect(ntpFromMs(250).fraction).toBe(0x40000000);
  });

  it('round-trips a 2024 time within a microsecond', () => {
    const ms = Date.UTC(2024, 4, 17, 12, 34, 56, 789);
    const t = ntpFromMs(ms);
    expect(Math.abs(msFromNtp(t.seconds, t.fraction) - ms)).toBeLessThan(0.001);
  });

  it('crosses the 2036 era boundary', () => {
    const eraStartMs = (0x1_0000_0000 - NTP_UNIX_OFFSET_SECONDS) * 1000; // 2036-02-07T06:28:16Z
    expect(new Date(eraStartMs).toISOString()).toBe('2036-02-07T06:28:16.000Z');
    expect(ntpFromMs(eraStartMs + 2000)).toEqual({ seconds: 2, fraction: 0 });
    expect(msFromNtp(2, 0)).toBe(eraStartMs + 2000);
  });

  it('takes the middle 32 bits for LSR', () => {
    expect(ntpMiddle32(0xe1b2c3d4, 0x80000000)).toBe(0xc3d48000);
    expect(ntpMiddle32FromMs(1500)).toBe((((NTP_UNIX_OFFSET_SECONDS + 1) & 0xffff) << 16 | 0x8000) >>> 0);
  });
});
