import { describe, expect, it } from 'vitest';
import { ScannerDetector } from './scanner-detector.js';

describe('ScannerDetector', () => {
  const detector = new ScannerDetector();
  it.each(['friendly-scanner', 'SIPVicious 0.3.4', 'sipcli/v1.8', 'VaxSIPUserAgent/3.1', 'Friendly-Scanner', 'sundayddr', 'pplsip'])(
    'flags %j',
    (ua) => {
      expect(detector.isScanner(ua)).toBe(true);
    },
  );
  it.each(['Linphone/5.2.0 (belle-sip/5.2.0)', 'Yealink SIP-T46S 66.86.0.15', 'Zoiper rv2.10', 'sipsak 0.9.8', undefined, ''])(
    'lets %j through',
    (ua) => {
      expect(detector.isScanner(ua)).toBe(false);
    },
  );
  it('takes a replacement list', () => {
    const custom = new ScannerDetector(['EvilTool', '  ']);
    expect(custom.isScanner('eviltool 1.0')).toBe(true);
    expect(custom.isScanner('friendly-scanner')).toBe(false);
    expect(custom.isScanner('anything')).toBe(false);
  });
});
