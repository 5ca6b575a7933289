import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDtmfParseError } from './parse-error.js';
import { formatDtmfRelayBody, parseDtmfBody, parseDtmfRelayBody } from './sip-info-dtmf.js';

describe('SIP INFO DTMF bodies', () => {
  it('application/dtmf-relay', () => {
    expect(parseDtmfRelayBody('Signal=5\r\nDuration=160\r\n')).toEqual({ digit: '5', durationMs: 160 });
    expect(parseDtmfRelayBody('Signal=5\r\nDuration=160')).toEqual({ digit: '5', durationMs: 160 });
    expect(parseDtmfRelayBody('signal= #\nduration = 250\n')).toEqual({ digit: '#', durationMs: 250 });
    expect(parseDtmfRelayBody('Signal=*')).toEqual({ digit: '*' });
    expect(parseDtmfRelayBody('Signal=a\r\nDuration=abc')).toEqual({ digit: 'A' });
    expect(parseDtmfRelayBody('Signal=11\r\nDuration=100')).toEqual({ digit: '#', durationMs: 100 });
    expect(parseDtmfRelayBody('Signal=10')).toEqual({ digit: '*' });
  });

  it('application/dtmf-relay errors', () => {
    for (const b of ['', 'Duration=100', 'Signal=', 'Signal=16', 'Signal=X', 'Signal=55', 'Signal=5'.padEnd(2000, ' ')]) {
      expect(isDtmfParseError(parseDtmfRelayBody(b)), JSON.stringify(b.slice(0, 20))).toBe(true);
    }
  });

  it('application/dtmf', () => {
    expect(parseDtmfBody('5')).toEqual({ digit: '5' });
    expect(parseDtmfBody('#\r\n')).toEqual({ digit: '#' });
    expect(parseDtmfBody(' d ')).toEqual({ digit: 'D' });
    expect(parseDtmfBody('11')).toEqual({ digit: '#' });
    for (const b of ['', '55', 'Signal=5', 'x']) expect(isDtmfParseError(parseDtmfBody(b))).toBe(true);
  });

  it('formats a dtmf-relay body that parses back', () => {
    expect(formatDtmfRelayBody('5', 160)).toBe('Signal=5\r\nDuration=160\r\n');
    expect(parseDtmfRelayBody(formatDtmfRelayBody('*', 99.6))).toEqual({ digit: '*', durationMs: 100 });
  });

  it('never throws on any body', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      parseDtmfRelayBody(s);
      parseDtmfBody(s);
    }));
  });
});
