import { OpenFeature, type Provider } from '@openfeature/server-sdk';
import type { PreparedScenario } from '../engines/engine';
import type { Scenario } from '../scenarios';

let domains = 0;

/**
 * Registers `provider` with the OpenFeature server SDK under a domain of its own (so the
 * section's providers are all live at once and alternate, like the engines of the core
 * section), waits for it to be READY, and times `client.getBooleanValue(flag, false, context)`.
 * Contexts are plain OpenFeature contexts (`targetingKey`, `plan`), built before the timer.
 * A provider that fails or answers an error gives the default `false`, which the harness's
 * true-fraction check catches.
 */
export async function prepareOpenFeature(
  id: string,
  scenario: Scenario,
  provider: Provider,
  cleanup?: () => void | Promise<void>,
): Promise<PreparedScenario> {
  const domain = `bench-${id}-${scenario.id}-${++domains}`;
  await OpenFeature.setProviderAndWait(domain, provider);
  const client = OpenFeature.getClient(domain);
  if (client.providerStatus !== 'READY') {
    throw new Error(`${id}: provider status is ${client.providerStatus} after setProviderAndWait`);
  }
  if (client.metadata.providerMetadata.name !== provider.metadata.name) {
    throw new Error(`${id}: the client is bound to ${client.metadata.providerMetadata.name}`);
  }
  const flagKeys = scenario.flagKeys;
  const contexts = scenario.users.map((user) => ({ targetingKey: user.key, plan: user.plan }));
  return {
    mode: 'async',
    // The SDK's promise is handed straight to the harness, which awaits it: no extra async layer.
    evaluate: (userIndex, flagIndex) =>
      client.getBooleanValue(flagKeys[flagIndex]!, false, contexts[userIndex]!),
    dispose: async () => {
      // The domain is never reused, so the closed provider stays bound to nothing that runs.
      await provider.onClose?.();
      await cleanup?.();
    },
  };
}
