import type { Flag, Segment, Snapshot } from '@switchyard/core';

/** A boolean flag with variations `on`/`off`, offVariation `off`, fallthrough `off`. */
export function booleanFlag(key: string, overrides: Partial<Flag> = {}): Flag {
  return {
    key,
    version: 1,
    type: 'boolean',
    enabled: true,
    variations: [
      { name: 'on', value: true },
      { name: 'off', value: false },
    ],
    offVariation: 'off',
    fallthrough: { variation: 'off' },
    ...overrides,
  };
}

/** A string flag whose variations are named after their values. */
export function stringFlag(key: string, values: string[], overrides: Partial<Flag> = {}): Flag {
  return {
    key,
    version: 1,
    type: 'string',
    enabled: true,
    variations: values.map((value) => ({ name: value, value })),
    fallthrough: { variation: values[0]! },
    ...overrides,
  };
}

/** A segment with the given parts. */
export function segment(key: string, overrides: Partial<Segment> = {}): Segment {
  return { key, version: 1, ...overrides };
}

/** An environment snapshot holding the given flags and segments. */
export function snapshotOf(
  flags: Flag[],
  segments: Segment[] = [],
  overrides: Partial<Snapshot> = {},
): Snapshot {
  return {
    schemaVersion: 1,
    environment: 'test',
    version: Math.max(1, ...flags.map((f) => f.version), ...segments.map((s) => s.version)),
    flags: Object.fromEntries(flags.map((flag) => [flag.key, flag])),
    segments: Object.fromEntries(segments.map((s) => [s.key, s])),
    ...overrides,
  };
}
