import { toServerSnapshot, type Snapshot } from '@switchyard/core';
import type { ChangeRecord, ChangesSince } from '../store/flag-store';
import { diffClientSnapshots } from './client-patch';
import { ClientProjection } from './client-projection';
import { applyChange, serverPatchJson } from './server-patch';
import type { EncodedMessage, StreamKind } from './subscriber';
import { RefetchMessage, WireMessage } from './wire-frames';

/** Options of an EnvironmentFeed. */
export interface EnvironmentFeedOptions {
  /** Salt of hashed context keys in client snapshots. */
  keySalt: string;
  /** How many encoded patches to keep per audience for resume. */
  ringSize: number;
  /** The store's own change ring, used when ours does not reach back far enough. */
  changesSince: (version: number) => ChangesSince;
}

/**
 * One environment as the streams see it: the server and client snapshots at the current
 * version, their puts encoded once per version, and rings of recently encoded patches.
 * Knows nothing of subscribers; StreamHub routes the messages it makes.
 */
export class EnvironmentFeed {
  private server: Snapshot;
  private client: Snapshot;
  private readonly puts = new Map<'server' | 'client', WireMessage>();
  private readonly rings: Record<'server' | 'client', WireMessage[]> = { server: [], client: [] };
  private lastRefetch: RefetchMessage;
  private readonly projection: ClientProjection;

  constructor(
    snapshot: Snapshot,
    private readonly options: EnvironmentFeedOptions,
  ) {
    this.projection = new ClientProjection(options.keySalt);
    this.server = snapshot;
    this.client = this.projection.project(snapshot);
    this.lastRefetch = new RefetchMessage(snapshot.version, undefined);
  }

  /** The version every message so far brings a subscriber to. */
  get version(): number {
    return this.server.version;
  }

  /** The full snapshot (with admin-only fields) at the current version. */
  get snapshot(): Snapshot {
    return this.server;
  }

  /** The put of an audience at the current version, encoded once. */
  put(audience: 'server' | 'client'): WireMessage {
    let put = this.puts.get(audience);
    if (put === undefined || put.version !== this.version) {
      const body = audience === 'server' ? toServerSnapshot(this.server) : this.client;
      put = new WireMessage('put', this.version, JSON.stringify(body));
      this.puts.set(audience, put);
    }
    return put;
  }

  /**
   * Applies a committed change on top of the current version and answers one message per
   * stream kind; undefined when the change does not follow the current version (the
   * caller resyncs with `reset`).
   */
  apply(change: ChangeRecord): Record<StreamKind, EncodedMessage> | undefined {
    if (change.from !== this.version) return undefined;
    const nextServer = applyChange(this.server, change);
    const nextClient = this.projection.project(nextServer);
    const serverPatch = new WireMessage('patch', change.version, serverPatchJson(change));
    const clientPatch = new WireMessage(
      'patch',
      change.version,
      JSON.stringify(diffClientSnapshots(this.client, nextClient)),
    );
    this.server = nextServer;
    this.client = nextClient;
    this.remember('server', serverPatch);
    this.remember('client', clientPatch);
    this.lastRefetch = new RefetchMessage(change.version, change.committedAt);
    return { server: serverPatch, client: clientPatch, ofrep: this.lastRefetch };
  }

  /** Replaces the state wholesale (a gap in the change feed): everyone gets a put. */
  reset(snapshot: Snapshot): Record<StreamKind, EncodedMessage> {
    this.server = snapshot;
    this.client = this.projection.project(snapshot);
    this.rings.server.length = 0;
    this.rings.client.length = 0;
    this.lastRefetch = new RefetchMessage(snapshot.version, undefined);
    return { server: this.put('server'), client: this.put('client'), ofrep: this.lastRefetch };
  }

  /**
   * What a subscriber that holds `since` (undefined: nothing) needs to reach the current
   * version: nothing when current, the missed patches when they are still held, else a put.
   * OFREP streams get one refetch notice unless they are current.
   */
  catchUp(kind: StreamKind, since: number | undefined): EncodedMessage[] {
    if (kind === 'ofrep') return since === this.version ? [] : [this.lastRefetch];
    if (since === undefined || !Number.isSafeInteger(since) || since < 0 || since > this.version)
      return [this.put(kind)];
    if (since === this.version) return [];
    const ring = this.rings[kind];
    const first = ring[0];
    if (first !== undefined && first.version - 1 <= since)
      return ring.slice(since - (first.version - 1));
    if (kind === 'server') return this.storedPatches(since) ?? [this.put(kind)];
    return [this.put(kind)];
  }

  /** Server patches from the store's ring, when it reaches back to `since` and up to now. */
  private storedPatches(since: number): EncodedMessage[] | undefined {
    const stored = this.options.changesSince(since);
    if (!stored.ok) return undefined;
    const changes = stored.changes.filter((change) => change.version <= this.version);
    if (changes.length === 0 || changes[changes.length - 1]!.version !== this.version)
      return undefined;
    return changes.map(
      (change) => new WireMessage('patch', change.version, serverPatchJson(change)),
    );
  }

  private remember(audience: 'server' | 'client', message: WireMessage): void {
    const ring = this.rings[audience];
    ring.push(message);
    if (ring.length > this.options.ringSize) ring.splice(0, ring.length - this.options.ringSize);
  }
}
