// Types only: erased at run time, so a missing or half-written core cannot break the peers.
import type * as CoreModule from '../../../packages/core/src/index';
import type { EvaluationContext, Flag, Snapshot } from '../../../packages/core/src/index';
import { ENTERPRISE_PLAN, ROLLOUT_PERCENT, planOf, type Scenario } from '../scenarios';
import type { BenchEngine, PreparedScenario } from './engine';

type Core = typeof CoreModule;

/** Loaded on first use, from source (tsx runs it directly), so `--only=<peers>` works without core. */
let corePromise: Promise<Core> | undefined;
function loadCore(): Promise<Core> {
  corePromise ??= import('../../../packages/core/src/index');
  return corePromise;
}

function flag(scenario: Scenario, key: string): Flag {
  const base = {
    key,
    version: 1,
    type: 'boolean' as const,
    enabled: true,
    variations: [
      { name: 'on', value: true },
      { name: 'off', value: false },
    ],
    offVariation: 'off',
  };
  if (scenario.flagKind === 'static-on') return { ...base, fallthrough: { variation: 'on' } };
  const onWeight = ROLLOUT_PERCENT * 1000; // weights are out of 100,000 (DESIGN §2)
  return {
    ...base,
    rules: [
      {
        id: 'enterprise',
        clauses: [{ attribute: 'plan', operator: 'equals', values: [ENTERPRISE_PLAN] }],
        variation: 'on',
      },
    ],
    fallthrough: {
      weights: [
        { variation: 'on', weight: onWeight },
        { variation: 'off', weight: 100_000 - onWeight },
      ],
    },
  };
}

export function snapshot(scenario: Scenario): Snapshot {
  const flags: Record<string, Flag> = {};
  for (const key of scenario.flagKeys) flags[key] = flag(scenario, key);
  return { schemaVersion: 1, environment: 'bench', version: 1, flags, segments: {} };
}

function compile(
  core: Core,
  scenario: Scenario,
  cacheBuckets: boolean,
): ReturnType<Core['compileSnapshot']> {
  const validation = core.validateSnapshot(snapshot(scenario));
  if (!validation.ok) {
    throw new Error(`bench snapshot is invalid: ${JSON.stringify(validation.errors.slice(0, 3))}`);
  }
  // Warm: a cache like the default one (same implementation and size), but new for each
  // scenario: the default is one process-wide instance, so scenario A's users would still
  // fill it when B runs, and B's figure would depend on which scenarios ran before it.
  // Cold turns caching off.
  const compiled = core.compileSnapshot(validation.snapshot, {
    bucketCache: cacheBuckets ? core.createBoundedBucketCache() : null,
  });
  if ((compiled.bucketCache !== null) !== cacheBuckets) {
    throw new Error(
      `expected the bucket cache to be ${cacheBuckets ? 'on' : 'off'}: check CompileOptions`,
    );
  }
  return compiled;
}

/** Warm: the same 10,000 users come back, so buckets come from the cache. */
async function setupWarm(scenario: Scenario): Promise<PreparedScenario> {
  const core = await loadCore();
  const compiled = compile(core, scenario, true);
  const { evaluateFlag } = core;
  const flagKeys = scenario.flagKeys;
  const contexts: EvaluationContext[] = scenario.users.map((user) => ({
    targetingKey: user.key,
    plan: user.plan,
  }));
  return {
    mode: 'sync',
    evaluate: (userIndex, flagIndex) =>
      evaluateFlag(compiled, flagKeys[flagIndex]!, contexts[userIndex]!, 'boolean').value === true,
    dispose: () => undefined,
  };
}

/**
 * Cold: every call is a user never seen before. Caching is off, and on top of that every
 * run gets a fresh pool of never-used keys, one per call, so no cache anywhere (ours, V8's
 * or a future one) can help. The pool is built in beforeRun, outside the timer; entry j
 * has the plan of user j % users, which is the user the harness asks for at call j.
 */
async function setupCold(scenario: Scenario): Promise<PreparedScenario> {
  const core = await loadCore();
  const compiled = compile(core, scenario, false);
  const { evaluateFlag } = core;
  const flagKeys = scenario.flagKeys;
  const userCount = scenario.users.length;
  let generation = 0;
  let pool: EvaluationContext[] = [];
  let cursor = 0;
  return {
    mode: 'sync',
    beforeRun(iterations) {
      generation++;
      // Keys arrive in apps parsed from a request (flat strings). Minted here by template
      // concatenation they would be V8 ropes, and the first read inside the timer would pay
      // for flattening them, a cost no real key carries: so they go through JSON.parse.
      const keys = JSON.parse(
        JSON.stringify(Array.from({ length: iterations }, (_, j) => `cold-${generation}-${j}`)),
      ) as string[];
      pool = [];
      for (let j = 0; j < iterations; j++) {
        pool.push({ targetingKey: keys[j]!, plan: planOf(j % userCount) });
      }
      cursor = 0;
    },
    evaluate: (_userIndex, flagIndex) =>
      evaluateFlag(compiled, flagKeys[flagIndex]!, pool[cursor++]!, 'boolean').value === true,
    dispose: () => {
      pool = [];
    },
  };
}

export const engines: readonly BenchEngine[] = [
  {
    id: 'switchyard-warm',
    label: 'switchyard (warm: bucket cache)',
    side: 'ours',
    setup: setupWarm,
  },
  {
    id: 'switchyard-cold',
    label: 'switchyard (cold: new users, no cache)',
    side: 'ours',
    setup: setupCold,
  },
];
