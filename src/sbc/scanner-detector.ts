/**
 * Known SIP scanners by User-Agent, matched case-insensitively as substrings. The default
 * list follows fail2ban and Kamailio practice: tools that only scan or brute-force
 * (SIPVicious and its "friendly-scanner" disguise, sipcli, sip-scan, VaxSIPUserAgent
 * as used by war-dialers, iWar, sundayddr, pplsip, SIPArmyKnife, SiVuS). Diagnostic tools
 * with legitimate use (sipsak, SIPp) and SDKs shipped in real products are left out.
 */
export const defaultScannerUserAgents: readonly string[] = [
  'friendly-scanner',
  'sipvicious',
  'sip-scan',
  'sipscan',
  'sipcli',
  'vaxsipuseragent',
  'iwar',
  'sundayddr',
  'pplsip',
  'siparmyknife',
  'sivus',
];

export class ScannerDetector {
  private readonly patterns: string[];

  /** `patterns` replaces the default list (so an operator can also remove an entry). */
  constructor(patterns: readonly string[] = defaultScannerUserAgents) {
    this.patterns = patterns.map((p) => p.trim().toLowerCase()).filter((p) => p.length > 0);
  }

  /** Whether the User-Agent names a known scanner; a missing one does not. */
  isScanner(userAgent: string | undefined): boolean {
    if (!userAgent) return false;
    const ua = userAgent.toLowerCase();
    return this.patterns.some((p) => ua.includes(p));
  }
}
