import type { Flag, Segment, Snapshot } from '@switchyard/core';

/** A boolean flag `on`/`off` serving `off`, with overrides. */
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

/** A segment with the given parts. */
export function segment(key: string, overrides: Partial<Segment> = {}): Segment {
  return { key, version: 1, ...overrides };
}

/**
 * The environment most tests use: a client-side flag targeting `alice` and using segment
 * `beta`, a server-only flag, and a segment only the server-only flag uses.
 */
export function demoSnapshot(environment = 'production'): Snapshot {
  return {
    schemaVersion: 1,
    environment,
    version: 1,
    flags: {
      'client-flag': booleanFlag('client-flag', {
        clientSide: true,
        targets: { on: ['alice'] },
        rules: [
          {
            id: 'r1',
            clauses: [{ attribute: 'key', operator: 'inSegment', values: ['beta'] }],
            variation: 'on',
          },
        ],
      }),
      'server-flag': booleanFlag('server-flag', {
        rules: [
          {
            id: 'r1',
            clauses: [{ attribute: 'key', operator: 'inSegment', values: ['internal'] }],
            variation: 'on',
          },
        ],
      }),
    },
    segments: {
      beta: segment('beta', { included: ['bob'] }),
      internal: segment('internal', { included: ['carol'] }),
    },
  };
}
