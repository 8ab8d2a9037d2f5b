/**
 * The demo page: `switchyard-relay --demo` serves it at `/`. It connects to the relay it was
 * served from with the demo's client key, over SSE (`?transport=ws` or `?transport=poll` to
 * switch); `?user=` picks the first user. Served from elsewhere (`pnpm --filter
 * @switchyard/demo-web dev`, a CDN), `?relay=http://127.0.0.1:8080` names the relay; the
 * demo environment accepts any origin.
 */
import { OpenFeature } from '@openfeature/react-sdk';
import { SwitchyardWebProvider } from '@switchyard/web-provider';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { contextFor, DEFAULT_USER } from './demo-users';
import './styles.css';

declare global {
  interface Window {
    /** For a look from the console (and the browser tests): the provider and its transport. */
    switchyardDemo?: { provider: SwitchyardWebProvider; transport: string };
  }
}

const params = new URLSearchParams(window.location.search);
const asked = params.get('transport');
const transport = asked === 'ws' || asked === 'poll' ? asked : 'sse';
const initialUser = params.get('user')?.trim() || DEFAULT_USER;
const relayUrl = params.get('relay') ?? window.location.origin;

const provider = new SwitchyardWebProvider({
  relayUrl,
  clientKey: 'cli-demo-client-key',
  transport,
});
window.switchyardDemo = { provider, transport };
// The context first, so the first evaluations are already for this user.
void OpenFeature.setProviderAndWait(provider, contextFor(initialUser)).catch((error: unknown) =>
  console.warn('the flags provider is not ready yet (it keeps trying):', error),
);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App provider={provider} relayUrl={relayUrl} transport={transport} initialUser={initialUser} />
  </StrictMode>,
);
