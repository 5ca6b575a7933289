/** Levels in dBm0 for 16-bit linear PCM, with the G.711 convention spandsp uses (+3.14 dBm0 sine = full scale). */

const FULL_SCALE_DBM0 = 3.14;

/** Level of a mean-square power in dBm0 (mean square of a 0 dBm0 sine: peak 22,870). */
export function powerToDbm0(meanSquarePower: number): number {
  const peak = dbm0ToPeak(0);
  return 10 * Math.log10(meanSquarePower / ((peak * peak) / 2));
}

/** Peak amplitude of a sine at `dbm0` in 16-bit PCM (G.711: +3.14 dBm0 is full scale). */
export function dbm0ToPeak(dbm0: number): number {
  return 32767 * 10 ** ((dbm0 - FULL_SCALE_DBM0) / 20);
}
