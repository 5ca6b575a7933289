import { isParseError, parseNameAddr } from '../../sip/message/index.js';
import type { Party } from './leg-types.js';

/** A Party from a From/To header value; the user part is the number when it is dialable. */
export function partyOf(value: string | undefined): Party {
  const na = parseNameAddr(value ?? '');
  if (isParseError(na)) return { uri: value ?? '' };
  const uri = na.uri;
  const text = 'host' in uri ? `${uri.scheme}:${uri.user !== undefined ? `${uri.user}@` : ''}${uri.host}` : String(value ?? '');
  const party: Party = { uri: text };
  const user = 'host' in uri ? uri.user : undefined;
  if (user !== undefined && /^[+*#]?[0-9*#]+$/.test(user)) party.number = user;
  if (na.displayName !== undefined && na.displayName !== '') party.displayName = na.displayName;
  return party;
}
