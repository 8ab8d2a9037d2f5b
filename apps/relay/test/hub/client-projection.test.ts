import { toClientSnapshot, type Snapshot } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { ClientProjection } from '../../src/hub/client-projection';
import { applyChange } from '../../src/hub/server-patch';
import type { ChangeRecord } from '../../src/store/flag-store';
import { demoSnapshot, segment } from './flag-fixtures';

const SALT = 'salt-1';

/** A change on top of `snapshot` writing the given entries at the next version. */
function change(
  snapshot: Snapshot,
  flags: Snapshot['flags'] = {},
  segments: Snapshot['segments'] = {},
  deleted: string[] = [],
): ChangeRecord {
  const version = snapshot.version + 1;
  const stamp = <T>(entries: Record<string, T>) =>
    Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, { ...e, version }]));
  const patch = {
    from: snapshot.version,
    version,
    flags: stamp(flags),
    segments: stamp(segments),
    deleted: { flags: deleted, segments: [] },
  };
  return {
    environment: snapshot.environment,
    from: snapshot.version,
    version,
    patch,
    patchJson: JSON.stringify(patch),
    committedAt: '',
  };
}

describe('ClientProjection', () => {
  it("answers exactly core's client snapshot after every change, reusing unchanged entries", () => {
    const projection = new ClientProjection(SALT);
    let snapshot: Snapshot = demoSnapshot();
    const first = projection.project(snapshot);
    expect(first).toEqual(toClientSnapshot(snapshot, SALT));

    const steps: ((s: Snapshot) => ChangeRecord)[] = [
      (s) =>
        change(s, {
          'client-flag': { ...s.flags['client-flag']!, targets: { on: ['alice', 'erin'] } },
        }),
      (s) => change(s, {}, { beta: segment('beta', { included: ['bob', 'frank'] }) }),
      (s) => change(s, { 'server-flag': { ...s.flags['server-flag']!, clientSide: true } }), // segment internal becomes visible
      (s) =>
        change(
          s,
          {},
          { internal: segment('internal', { included: ['carol', 'gina'], excluded: ['hal'] }) },
        ),
      (s) => change(s, { 'client-flag': { ...s.flags['client-flag']!, clientSide: false } }), // beta disappears
      (s) => change(s, {}, {}, ['server-flag']),
    ];
    let previous = first;
    for (const step of steps) {
      snapshot = applyChange(snapshot, step(snapshot));
      const projected = projection.project(snapshot);
      expect(projected).toEqual(toClientSnapshot(snapshot, SALT));
      for (const [key, flag] of Object.entries(projected.flags)) {
        if (previous.flags[key]?.version === flag.version) expect(flag).toBe(previous.flags[key]); // reused, not re-hashed
      }
      previous = projected;
    }
  });
});
