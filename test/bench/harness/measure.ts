import type { AsyncEvaluate, PreparedScenario, SyncEvaluate } from '../engines/engine';

export interface RunResult {
  readonly elapsedNs: number;
  readonly iterations: number;
  readonly trueCount: number;
}

/**
 * Call i evaluates user i % userCount and flag i % flagCount. Counting the true answers
 * uses every result, so nothing can be optimised away, and it tells a peer that really
 * evaluates from one that answers a default.
 */
function runSync(
  evaluate: SyncEvaluate,
  iterations: number,
  userCount: number,
  flagCount: number,
): RunResult {
  let user = 0;
  let flag = 0;
  let trueCount = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    if (evaluate(user, flag)) trueCount++;
    // Counters instead of %: the loop's own cost stays a few cycles.
    if (++user === userCount) user = 0;
    if (++flag === flagCount) flag = 0;
  }
  const elapsedNs = Number(process.hrtime.bigint() - start);
  return { elapsedNs, iterations, trueCount };
}

/** Each call is awaited before the next, as a request handler would. */
async function runAsync(
  evaluate: AsyncEvaluate,
  iterations: number,
  userCount: number,
  flagCount: number,
): Promise<RunResult> {
  let user = 0;
  let flag = 0;
  let trueCount = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    if (await evaluate(user, flag)) trueCount++;
    if (++user === userCount) user = 0;
    if (++flag === flagCount) flag = 0;
  }
  const elapsedNs = Number(process.hrtime.bigint() - start);
  return { elapsedNs, iterations, trueCount };
}

export async function run(
  prepared: PreparedScenario,
  iterations: number,
  userCount: number,
  flagCount: number,
): Promise<RunResult> {
  prepared.beforeRun?.(iterations);
  return prepared.mode === 'sync'
    ? runSync(prepared.evaluate, iterations, userCount, flagCount)
    : runAsync(prepared.evaluate, iterations, userCount, flagCount);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
