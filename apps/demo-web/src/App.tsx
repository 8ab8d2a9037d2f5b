import {
  OpenFeature,
  OpenFeatureProvider,
  ProviderEvents,
  useBooleanFlagDetails,
  useBooleanFlagValue,
  useOpenFeatureClient,
  useOpenFeatureClientStatus,
  useStringFlagDetails,
  useStringFlagValue,
  type EvaluationDetails,
  type FlagValue,
} from '@openfeature/react-sdk';
import type { SnapshotInfo, SwitchyardWebProvider } from '@switchyard/web-provider';
import { useEffect, useState, type FormEvent } from 'react';
import { DEFAULTS, PAGE_FLAGS, type PageFlag } from './demo-flags';
import { contextFor, DEMO_USERS } from './demo-users';

/** What the page was started with (see main.tsx). */
export interface AppProps {
  provider: SwitchyardWebProvider;
  relayUrl: string;
  transport: string;
  initialUser: string;
}

/** The whole page: the provider's status, the user switcher, the flags and what they drive. */
export function App({ provider, relayUrl, transport, initialUser }: AppProps) {
  return (
    <OpenFeatureProvider>
      <main>
        <header>
          <h1>Switchyard: live flags in the browser</h1>
          <p>
            This page evaluates the demo flags locally with <code>@switchyard/web-provider</code>{' '}
            and <code>@openfeature/react-sdk</code>. Change a flag on the relay and the page
            re-renders at once; switch the user and it re-evaluates without a request.
          </p>
        </header>
        <StatusPanel provider={provider} relayUrl={relayUrl} transport={transport} />
        <UserSwitcher initialUser={initialUser} />
        <FlagTable />
        <Preview />
        <ChangeLog />
        <TryIt relayUrl={relayUrl} />
      </main>
    </OpenFeatureProvider>
  );
}

/** The provider status (from the SDK) and the snapshot it serves (from the provider). */
function StatusPanel({
  provider,
  relayUrl,
  transport,
}: {
  provider: SwitchyardWebProvider;
  relayUrl: string;
  transport: string;
}) {
  const status = useOpenFeatureClientStatus();
  const info = useSnapshotInfo(provider);
  return (
    <section className="status" aria-label="provider status">
      <dl>
        <dt>provider</dt>
        <dd data-testid="provider-status" className={`status-${status.toLowerCase()}`}>
          {status}
        </dd>
        <dt>relay</dt>
        <dd data-testid="relay-url">{relayUrl}</dd>
        <dt>transport</dt>
        <dd data-testid="transport">{transport}</dd>
        <dt>snapshot version</dt>
        <dd data-testid="snapshot-version">{info.version ?? '—'}</dd>
        <dt>snapshot</dt>
        <dd data-testid="snapshot-live">{info.live ? 'live' : 'cached'}</dd>
        <dt>connections</dt>
        <dd data-testid="snapshot-connections">{info.stats.connections}</dd>
      </dl>
    </section>
  );
}

/** provider.snapshotInfo(), refreshed on every provider event and once a second (for the age). */
function useSnapshotInfo(provider: SwitchyardWebProvider): SnapshotInfo {
  const client = useOpenFeatureClient();
  const [info, setInfo] = useState(() => provider.snapshotInfo());
  useEffect(() => {
    const update = () => setInfo(provider.snapshotInfo());
    const controller = new AbortController();
    for (const event of [
      ProviderEvents.Ready,
      ProviderEvents.Stale,
      ProviderEvents.Error,
      ProviderEvents.ConfigurationChanged,
      ProviderEvents.ContextChanged,
    ])
      client.addHandler(event, update, { signal: controller.signal });
    const timer = setInterval(update, 1000);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [client, provider]);
  return info;
}

/** Picks the evaluation context: a listed user or any targeting key. No request is made. */
function UserSwitcher({ initialUser }: { initialUser: string }) {
  const [current, setCurrent] = useState(initialUser);
  const [typed, setTyped] = useState('');
  const choose = (targetingKey: string) => {
    setCurrent(targetingKey);
    // Every flag hook re-renders on CONTEXT_CHANGED, evaluated locally from the snapshot.
    void OpenFeature.setContext(contextFor(targetingKey));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const key = typed.trim();
    if (key !== '') choose(key);
  };
  return (
    <section className="users" aria-label="user">
      <h2>
        User: <code data-testid="current-user">{current}</code>
      </h2>
      <div className="user-buttons">
        {DEMO_USERS.map((user) => (
          <button
            key={user.key}
            type="button"
            data-testid={`user-${user.key}`}
            aria-pressed={current === user.key}
            title={user.note}
            onClick={() => choose(user.key)}
          >
            {user.key}
          </button>
        ))}
      </div>
      <form onSubmit={submit}>
        <label>
          any targetingKey{' '}
          <input
            data-testid="custom-user-input"
            value={typed}
            placeholder="e.g. user_1234"
            onChange={(event) => setTyped(event.target.value)}
          />
        </label>{' '}
        <button type="submit" data-testid="custom-user-apply">
          use it
        </button>
      </form>
      <p className="note">{DEMO_USERS.find((user) => user.key === current)?.note ?? ''}</p>
    </section>
  );
}

/** One row per demo flag: value, variant, reason, error code. */
function FlagTable() {
  return (
    <section aria-label="flags">
      <h2>Flags</h2>
      <table>
        <thead>
          <tr>
            <th>flag</th>
            <th>value</th>
            <th>variant</th>
            <th>reason</th>
            <th>error</th>
          </tr>
        </thead>
        <tbody>
          {PAGE_FLAGS.map((flag) =>
            flag.type === 'boolean' ? (
              <BooleanFlagRow key={flag.key} flag={flag} />
            ) : (
              <StringFlagRow key={flag.key} flag={flag} />
            ),
          )}
        </tbody>
      </table>
    </section>
  );
}

function BooleanFlagRow({ flag }: { flag: PageFlag }) {
  return <FlagRow flag={flag} details={useBooleanFlagDetails(flag.key, DEFAULTS.boolean)} />;
}

function StringFlagRow({ flag }: { flag: PageFlag }) {
  return <FlagRow flag={flag} details={useStringFlagDetails(flag.key, DEFAULTS.string)} />;
}

function FlagRow({ flag, details }: { flag: PageFlag; details: EvaluationDetails<FlagValue> }) {
  const id = `flag-${flag.key}`;
  return (
    <tr data-testid={id} className={flag.serverOnly === true ? 'server-only' : undefined}>
      <td>
        <code>{flag.key}</code>
        <div className="about">{flag.about}</div>
      </td>
      <td data-testid={`${id}-value`} className={`value value-${String(details.value)}`}>
        {String(details.value)}
      </td>
      <td data-testid={`${id}-variant`}>{details.variant ?? ''}</td>
      <td data-testid={`${id}-reason`}>{details.reason ?? ''}</td>
      <td data-testid={`${id}-error`}>{details.errorCode ?? ''}</td>
    </tr>
  );
}

/** What the flags change for the user: the checkout, its button copy, the chat widget. */
function Preview() {
  const newCheckout = useBooleanFlagValue('new-checkout', DEFAULTS.boolean);
  const copy = useStringFlagValue('checkout-button-copy', DEFAULTS.string);
  const liveChat = useBooleanFlagValue('live-chat', DEFAULTS.boolean);
  return (
    <section aria-label="preview" className="preview">
      <h2>What this user sees</h2>
      <div className={newCheckout ? 'checkout new' : 'checkout classic'}>
        <span data-testid="preview-checkout">
          {newCheckout ? 'New one-page checkout' : 'Classic checkout'}
        </span>
        <button type="button" data-testid="preview-button">
          {copy}
        </button>
      </div>
      {liveChat ? (
        <div className="chat" data-testid="preview-chat">
          Chat with us
        </div>
      ) : null}
    </section>
  );
}

/** The CONFIGURATION_CHANGED events this page received, newest first. */
function ChangeLog() {
  const client = useOpenFeatureClient();
  const [changes, setChanges] = useState<{ at: string; flags: string[] }[]>([]);
  const [count, setCount] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    client.addHandler(
      ProviderEvents.ConfigurationChanged,
      (details) => {
        setCount((n) => n + 1);
        setChanges((previous) =>
          [
            { at: new Date().toLocaleTimeString(), flags: details?.flagsChanged ?? [] },
            ...previous,
          ].slice(0, 8),
        );
      },
      { signal: controller.signal },
    );
    return () => controller.abort();
  }, [client]);
  return (
    <section aria-label="changes">
      <h2>
        Changes received: <span data-testid="change-count">{count}</span>
      </h2>
      <ul data-testid="change-log">
        {changes.map((change, index) => (
          <li key={`${change.at}-${index}`}>
            {change.at}: {change.flags.length === 0 ? '(none)' : change.flags.join(', ')}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** How to change a flag from a terminal (the demo admin token is public, like the demo). */
function TryIt({ relayUrl }: { relayUrl: string }) {
  const admin = `${relayUrl.replace(/\/+$/, '')}/admin/v1/environments/demo/flags`;
  const auth = "-H 'Authorization: Bearer demo-admin-token'";
  return (
    <section aria-label="try it">
      <h2>Try it</h2>
      <pre>
        {[
          `curl -X POST ${auth} ${admin}/live-chat/enable`,
          `curl -X POST ${auth} ${admin}/new-checkout/disable`,
          `curl -X PUT ${auth} -H 'Content-Type: application/json' \\`,
          `  -d '{"variation":"on"}' ${admin}/new-checkout/fallthrough`,
        ].join('\n')}
      </pre>
    </section>
  );
}
