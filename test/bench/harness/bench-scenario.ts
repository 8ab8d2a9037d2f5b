import type { BenchEngine, PreparedScenario } from '../engines/engine';
import type { Scenario } from '../scenarios';
import { median, run, type RunResult } from './measure';

export interface BenchSettings {
  /** Timed rounds per engine; engines alternate within each round. */
  readonly rounds: number;
  /** Target duration of one engine's run in a round. */
  readonly roundMs: number;
  /** Cap on calls per run (bounds the cold engine's pool of fresh contexts). */
  readonly maxIterations: number;
}

/** How far a true-fraction may stray from the expected one before the run fails. */
export const FRACTION_TOLERANCE = 0.02;
const CALIBRATION_NS = 50e6;

export interface EngineResult {
  readonly engine: BenchEngine;
  readonly mode: PreparedScenario['mode'];
  /** From one full cycle of users and flags, before timing. */
  readonly trueFraction: number;
  readonly iterationsPerRound: number;
  readonly nsPerEval: readonly number[];
  readonly medianNs: number;
}

export interface ScenarioResult {
  readonly scenario: Scenario;
  readonly results: readonly EngineResult[];
  /** Sum of every true answer counted, printed so the work is observably used. */
  readonly checksum: number;
}

interface Contender {
  readonly engine: BenchEngine;
  readonly prepared: PreparedScenario;
  readonly trueFraction: number;
  iterations: number;
  readonly samples: number[];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

/**
 * Sets up every engine, checks that each really evaluates (its true-fraction over a full
 * cycle of users matches the scenario), then times them in alternating rounds so drift,
 * GC and thermal effects spread evenly. Engines that fail setup or the check are reported
 * in `failures` and left out of the timing.
 */
export async function benchScenario(
  scenario: Scenario,
  engines: readonly BenchEngine[],
  settings: BenchSettings,
  failures: string[],
): Promise<ScenarioResult> {
  const userCount = scenario.users.length;
  const flagCount = scenario.flagKeys.length;
  // One cycle visits every (user, flag) pair the schedule produces exactly once.
  const cycle = (userCount / gcd(userCount, flagCount)) * flagCount;
  let checksum = 0;

  const checkFraction = (engine: BenchEngine, result: RunResult, when: string): number => {
    const fraction = result.trueCount / result.iterations;
    checksum += result.trueCount;
    if (engine.constantAnswer !== undefined) {
      // A constant floor cannot follow the scenario: it must give its one answer every time.
      const expected = engine.constantAnswer ? 1 : 0;
      if (fraction !== expected) {
        failures.push(
          `${engine.id} in scenario ${scenario.id} (${when}): true for ${percent(fraction)} of calls, ` +
            `expected its constant ${String(engine.constantAnswer)} on every call`,
        );
      }
    } else if (Math.abs(fraction - scenario.expectedTrueFraction) > FRACTION_TOLERANCE) {
      failures.push(
        `${engine.id} in scenario ${scenario.id} (${when}): true for ${percent(fraction)} of calls, ` +
          `expected ${percent(scenario.expectedTrueFraction)} ± ${FRACTION_TOLERANCE * 100} points`,
      );
    }
    return fraction;
  };

  const contenders: Contender[] = [];
  for (const engine of engines) {
    log(`[${scenario.id}] ${engine.id}: setup`);
    let prepared: PreparedScenario;
    try {
      prepared = await engine.setup(scenario);
    } catch (error) {
      failures.push(`${engine.id} in scenario ${scenario.id}: setup failed: ${String(error)}`);
      continue;
    }
    const before = failures.length;
    const trueFraction = checkFraction(
      engine,
      await run(prepared, cycle, userCount, flagCount),
      'check',
    );
    if (failures.length > before) {
      await prepared.dispose();
      continue;
    }
    contenders.push({ engine, prepared, trueFraction, iterations: cycle, samples: [] });
  }

  // Calibration doubles as warm-up: whole cycles until ~50 ms, then size runs to roundMs.
  for (const contender of contenders) {
    let elapsedNs = 0;
    let iterations = 0;
    while (elapsedNs < CALIBRATION_NS) {
      const result = await run(contender.prepared, cycle, userCount, flagCount);
      elapsedNs += result.elapsedNs;
      iterations += result.iterations;
      checksum += result.trueCount;
    }
    const cycles = Math.round((settings.roundMs * 1e6) / (elapsedNs / iterations) / cycle);
    contender.iterations =
      Math.max(1, Math.min(cycles, Math.floor(settings.maxIterations / cycle))) * cycle;
    // One full-size run so every engine enters the timed rounds in the same steady state.
    checksum += (await run(contender.prepared, contender.iterations, userCount, flagCount))
      .trueCount;
  }

  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      const result = await run(contender.prepared, contender.iterations, userCount, flagCount);
      checkFraction(contender.engine, result, `round ${round + 1}`);
      contender.samples.push(result.elapsedNs / result.iterations);
    }
    log(`[${scenario.id}] round ${round + 1}/${settings.rounds} done`);
  }

  for (const contender of contenders) await contender.prepared.dispose();

  return {
    scenario,
    checksum,
    results: contenders.map((c) => ({
      engine: c.engine,
      mode: c.prepared.mode,
      trueFraction: c.trueFraction,
      iterationsPerRound: c.iterations,
      nsPerEval: c.samples,
      medianNs: median(c.samples),
    })),
  };
}
