import { FlagdCore } from '@openfeature/flagd-core';
import { ENTERPRISE_PLAN, ROLLOUT_PERCENT, type Scenario } from '../scenarios';
import { peerVersion, type BenchEngine, type PreparedScenario } from './engine';

/**
 * flagd's in-process evaluator: the same core the flagd in-process providers use, fed a
 * flagd flag-definition document directly (no sync stream, no gRPC).
 */
export function flagDefinition(scenario: Scenario): Record<string, unknown> {
  const base = { state: 'ENABLED', variants: { on: true, off: false } };
  if (scenario.flagKind === 'static-on') return { ...base, defaultVariant: 'on' };
  return {
    ...base,
    defaultVariant: 'off',
    targeting: {
      if: [
        { '==': [{ var: 'plan' }, ENTERPRISE_PLAN] },
        'on',
        // Without an explicit bucketBy, fractional hashes flagKey + targetingKey.
        {
          fractional: [
            ['on', ROLLOUT_PERCENT],
            ['off', 100 - ROLLOUT_PERCENT],
          ],
        },
      ],
    },
  };
}

async function setup(scenario: Scenario): Promise<PreparedScenario> {
  const flags: Record<string, unknown> = {};
  for (const key of scenario.flagKeys) flags[key] = flagDefinition(scenario);
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify({ flags }));

  const flagKeys = scenario.flagKeys;
  const contexts = scenario.users.map((user) => ({ targetingKey: user.key, plan: user.plan }));
  return {
    mode: 'sync',
    evaluate: (userIndex, flagIndex) =>
      core.resolveBooleanEvaluation(flagKeys[flagIndex]!, false, contexts[userIndex]!).value,
    dispose: () => undefined,
  };
}

export const engines: readonly BenchEngine[] = [
  {
    id: 'flagd',
    label: `@openfeature/flagd-core ${peerVersion('@openfeature/flagd-core')}`,
    side: 'peer',
    setup,
  },
];
