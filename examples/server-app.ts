// The README's example app: register the provider, read a flag, react to a change.
// Run it against `pnpm demo`:  pnpm tsx examples/server-app.ts
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { SwitchyardProvider } from '@switchyard/server-provider';

const relayUrl = process.env.RELAY_URL ?? 'http://127.0.0.1:8080';
await OpenFeature.setProviderAndWait(
  new SwitchyardProvider({ relayUrl, sdkKey: 'srv-demo-server-key' }),
);
const client = OpenFeature.getClient();

const user = { targetingKey: 'user_1', plan: 'free' };
console.log('new-checkout is', await client.getBooleanValue('new-checkout', false, user));

client.addHandler(ProviderEvents.ConfigurationChanged, async ({ flagsChanged }) => {
  console.log(
    'changed:',
    flagsChanged,
    '-> new-checkout is',
    await client.getBooleanValue('new-checkout', false, user),
  );
});
