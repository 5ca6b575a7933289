// Direction attributes in offer/answer (RFC 3264 5.1, 6.1) and hold (RFC 3264 8.4).
import type { Direction, MediaSection } from './model.js';

const DIRECTIONS: ReadonlySet<string> = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

export function isDirection(value: unknown): value is Direction {
  return typeof value === 'string' && DIRECTIONS.has(value);
}

/** Whether the side that wrote this direction will send media. */
export function sends(direction: Direction): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

/** Whether the side that wrote this direction wants to receive media. */
export function receives(direction: Direction): boolean {
  return direction === 'sendrecv' || direction === 'recvonly';
}

/** The direction with the given send and receive flags. */
export function directionOf(send: boolean, receive: boolean): Direction {
  if (send) return receive ? 'sendrecv' : 'sendonly';
  return receive ? 'recvonly' : 'inactive';
}

/** The same stream seen from the other end: sendonly <-> recvonly. */
export function reverseDirection(direction: Direction): Direction {
  return directionOf(receives(direction), sends(direction));
}

/** Whether a c= address is the RFC 2543 hold form (0.0.0.0; "::" by analogy). */
export function isHoldAddress(address: string | undefined): boolean {
  return address === '0.0.0.0' || address === '::';
}

/**
 * The direction a remote section really means: c=0.0.0.0 (RFC 2543 hold) says the remote will
 * not receive, whatever the attribute says (RFC 3264 8.4).
 */
export function effectiveDirection(section: MediaSection): Direction {
  // With ICE, c=0.0.0.0 (port 9) only says "no candidate yet" (RFC 8838 4.2), not hold.
  if (!isHoldAddress(section.connection?.address) || section.ice !== undefined) return section.direction;
  return directionOf(sends(section.direction), false);
}

/**
 * RFC 3264 6.1: an offered sendonly is answered recvonly, recvonly sendonly, inactive inactive,
 * sendrecv with whatever we want; `local` (our own hold state) can only narrow it.
 */
export function answerDirection(offered: Direction, local: Direction = 'sendrecv'): Direction {
  const mirror = reverseDirection(offered);
  return directionOf(sends(mirror) && sends(local), receives(mirror) && receives(local));
}

/** Whether an offered section puts us on hold: a=sendonly, a=inactive or c=0.0.0.0 (RFC 3264 8.4). */
export function isHoldOffer(section: MediaSection): boolean {
  return !receives(effectiveDirection(section));
}
