import { toClientSnapshot, type Flag, type Segment, type Snapshot } from '@switchyard/core';

const withoutKeyLists = <T extends Flag | Segment>(entry: T): T => {
  const { targets: _t, included: _i, excluded: _e, ...rest } = entry as Flag & Segment;
  return rest as T;
};

/**
 * Client snapshots (core's toClientSnapshot) of successive versions of one environment,
 * hashing only what changed. Hashing every context key costs ~10 µs a key, so re-projecting
 * a large environment on every change would cost hundreds of milliseconds. Entries are
 * immutable and keep their identity across patches, so each projection is remembered by
 * the entry it came from; entries already projected go through core without their key
 * lists (nothing to hash; their rules still decide which segments are visible) and are
 * swapped for the remembered projection.
 */
export class ClientProjection {
  private readonly projected = new WeakMap<Flag | Segment, Flag | Segment>();

  constructor(private readonly keySalt: string) {}

  /** The client snapshot of `snapshot`. */
  project(snapshot: Snapshot): Snapshot {
    const known = <T extends Flag | Segment>(entries: Record<string, T>): Record<string, T> =>
      Object.fromEntries(
        Object.entries(entries).map(([key, entry]) => [
          key,
          this.projected.has(entry) ? withoutKeyLists(entry) : entry,
        ]),
      );
    const client = toClientSnapshot(
      { ...snapshot, flags: known(snapshot.flags), segments: known(snapshot.segments) },
      this.keySalt,
    );
    const reuse = <T extends Flag | Segment>(
      sources: Record<string, T>,
      out: Record<string, T>,
    ): void => {
      for (const key of Object.keys(out)) {
        const source = sources[key]!;
        const remembered = this.projected.get(source);
        if (remembered === undefined) this.projected.set(source, out[key]!);
        else out[key] = remembered as T;
      }
    };
    reuse(snapshot.flags, client.flags);
    reuse(snapshot.segments, client.segments);
    return client;
  }
}
