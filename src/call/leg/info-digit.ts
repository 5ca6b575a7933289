/**
 * A keypad digit carried in a SIP INFO body: `application/dtmf-relay` (Signal=5) as Cisco
 * and most desk phones send it, or `application/dtmf` (the digit alone).
 */
import { parseDtmfBody, parseDtmfRelayBody, isDtmfParseError } from '../../media/dtmf/index.js';

export function parseInfoDigit(contentType: string | undefined, body: string): string | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const parsed = type === 'application/dtmf-relay' ? parseDtmfRelayBody(body)
    : type === 'application/dtmf' ? parseDtmfBody(body)
    : undefined;
  if (parsed === undefined || isDtmfParseError(parsed)) return undefined;
  return parsed.digit;
}
