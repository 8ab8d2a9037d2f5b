import type { BucketCache, CompiledSnapshot, Snapshot } from '@switchyard/core';
import type { RelayMessage } from '@switchyard/core/protocol';
import { Backoff, type BackoffOptions } from './backoff';
import { type Clock, type Logger, silentLogger, systemClock } from './platform';
import { type ApplyOutcome, SnapshotHolder } from './snapshot-holder';
import type { SnapshotTransport, TransportClose, TransportConnection } from './transport';

/**
 * NOT_READY: no snapshot yet. READY: serving a snapshot the relay confirmed (or one from a
 * cache, see `live`). STALE: the connection is lost; the last snapshot is served while
 * reconnecting. ERROR: stale for longer than the grace period, or the key was refused.
 */
export type SyncStatus = 'NOT_READY' | 'READY' | 'STALE' | 'ERROR';

/** A change of the held snapshot. */
export interface SnapshotChange {
  compiled: CompiledSnapshot;
  /** Flags whose evaluation may differ, including through segments and prerequisites. */
  changedFlags: string[];
  source: 'put' | 'patch';
}

/** A status change, with what caused it. */
export interface StatusChange {
  status: SyncStatus;
  previous: SyncStatus;
  message?: string;
  /** True when retrying cannot help (a refused key): the client stopped. */
  fatal?: boolean;
}

/** Counters of what the client received, for health checks and tests. */
export interface SyncStats {
  /** Connections opened (the first, and every reconnect). */
  connections: number;
  /** Full snapshots applied. */
  puts: number;
  /** Patches applied. */
  patches: number;
  /** Payloads refused (not a snapshot, stale, or not applicable). */
  refused: number;
}

/** Options of SyncClient; every default is documented. */
export interface SyncClientOptions {
  transport: SnapshotTransport;
  /** Time and timers. Default: the real clock. */
  clock?: Clock;
  /** Randomness for jitter. Default: Math.random. */
  random?: () => number;
  /** Reconnect backoff. Default: 1 s doubling to 30 s, full jitter, reset after 60 s healthy. */
  backoff?: BackoffOptions;
  /** How long STALE lasts before ERROR. Default 60000 ms. */
  staleGraceMs?: number;
  /** A snapshot to serve before the relay answers (a cache file, localStorage). */
  initialSnapshot?: Snapshot;
  /** Bucket cache for compiled snapshots. Default: core's shared bounded Map. */
  bucketCache?: BucketCache | null;
  logger?: Logger;
  onChange?: (change: SnapshotChange) => void;
  onStatus?: (change: StatusChange) => void;
}

/**
 * Keeps a compiled snapshot live from the relay through one transport: applies puts and
 * patches through core, resyncs on a gap, reconnects with jittered backoff, and runs the
 * status machine. Everything time-related goes through the injected clock.
 */
export class SyncClient {
  readonly #options: SyncClientOptions;
  readonly #holder: SnapshotHolder;
  readonly #clock: Clock;
  readonly #backoff: Backoff;
  readonly #logger: Logger;
  readonly #staleGraceMs: number;
  #status: SyncStatus = 'NOT_READY';
  #connection: TransportConnection | undefined;
  /** Identifies the current connection, so late events of a closed one are ignored. */
  #attempt: object | undefined;
  #reconnectTimer: unknown;
  #errorTimer: unknown;
  #stopped = true;
  #confirmedAt: number | undefined;
  #live = false;
  readonly #counters: SyncStats = { connections: 0, puts: 0, patches: 0, refused: 0 };

  constructor(options: SyncClientOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#backoff = new Backoff(options.backoff ?? {}, options.random ?? Math.random);
    this.#logger = options.logger ?? silentLogger;
    this.#holder = new SnapshotHolder(options.bucketCache);
    this.#staleGraceMs = options.staleGraceMs ?? 60_000;
    if (this.#staleGraceMs < 0) throw new RangeError('staleGraceMs must not be negative');
  }

  /** The status of the connection and snapshot. */
  get status(): SyncStatus {
    return this.#status;
  }

  /** The snapshot being served, if any. */
  get snapshot(): CompiledSnapshot | undefined {
    return this.#holder.current;
  }

  /** Whether the relay confirmed the held snapshot since start (false while serving a cache). */
  get live(): boolean {
    return this.#live;
  }

  /** What the client received so far. */
  get stats(): Readonly<SyncStats> {
    return { ...this.#counters };
  }

  /** When the relay last confirmed the snapshot was current (clock ms), if ever. */
  get confirmedAtMs(): number | undefined {
    return this.#confirmedAt;
  }

  /** Starts syncing; with an initial snapshot the client is READY at once (not yet live). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const initial = this.#options.initialSnapshot;
    if (initial !== undefined && this.#holder.current === undefined) {
      const outcome = this.#holder.put(initial);
      if (outcome.kind === 'applied') {
        this.#setStatus('READY', 'serving the cached snapshot until the relay confirms it');
        this.#changed(outcome, 'put');
      } else if (outcome.kind === 'refused') {
        this.#logger.warn('ignoring the initial snapshot', { reason: outcome.reason });
      }
    }
    this.#connect(this.#holder.current?.version);
  }

  /** Stops syncing and releases the connection and timers. */
  stop(): void {
    this.#stopped = true;
    this.#clock.clearTimeout(this.#reconnectTimer);
    this.#clock.clearTimeout(this.#errorTimer);
    this.#drop();
  }

  /** Forgets the current connection (its late events are ignored) and closes it. */
  #drop(): void {
    this.#attempt = undefined;
    this.#connection?.close();
    this.#connection = undefined;
  }

  #connect(since: number | undefined): void {
    if (this.#stopped) return;
    const attempt = {};
    this.#attempt = attempt;
    const current = () => this.#attempt === attempt;
    let first = true;
    let opened = false;
    const connection = this.#options.transport.connect(since, {
      onOpen: () => {
        if (!current()) return;
        opened = true;
        this.#counters.connections++;
        this.#backoff.success(this.#clock.now());
        // Connected with the held version: the relay sends only what changed, maybe nothing.
        if (this.#holder.current !== undefined) this.#confirm();
      },
      onMessage: (message) => {
        if (!current()) return;
        this.#receive(message, first);
        first = false;
      },
      onGarbage: (detail) => {
        if (current()) this.#logger.warn('ignoring a payload from the relay', { detail });
      },
      onClose: (reason) => {
        if (current()) this.#lost(reason, opened);
      },
    });
    if (current()) this.#connection = connection;
  }

  #receive(message: RelayMessage, firstOnConnection: boolean): void {
    let outcome: ApplyOutcome;
    if (message.type === 'put') {
      const { type: _type, ...snapshot } = message;
      const held = this.#holder.current;
      if (firstOnConnection && held !== undefined && snapshot.version < held.version) {
        this.#logger.warn('the relay is behind the held snapshot; taking its snapshot', {
          held: held.version,
          relay: snapshot.version,
        });
      }
      outcome = this.#holder.put(snapshot, firstOnConnection);
    } else {
      const { type: _type, ...patch } = message;
      outcome = this.#holder.patch(patch);
    }
    if (outcome.kind === 'refused') {
      this.#counters.refused++;
      this.#logger.warn('refused a message from the relay; keeping the previous snapshot', {
        reason: outcome.reason,
      });
      // A patch that does not apply asks for a full snapshot: reconnect without a version.
      if (outcome.resync) {
        this.#drop();
        this.#connect(undefined);
      }
      return;
    }
    if (outcome.kind === 'applied') {
      this.#counters[message.type === 'put' ? 'puts' : 'patches']++;
      this.#changed(outcome, message.type);
    }
    this.#confirm();
  }

  #changed(outcome: Extract<ApplyOutcome, { kind: 'applied' }>, source: 'put' | 'patch'): void {
    this.#options.onChange?.({
      compiled: outcome.compiled,
      changedFlags: outcome.changedFlags,
      source,
    });
  }

  /** The relay confirmed the held snapshot is current. */
  #confirm(): void {
    const wasLive = this.#live;
    this.#confirmedAt = this.#clock.now();
    this.#live = true;
    this.#clock.clearTimeout(this.#errorTimer);
    this.#errorTimer = undefined;
    if (this.#status !== 'READY') {
      this.#setStatus('READY');
    } else if (!wasLive) {
      // READY from a cache, now confirmed: say so, so hosts re-read values no longer CACHED.
      this.#options.onStatus?.({
        status: 'READY',
        previous: 'READY',
        message: 'the relay confirmed the cached snapshot',
      });
    }
  }

  #lost(reason: TransportClose, hadOpened: boolean): void {
    this.#attempt = undefined;
    this.#connection = undefined;
    if (reason.fatal) {
      this.stop();
      this.#setStatus('ERROR', reason.message, true);
      return;
    }
    // Only attempts that never connected escalate: a relay restart or a dropped stream gets
    // a quick, jittered first retry, so thousands of clients return within seconds.
    if (hadOpened) this.#backoff.reset();
    const delay = this.#backoff.fail(this.#clock.now());
    this.#logger.debug('connection lost; reconnecting', { reason: reason.message, delayMs: delay });
    if (this.#holder.current !== undefined && this.#status === 'READY')
      this.#setStatus('STALE', reason.message);
    if (this.#errorTimer === undefined && this.#status !== 'ERROR') {
      this.#errorTimer = this.#clock.setTimeout(() => {
        this.#errorTimer = undefined;
        this.#setStatus('ERROR', `no connection to the relay for ${this.#staleGraceMs} ms`);
      }, this.#staleGraceMs);
    }
    this.#clock.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = this.#clock.setTimeout(
      () => this.#connect(this.#holder.current?.version),
      delay,
    );
  }

  #setStatus(status: SyncStatus, message?: string, fatal?: boolean): void {
    const previous = this.#status;
    if (previous === status && fatal !== true) return;
    this.#status = status;
    this.#options.onStatus?.({
      status,
      previous,
      ...(message === undefined ? {} : { message }),
      ...(fatal ? { fatal } : {}),
    });
  }
}

/** What a provider tells about its snapshot, for apps and health checks. */
export interface SnapshotInfo {
  status: SyncStatus;
  /** The version being served, if any. */
  version: number | undefined;
  /** Milliseconds since the relay last confirmed the snapshot is current (undefined: never). */
  ageMs: number | undefined;
  /** False while serving a cached snapshot the relay has not confirmed yet. */
  live: boolean;
  /** Connections, puts and patches received so far. */
  stats: SyncStats;
}

/** Describes a sync client (or its absence, before initialization) at time `now` (clock ms). */
export function describeSync(sync: SyncClient | undefined, now: number): SnapshotInfo {
  const confirmed = sync?.confirmedAtMs;
  return {
    status: sync?.status ?? 'NOT_READY',
    version: sync?.snapshot?.version,
    ageMs: confirmed === undefined ? undefined : now - confirmed,
    live: sync?.live ?? false,
    stats: sync?.stats ?? { connections: 0, puts: 0, patches: 0, refused: 0 },
  };
}
