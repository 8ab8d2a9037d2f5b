import type { Snapshot } from '@switchyard/core';
import { booleanFlag, segment } from '@switchyard/testkit';

export { booleanFlag, segment };

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
