import type { Snapshot } from '@switchyard/core';
import type { ChangeRecord, FlagStore } from '../store/flag-store';
import { EnvironmentFeed } from './environment-feed';
import { StreamChannel } from './stream-channel';
import {
  silentHubObserver,
  type CloseReason,
  type HubObserver,
  type StreamKind,
  type Subscriber,
} from './subscriber';

/** Options of StreamHub; timers and randomness are injectable for tests. */
export interface StreamHubOptions {
  store: FlagStore;
  /** Environments streamed, with the salt of their client snapshots. */
  environments: Record<string, { keySalt: string }>;
  /** Encoded patches kept per audience for resume. Default 1000. */
  ringSize?: number;
  /** Unsent bytes above which a subscriber is dropped. Default 1 MiB. */
  maxSubscriberBufferBytes?: number;
  /** Close streams after this age (±10% jitter) with a reconnect hint; 0 = never. Default 0. */
  maxConnectionAgeMs?: number;
  /** Subscribers written per event-loop turn. Default 1000. */
  sliceSize?: number;
  observer?: HubObserver;
  yieldToLoop?: (next: () => void) => void;
  setTimer?: (run: () => void, ms: number) => { cancel(): void };
  random?: () => number;
  now?: () => number;
}

/** What `subscribe` needs: where, for whom, and the version the client already holds. */
export interface Subscription {
  environment: string;
  kind: StreamKind;
  subscriber: Subscriber;
  /** From `Last-Event-ID` or a WebSocket hello; undefined = send a full put. */
  since?: number;
}

const realTimer = (run: () => void, ms: number): { cancel(): void } => {
  const timer = setTimeout(run, ms);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

/**
 * The transport-agnostic heart of the relay's streams. For each environment and audience
 * it holds the current snapshot and encodes every store change once (SSE and WebSocket
 * bytes built once), then hands the same bytes to every subscriber. Resume, slow-consumer
 * drops and connection age are decided here; transports only move bytes.
 */
export class StreamHub {
  private readonly feeds = new Map<string, EnvironmentFeed>();
  private readonly channels = new Map<string, StreamChannel>();
  private readonly ageTimers = new Map<Subscriber, { cancel(): void }>();
  private readonly observer: HubObserver;
  private stopListening: (() => void) | undefined;

  constructor(private readonly options: StreamHubOptions) {
    this.observer = options.observer ?? silentHubObserver;
  }

  /** Loads each environment's snapshot from the store and follows its changes. */
  start(): void {
    const { store } = this.options;
    for (const [environment, { keySalt }] of Object.entries(this.options.environments)) {
      const snapshot = store.snapshot(environment) ?? emptySnapshot(environment);
      this.feeds.set(
        environment,
        new EnvironmentFeed(snapshot, {
          keySalt,
          ringSize: this.options.ringSize ?? 1000,
          changesSince: (version) => store.changesSince(environment, version),
        }),
      );
    }
    this.stopListening = store.onChange((change) => this.onChange(change));
  }

  /** What is streamed for an environment (its current snapshot and encoded puts), if it is streamed. */
  feed(environment: string): EnvironmentFeed | undefined {
    return this.feeds.get(environment);
  }

  /** Subscribers connected, across every environment and audience. */
  get connections(): number {
    let total = 0;
    for (const channel of this.channels.values()) total += channel.size;
    return total;
  }

  /**
   * Starts a stream: sends what the subscriber misses (nothing, patches, or a put) and
   * then every change. Answers the function to call when the connection closes.
   */
  subscribe(subscription: Subscription): () => void {
    const { environment, kind, subscriber, since } = subscription;
    const feed = this.feeds.get(environment);
    if (feed === undefined) throw new Error(`unknown environment ${environment}`);
    const channel = this.channel(environment, kind);
    channel.add(subscriber, feed.catchUp(kind, since), feed.version);
    const maxAge = this.options.maxConnectionAgeMs ?? 0;
    if (maxAge > 0) {
      // Jitter spreads the reconnects of streams opened together (after a restart, say).
      const ms = maxAge * (0.9 + 0.2 * (this.options.random ?? Math.random)());
      const setTimer = this.options.setTimer ?? realTimer;
      this.ageTimers.set(
        subscriber,
        setTimer(() => this.close(channel, subscriber, 'max-age'), ms),
      );
    }
    return () => {
      this.ageTimers.get(subscriber)?.cancel();
      this.ageTimers.delete(subscriber);
      channel.remove(subscriber);
    };
  }

  /** Stops following the store and closes every stream with `reason`. */
  stop(reason: CloseReason = 'shutdown'): void {
    this.stopListening?.();
    this.stopListening = undefined;
    for (const timer of this.ageTimers.values()) timer.cancel();
    this.ageTimers.clear();
    for (const channel of this.channels.values()) channel.closeAll(reason);
  }

  private close(channel: StreamChannel, subscriber: Subscriber, reason: CloseReason): void {
    this.ageTimers.delete(subscriber);
    if (channel.remove(subscriber)) subscriber.close(reason);
  }

  private channel(environment: string, kind: StreamKind): StreamChannel {
    const id = `${kind}\u0000${environment}`;
    let channel = this.channels.get(id);
    if (channel === undefined) {
      channel = new StreamChannel({
        environment,
        kind,
        maxBufferedBytes: this.options.maxSubscriberBufferBytes ?? 1024 * 1024,
        sliceSize: this.options.sliceSize ?? 1000,
        yieldToLoop: this.options.yieldToLoop ?? ((next) => setImmediate(next)),
        observer: this.observer,
      });
      this.channels.set(id, channel);
    }
    return channel;
  }

  private onChange(change: ChangeRecord): void {
    const feed = this.feeds.get(change.environment);
    if (feed === undefined || change.version <= feed.version) return; // not streamed, or already seen
    // A change that does not follow what we hold means we missed one: resync from the store.
    const messages =
      feed.apply(change) ??
      feed.reset(this.options.store.snapshot(change.environment) ?? feed.snapshot);
    const committed = Date.parse(change.committedAt);
    if (Number.isFinite(committed)) {
      this.observer.enqueued(
        change.environment,
        Math.max(0, (this.options.now ?? Date.now)() - committed),
      );
    }
    for (const kind of ['server', 'client', 'ofrep'] as const) {
      this.channels.get(`${kind}\u0000${change.environment}`)?.publish(messages[kind]);
    }
  }
}

function emptySnapshot(environment: string): Snapshot {
  return { schemaVersion: 1, environment, version: 0, flags: {}, segments: {} };
}
