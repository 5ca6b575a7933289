/**
 * DTMF digits as RFC 4733 event codes (section 3.2, table 1) and as ITU-T Q.23 frequency pairs.
 */

/** A keypad digit: 0-9, *, #, A-D. */
export type DtmfDigit =
  | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

/** RFC 4733 event code for flash-hook (not a digit, carried by the same payload). */
export const FLASH_EVENT_CODE = 16;

// Index = RFC 4733 event code 0..15.
const DIGITS: readonly DtmfDigit[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];

/** Q.23 low (row) group in Hz. */
export const DTMF_ROW_HZ: readonly number[] = [697, 770, 852, 941];
/** Q.23 high (column) group in Hz. */
export const DTMF_COLUMN_HZ: readonly number[] = [1209, 1336, 1477, 1633];

// Keypad layout: KEYPAD[row][column].
const KEYPAD: readonly (readonly DtmfDigit[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

/** The digit for an RFC 4733 event code, or undefined for codes that are not DTMF digits. */
export function dtmfDigitOfEvent(code: number): DtmfDigit | undefined {
  return code >= 0 && code < 16 ? DIGITS[code] : undefined;
}

/** The RFC 4733 event code of a digit (case-insensitive for A-D), or undefined. */
export function dtmfEventOfDigit(digit: string): number | undefined {
  const i = DIGITS.indexOf(digit.toUpperCase() as DtmfDigit);
  return i < 0 ? undefined : i;
}

/** Narrows a string to a DtmfDigit (upper-casing a-d). */
export function toDtmfDigit(s: string): DtmfDigit | undefined {
  const u = s.toUpperCase();
  return DIGITS.includes(u as DtmfDigit) ? (u as DtmfDigit) : undefined;
}

/** The digit at a keypad position (row 0..3, column 0..3). */
export function dtmfDigitAt(row: number, column: number): DtmfDigit | undefined {
  return KEYPAD[row]?.[column];
}

/** The [row Hz, column Hz] pair of a digit. */
export function dtmfFrequencies(digit: DtmfDigit): readonly [number, number] {
  for (let r = 0; r < 4; r++) {
    const c = (KEYPAD[r] as readonly DtmfDigit[]).indexOf(digit);
    if (c >= 0) return [DTMF_ROW_HZ[r] as number, DTMF_COLUMN_HZ[c] as number];
  }
  // Unreachable for a DtmfDigit; the type keeps callers honest.
  throw new RangeError(`not a DTMF digit: ${digit}`);
}
