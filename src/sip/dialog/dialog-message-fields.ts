/** The header values the dialog layer reads from messages, parsed without throwing. */
import { formatUri, getHeader, getHeaderValues, isParseError, parseNameAddr } from '../message/index.js';
import type { NameAddr, SipMessage } from '../message/index.js';

export interface TaggedAddress {
  /** The name-addr with the tag parameter removed. */
  address: NameAddr;
  tag: string | undefined;
}

/** From or To, split into the address and its tag; undefined when missing or unparsable. */
export function readTaggedAddress(msg: SipMessage, name: 'From' | 'To'): TaggedAddress | undefined {
  const value = getHeader(msg, name);
  if (value === undefined) return undefined;
  const parsed = parseNameAddr(value);
  if (isParseError(parsed)) return undefined;
  const params = { ...parsed.params };
  const tag = params['tag'];
  delete params['tag'];
  const address: NameAddr = { uri: parsed.uri, params };
  if (parsed.displayName !== undefined) address.displayName = parsed.displayName;
  return { address, tag: typeof tag === 'string' && tag !== '' ? tag : undefined };
}

/** URI of the first Contact, or undefined (absent, `*`, or unparsable). */
export function contactUri(msg: SipMessage): string | undefined {
  const first = getHeaderValues(msg, 'Contact')[0];
  if (first === undefined || first.trim() === '*') return undefined;
  const parsed = parseNameAddr(first);
  return isParseError(parsed) ? undefined : formatUri(parsed.uri);
}

/** Record-Route entries in message order (every field, comma lists split). */
export function recordRoutes(msg: SipMessage): string[] {
  return getHeaderValues(msg, 'Record-Route');
}

/** True when the request URI (or any URI) is a SIPS URI. */
export function isSipsUri(uri: string): boolean {
  return /^sips:/i.test(uri.trim());
}
