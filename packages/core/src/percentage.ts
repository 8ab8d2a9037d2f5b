/**
 * The bucket threshold of a percentage, `round(percentage * 1000)`, computed from its
 * decimal digits so no floating-point product is involved; undefined when the percentage
 * is outside 0-100 or has more than 3 decimals.
 */
export function percentageThreshold(percentage: unknown): number | undefined {
  if (typeof percentage !== 'number' || !(percentage >= 0 && percentage <= 100)) return undefined;
  const match = /^(\d+)(?:\.(\d{1,3}))?$/.exec(String(percentage));
  if (match === null) return undefined;
  return Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
}

/** Total of the weights of a weighted serve. */
export const WEIGHT_TOTAL = 100_000;
