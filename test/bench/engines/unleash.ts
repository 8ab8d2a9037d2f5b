import { InMemStorageProvider, Unleash, UnleashEvents } from 'unleash-client';
import type { ClientFeaturesResponse } from 'unleash-client';
import { ENTERPRISE_PLAN, ROLLOUT_PERCENT, type Scenario } from '../scenarios';
import { peerVersion, type BenchEngine, type PreparedScenario } from './engine';

type FeatureDefinition = ClientFeaturesResponse['features'][number];

/**
 * Unleash strategies are OR-ed: a `default` strategy constrained to `plan IN [enterprise]`
 * gives enterprise users true, then a flexibleRollout (the gradual rollout Unleash creates
 * today; groupId defaults to the feature name) gives 10% of everyone else true.
 */
function feature(scenario: Scenario, name: string): FeatureDefinition {
  const common = { name, enabled: true, type: 'release', project: 'default', stale: false };
  if (scenario.flagKind === 'static-on') {
    return { ...common, strategies: [{ name: 'default', parameters: {}, constraints: [] }] };
  }
  return {
    ...common,
    strategies: [
      {
        name: 'default',
        parameters: {},
        constraints: [{ contextName: 'plan', operator: 'IN', values: [ENTERPRISE_PLAN] }],
      },
      {
        name: 'flexibleRollout',
        parameters: { rollout: String(ROLLOUT_PERCENT), stickiness: 'userId', groupId: name },
        constraints: [],
      },
    ],
  } as FeatureDefinition;
}

async function setup(scenario: Scenario): Promise<PreparedScenario> {
  const unleash = new Unleash({
    appName: 'switchyard-eval-bench',
    url: 'http://unleash.invalid/api/', // required by the constructor; never contacted
    refreshInterval: 0, // 0 turns polling off: the fetcher returns before any request
    disableMetrics: true,
    metricsInterval: 0, // no registration call either
    storageProvider: new InMemStorageProvider(), // no backup file in the temp directory
    bootstrap: { data: scenario.flagKeys.map((key) => feature(scenario, key)) },
    skipInstanceCountWarning: true,
  });
  await new Promise<void>((resolve, reject) => {
    unleash.once(UnleashEvents.Ready, () => resolve());
    unleash.once(UnleashEvents.Error, reject);
  });

  const flagKeys = scenario.flagKeys;
  const contexts = scenario.users.map((user) => ({
    userId: user.key,
    properties: { plan: user.plan },
  }));
  return {
    mode: 'sync',
    evaluate: (userIndex, flagIndex) =>
      unleash.isEnabled(flagKeys[flagIndex]!, contexts[userIndex]!, false),
    dispose: () => unleash.destroy(),
  };
}

export const engines: readonly BenchEngine[] = [
  {
    id: 'unleash',
    label: `unleash-client ${peerVersion('unleash-client')}`,
    side: 'peer',
    setup,
  },
];
