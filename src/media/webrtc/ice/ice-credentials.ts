import type { RandomSource } from '../../../core/index.js';

/** The ICE username fragment and password one side signals (RFC 8445 5.3, RFC 8839 5.4). */
export interface IceCredentials {
  readonly ufrag: string;
  readonly pwd: string;
}

// ice-char = ALPHA / DIGIT / "+" / "/": 64 symbols, so a byte's low 6 bits pick one without bias.
const ICE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function iceString(random: RandomSource, length: number): string {
  const bytes = random.bytes(length);
  let s = '';
  for (let i = 0; i < length; i++) s += ICE_CHARS[(bytes[i] ?? 0) & 63];
  return s;
}

/**
 * Fresh credentials: an 8-character ufrag (at least 24 bits of randomness asked) and a
 * 24-character password (at least 128 bits asked; RFC 8445 5.3 wants 22 or more characters).
 */
export function generateIceCredentials(random: RandomSource): IceCredentials {
  return { ufrag: iceString(random, 8), pwd: iceString(random, 24) };
}

const ICE_CHAR_RUN = /^[A-Za-z0-9+/]+$/;

/** Whether a ufrag fits RFC 8839 5.4: 4 to 256 ice-chars. */
export function isValidIceUfrag(ufrag: string): boolean {
  return ufrag.length >= 4 && ufrag.length <= 256 && ICE_CHAR_RUN.test(ufrag);
}

/** Whether a password fits RFC 8839 5.4: 22 to 256 ice-chars. */
export function isValidIcePwd(pwd: string): boolean {
  return pwd.length >= 22 && pwd.length <= 256 && ICE_CHAR_RUN.test(pwd);
}
