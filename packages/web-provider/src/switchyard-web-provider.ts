import {
  ErrorCode,
  GeneralError,
  OpenFeatureEventEmitter,
  ProviderEvents,
  ProviderFatalError,
  type EvaluationContext,
  type JsonValue,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/web-sdk';
import { type CompiledSnapshot, type FlagType, type Snapshot } from '@switchyard/core';
import {
  PollingTransport,
  SseTransport,
  SyncClient,
  WebSocketTransport,
  silentLogger,
  type SnapshotChange,
  type SnapshotTransport,
  type StatusChange,
  describeSync,
  type SnapshotInfo,
  resolveFromSync,
} from '@switchyard/sync';
import { browserPlatform } from './browser-platform';
import {
  resolveOptions,
  type ResolvedOptions,
  type SwitchyardWebProviderOptions,
  type WebPlatform,
} from './options';
import { SnapshotCache } from './snapshot-cache';

/** Serves the offline snapshot and never connects anywhere. */
const staticTransport: SnapshotTransport = {
  name: 'static',
  connect: (_since, handlers) => (handlers.onOpen(), { close() {} }),
};

/**
 * OpenFeature web provider for Switchyard. Evaluates locally and synchronously through core
 * from a client snapshot (clientSide flags only, context keys hashed) that the relay keeps
 * live over SSE, WebSocket or polling, so a context change needs no request. The last
 * snapshot is kept in localStorage: a returning page is READY at once, answering reason
 * CACHED until the relay confirms it. Resolvers never throw.
 */
export class SwitchyardWebProvider implements Provider {
  readonly metadata = { name: 'switchyard' } as const;
  readonly runsOn = 'client' as const;
  readonly events = new OpenFeatureEventEmitter();
  readonly #options: ResolvedOptions;
  readonly #platform: WebPlatform;
  readonly #cache: SnapshotCache | undefined;
  /** TypeScript-private rather than #private: a test swaps it to prove resolvers never throw. */
  private sync: SyncClient | undefined;
  /** The snapshot read from storage, which need not be written back. */
  #restored: Snapshot | undefined;
  /** Whether initialize() has settled: from then on the provider's own events are news. */
  #started = false;
  #lastStatus: StatusChange | undefined;
  #readyWaiters: { resolve(): void; reject(error: Error): void }[] = [];

  constructor(options: SwitchyardWebProviderOptions) {
    this.#options = resolveOptions(options, silentLogger);
    this.#platform = browserPlatform(options.platform);
    const { storage, relayUrl, clientKey, logger } = this.#options;
    this.#cache =
      storage === null || relayUrl === undefined || clientKey === undefined
        ? undefined
        : new SnapshotCache(storage, relayUrl, clientKey, logger);
  }

  #createTransport(): SnapshotTransport {
    if (this.#options.offline !== undefined) return staticTransport;
    const platform = this.#platform;
    // Browsers cannot put headers on EventSource or WebSocket; `?key=` also spares fetch a preflight.
    const endpoint = {
      relayUrl: this.#options.relayUrl!,
      key: this.#options.clientKey!,
      keyInQuery: true,
    };
    switch (this.#options.transport) {
      case 'ws':
        return new WebSocketTransport({ ...endpoint, createWebSocket: platform.createWebSocket });
      case 'poll':
        return new PollingTransport({
          ...endpoint,
          fetch: platform.fetch,
          clock: platform.clock,
          intervalMs: this.#options.pollIntervalMs,
        });
      default:
        return new SseTransport({
          ...endpoint,
          createEventSource: platform.createEventSource,
          fetch: platform.fetch,
        });
    }
  }

  #createSync(): SyncClient {
    const { offline, logger } = this.#options;
    this.#restored = offline?.snapshot ?? this.#cache?.read();
    return new SyncClient({
      transport: this.#createTransport(),
      clock: this.#platform.clock,
      random: this.#platform.random,
      staleGraceMs: this.#options.staleGraceMs,
      backoff: this.#options.backoff,
      logger,
      ...(this.#restored === undefined ? {} : { initialSnapshot: this.#restored }),
      onChange: (change) => this.#onChange(change),
      onStatus: (change) => this.#onStatus(change),
    });
  }

  #onChange(change: SnapshotChange): void {
    if (change.compiled.snapshot !== this.#restored) this.#cache?.save(change.compiled.snapshot);
    // Before initialize settles the SDK reports READY itself; after, every change is news.
    if (this.#started)
      this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: change.changedFlags });
  }

  #onStatus(change: StatusChange): void {
    this.#lastStatus = change;
    if (change.status === 'READY') {
      for (const waiter of this.#readyWaiters.splice(0)) waiter.resolve();
    } else if (change.status === 'ERROR' && change.fatal) {
      const error = new ProviderFatalError(change.message);
      for (const waiter of this.#readyWaiters.splice(0)) waiter.reject(error);
    }
    this.#announce(change);
  }

  /** Tells the SDK about a status; READY and ERROR only once initialize() has settled. */
  #announce(change: StatusChange): void {
    const { message } = change;
    if (change.status === 'STALE') {
      this.events.emit(ProviderEvents.Stale, { message });
    } else if (this.#started && change.status === 'READY') {
      this.events.emit(ProviderEvents.Ready, { message });
    } else if (this.#started && change.status === 'ERROR') {
      this.events.emit(ProviderEvents.Error, {
        message,
        errorCode: change.fatal ? ErrorCode.PROVIDER_FATAL : ErrorCode.GENERAL,
      });
    }
  }

  /**
   * Resolves on the first snapshot: at once from offline or a cached snapshot, else when the
   * relay sends one; rejects after `initTimeoutMs` (the provider keeps trying and turns READY
   * later), or at once if the key is refused (fatal).
   */
  async initialize(_context?: EvaluationContext): Promise<void> {
    const sync = (this.sync ??= this.#createSync());
    const ready = new Promise<void>((resolve, reject) =>
      this.#readyWaiters.push({ resolve, reject }),
    );
    sync.start();
    if (sync.status === 'READY') this.#readyWaiters.splice(0).forEach((waiter) => waiter.resolve());
    const { clock } = this.#platform;
    let timer: unknown;
    const timeout = new Promise<never>((_, reject) => {
      timer = clock.setTimeout(
        () => reject(new GeneralError(`no snapshot within ${this.#options.initTimeoutMs} ms`)),
        this.#options.initTimeoutMs,
      );
    });
    try {
      await Promise.race([ready, timeout]);
    } finally {
      clock.clearTimeout(timer);
      this.#started = true;
    }
  }

  /**
   * Nothing to reconcile: every evaluation is local, against the context the SDK passes, so a
   * new context needs no request and this returns at once (no RECONCILING; the SDK emits
   * CONTEXT_CHANGED). The SDK then marks the provider READY; if the connection is in fact
   * STALE or in ERROR, that is said again right after, so the status stays true.
   */
  onContextChange(_oldContext: EvaluationContext, _newContext: EvaluationContext): void {
    const last = this.#lastStatus;
    if (last !== undefined && (last.status === 'STALE' || last.status === 'ERROR'))
      void Promise.resolve().then(() => {
        if (this.#lastStatus === last) this.#announce(last);
      });
  }

  /** Stops syncing. The provider can be initialized again; it resumes from the held version. */
  async onClose(): Promise<void> {
    this.sync?.stop();
    this.#started = false;
  }

  /** The version being served, its age and the connection status. */
  snapshotInfo(): SnapshotInfo {
    return describeSync(this.sync, this.#platform.clock.now());
  }

  /** The compiled snapshot being served (for tools and tests). */
  get compiledSnapshot(): CompiledSnapshot | undefined {
    return this.sync?.snapshot;
  }

  #resolve<T>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
    type: FlagType,
  ): ResolutionDetails<T> {
    return resolveFromSync(
      this.sync,
      flagKey,
      defaultValue,
      context,
      type,
      true,
    ) as ResolutionDetails<T>;
  }

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): ResolutionDetails<boolean> {
    return this.#resolve(flagKey, defaultValue, context, 'boolean');
  }

  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
  ): ResolutionDetails<string> {
    return this.#resolve(flagKey, defaultValue, context, 'string');
  }

  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
  ): ResolutionDetails<number> {
    return this.#resolve(flagKey, defaultValue, context, 'number');
  }

  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): ResolutionDetails<T> {
    return this.#resolve(flagKey, defaultValue, context, 'object');
  }
}
