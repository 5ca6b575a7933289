/**
 * Header names: compact forms (RFC 3261 7.3.3 and later RFCs), canonical spelling of known
 * headers, and which headers are comma-separated lists (RFC 3261 7.3.1).
 */

/** Compact form letter -> long form. */
const COMPACT: Record<string, string> = {
  i: 'Call-ID',
  m: 'Contact',
  e: 'Content-Encoding',
  l: 'Content-Length',
  c: 'Content-Type',
  f: 'From',
  s: 'Subject',
  k: 'Supported',
  t: 'To',
  v: 'Via',
  o: 'Event',
  r: 'Refer-To',
  b: 'Referred-By',
  x: 'Session-Expires',
  u: 'Allow-Events',
  y: 'Identity',
  a: 'Accept-Contact',
  j: 'Reject-Contact',
  d: 'Request-Disposition',
};

const KNOWN = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow',
  'Allow-Events', 'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact',
  'Content-Disposition', 'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type',
  'CSeq', 'Date', 'Diversion', 'Error-Info', 'Event', 'Expires', 'From', 'History-Info', 'Identity',
  'In-Reply-To', 'Max-Forwards', 'MIME-Version', 'Min-Expires', 'Min-SE', 'Organization', 'P-Asserted-Identity',
  'P-Preferred-Identity', 'P-Charging-Vector', 'P-Access-Network-Info', 'Path', 'Priority', 'Privacy',
  'Proxy-Authenticate', 'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route',
  'Refer-To', 'Referred-By', 'Reject-Contact', 'Remote-Party-ID', 'Replaces', 'Reply-To',
  'Request-Disposition', 'Require', 'Retry-After', 'Route', 'RSeq', 'Security-Client',
  'Security-Server', 'Security-Verify', 'Server', 'Service-Route', 'Session-Expires', 'SIP-ETag',
  'SIP-If-Match', 'Subject', 'Subscription-State', 'Supported', 'Timestamp', 'To', 'Unsupported',
  'User-Agent', 'Via', 'Warning', 'WWW-Authenticate', 'Target-Dialog', 'Refer-Sub', 'Join',
  'Flow-Timer', 'Geolocation', 'Feature-Caps', 'Recv-Info', 'Info-Package', 'Max-Breadth',
];

const CANONICAL = new Map<string, string>();
for (const name of KNOWN) CANONICAL.set(name.toLowerCase(), name);
for (const [letter, long] of Object.entries(COMPACT)) CANONICAL.set(letter, long);
/** Names as phones usually write them (canonical or compact): found without lower-casing. */
const EXACT = new Map<string, string>();
for (const name of KNOWN) EXACT.set(name, name);
for (const [letter, long] of Object.entries(COMPACT)) EXACT.set(letter, long);

/** Headers whose fields hold comma-separated lists that getHeaderValues splits. */
const LIST_VALUED = new Set([
  'Via', 'Contact', 'Route', 'Record-Route', 'Path', 'Service-Route', 'Allow', 'Supported',
  'Require', 'Proxy-Require', 'Unsupported', 'Accept', 'Accept-Encoding', 'Accept-Language',
  'Allow-Events', 'Content-Encoding', 'Content-Language', 'Accept-Contact', 'Reject-Contact',
  'Request-Disposition', 'Alert-Info', 'Call-Info', 'Error-Info', 'In-Reply-To', 'Warning',
  'P-Asserted-Identity', 'P-Preferred-Identity', 'History-Info', 'Diversion', 'Reason',
  'Privacy', 'Security-Client', 'Security-Server', 'Security-Verify', 'Recv-Info', 'Feature-Caps',
]);

/** Long canonical form of a header name; unknown names are kept as written. */
export function canonicalHeaderName(name: string): string {
  return EXACT.get(name) ?? CANONICAL.get(name.toLowerCase()) ?? name;
}

/** True when the header (canonical name) is a comma-separated list (Via, Contact, Allow...). */
export function isListValuedHeader(canonicalName: string): boolean {
  return LIST_VALUED.has(canonicalName);
}

/** Compact form letter for a long header name, if it has one (e.g. "Via" -> "v"). */
export function compactHeaderName(name: string): string | undefined {
  const canonical = canonicalHeaderName(name);
  for (const [letter, long] of Object.entries(COMPACT)) if (long === canonical) return letter;
  return undefined;
}
