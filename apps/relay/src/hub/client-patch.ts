import type { Flag, Patch, Segment, Snapshot } from '@switchyard/core';

/** A patch with the `from` every streamed patch carries (DESIGN §5). */
export type StreamPatch = Patch & {
  from: number;
  flags: Record<string, Flag>;
  segments: Record<string, Segment>;
  deleted: { flags: string[]; segments: string[] };
};

function diffEntries<T extends { version: number }>(
  before: Readonly<Record<string, T>>,
  after: Readonly<Record<string, T>>,
): { changed: Record<string, T>; deleted: string[] } {
  const changed: Record<string, T> = {};
  for (const [key, entry] of Object.entries(after)) {
    // Every write stamps the new version on the entry, so equal versions mean equal
    // content; an entry newly visible (a segment a client flag starts using) is included.
    if (
      !Object.prototype.hasOwnProperty.call(before, key) ||
      before[key]!.version !== entry.version
    )
      changed[key] = entry;
  }
  const deleted = Object.keys(before).filter(
    (key) => !Object.prototype.hasOwnProperty.call(after, key),
  );
  return { changed, deleted };
}

/**
 * The client patch between two client snapshots of one environment: flags and segments
 * that appeared or changed, and those no longer visible (deleted, or no longer
 * client-side) as deletions. A change no client can see still yields a patch (empty) so
 * the `from` chain of client streams stays contiguous.
 */
export function diffClientSnapshots(before: Snapshot, after: Snapshot): StreamPatch {
  const flags = diffEntries(before.flags, after.flags);
  const segments = diffEntries(before.segments, after.segments);
  return {
    from: before.version,
    version: after.version,
    flags: flags.changed,
    segments: segments.changed,
    deleted: { flags: flags.deleted, segments: segments.deleted },
  };
}
