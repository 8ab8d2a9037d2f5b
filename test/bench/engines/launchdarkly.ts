import { basicLogger, init } from '@launchdarkly/node-server-sdk';
import { TestData } from '@launchdarkly/node-server-sdk/integrations';
import { ENTERPRISE_PLAN, ROLLOUT_PERCENT, type Scenario } from '../scenarios';
import { peerVersion, type BenchEngine, type PreparedScenario } from './engine';

/**
 * LaunchDarkly's server SDK fed by the TestData integration instead of streaming. Not
 * `offline: true`: in offline mode every variation call returns the default without
 * evaluating. The TestData builder has no percentage rollouts, so flags go in as full
 * LaunchDarkly flag JSON via usePreconfiguredFlag.
 */
export function flagJson(scenario: Scenario, key: string): Record<string, unknown> {
  const base = {
    key,
    version: 1,
    on: true,
    variations: [true, false],
    offVariation: 1,
    salt: key,
    targets: [],
    contextTargets: [],
    prerequisites: [],
    trackEvents: false,
    trackEventsFallthrough: false,
    clientSide: false,
    deleted: false,
  };
  if (scenario.flagKind === 'static-on')
    return { ...base, rules: [], fallthrough: { variation: 0 } };
  const onWeight = ROLLOUT_PERCENT * 1000; // LaunchDarkly weights are out of 100,000.
  return {
    ...base,
    rules: [
      {
        id: 'enterprise',
        clauses: [
          {
            contextKind: 'user',
            attribute: 'plan',
            op: 'in',
            values: [ENTERPRISE_PLAN],
            negate: false,
          },
        ],
        variation: 0,
        trackEvents: false,
      },
    ],
    fallthrough: {
      rollout: {
        variations: [
          { variation: 0, weight: onWeight },
          { variation: 1, weight: 100_000 - onWeight },
        ],
      },
    },
  };
}

async function setup(scenario: Scenario): Promise<PreparedScenario> {
  const testData = new TestData();
  for (const key of scenario.flagKeys) await testData.usePreconfiguredFlag(flagJson(scenario, key));
  const client = init('sdk-key-unused-by-test-data', {
    updateProcessor: testData.getFactory(), // replaces streaming/polling entirely
    sendEvents: false, // no event processor, hence no diagnostics either
    diagnosticOptOut: true,
    logger: basicLogger({ level: 'warn' }),
  });
  await client.waitForInitialization({ timeout: 10 });

  const flagKeys = scenario.flagKeys;
  const contexts = scenario.users.map((user) => ({ kind: 'user', key: user.key, plan: user.plan }));
  return {
    mode: 'async',
    // variationDetail, like ours, builds the full result (value, variation index, reason).
    evaluate: async (userIndex, flagIndex) =>
      (await client.variationDetail(flagKeys[flagIndex]!, contexts[userIndex]!, false)).value ===
      true,
    dispose: () => client.close(),
  };
}

export const engines: readonly BenchEngine[] = [
  {
    id: 'launchdarkly',
    label: `@launchdarkly/node-server-sdk ${peerVersion('@launchdarkly/node-server-sdk')} (variationDetail)`,
    side: 'peer',
    setup,
  },
];
