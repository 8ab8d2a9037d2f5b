import fc from 'fast-check';
import { booleanFlag, segment, snapshotOf, stringFlag } from '@switchyard/testkit';
import { describe, expect, it } from 'vitest';
import {
  type Flag,
  type Segment,
  type Snapshot,
  snapshotJsonSchema,
  validateSnapshot,
} from '../src/index';

const clause = (attribute: string, operator: string, values: unknown[]) => ({
  attribute,
  operator,
  values,
});

/** A valid snapshot that each case breaks in one place. */
function base(): Snapshot {
  return snapshotOf(
    [
      booleanFlag('checkout', {
        prerequisites: [{ flag: 'auth', variation: 'on' }],
        targets: { on: ['user-1'], off: ['user-2'] },
        rules: [
          {
            id: 'r1',
            clauses: [clause('plan', 'equals', ['enterprise']) as never],
            variation: 'on',
          },
          {
            id: 'r2',
            clauses: [clause('key', 'inSegment', ['beta']) as never],
            variation: 'on',
            percentage: 12.5,
          },
        ],
        fallthrough: {
          weights: [
            { variation: 'on', weight: 10000 },
            { variation: 'off', weight: 90000 },
          ],
        },
      }),
      booleanFlag('auth'),
      stringFlag('copy', ['a', 'b']),
    ],
    [
      segment('beta', {
        included: ['u1'],
        rules: [
          { id: 's1', clauses: [clause('country', 'equals', ['NL']) as never], percentage: 25 },
        ],
      }),
    ],
  );
}

type Edit = (s: { flags: Record<string, any>; segments: Record<string, any> }) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

const cases: [string, Edit, string][] = [
  [
    'a bad flag key',
    (s) => {
      s.flags['-bad'] = { ...s.flags.auth, key: '-bad' };
    },
    '/flags/-bad',
  ],
  [
    'a flag key that differs from its entry',
    (s) => {
      s.flags.auth.key = 'other';
    },
    '/flags/auth/key',
  ],
  [
    'duplicate variation names',
    (s) => {
      s.flags.auth.variations[1].name = 'on';
    },
    '/flags/auth/variations/1/name',
  ],
  [
    'a variation value not of the flag type',
    (s) => {
      s.flags.auth.variations[0].value = 'yes';
    },
    '/flags/auth/variations/0/value',
  ],
  [
    'an unknown offVariation',
    (s) => {
      s.flags.auth.offVariation = 'nope';
    },
    '/flags/auth/offVariation',
  ],
  [
    'an unknown rule variation',
    (s) => {
      s.flags.checkout.rules[0].variation = 'nope';
    },
    '/flags/checkout/rules/0/variation',
  ],
  [
    'an unknown fallthrough variation',
    (s) => {
      s.flags.auth.fallthrough = { variation: 'nope' };
    },
    '/flags/auth/fallthrough/variation',
  ],
  [
    'an unknown weighted variation',
    (s) => {
      s.flags.checkout.fallthrough.weights[0].variation = 'x';
    },
    '/flags/checkout/fallthrough/weights/0/variation',
  ],
  [
    'weights that are not integers',
    (s) => {
      s.flags.checkout.fallthrough.weights[0].weight = 10000.5;
    },
    '/flags/checkout/fallthrough/weights/0/weight',
  ],
  [
    'weights that do not sum to 100000',
    (s) => {
      s.flags.checkout.fallthrough.weights[0].weight = 9000;
    },
    '/flags/checkout/fallthrough/weights',
  ],
  [
    'a serve with both variation and weights',
    (s) => {
      s.flags.checkout.fallthrough.variation = 'on';
    },
    '/flags/checkout/fallthrough',
  ],
  [
    'a rule that serves nothing',
    (s) => {
      delete s.flags.checkout.rules[0].variation;
    },
    '/flags/checkout/rules/0',
  ],
  [
    'a percentage with weights',
    (s) => {
      s.flags.checkout.rules[0] = {
        ...s.flags.checkout.rules[0],
        variation: undefined,
        weights: [{ variation: 'on', weight: 100000 }],
        percentage: 5,
      };
    },
    '/flags/checkout/rules/0/percentage',
  ],
  [
    'a percentage above 100',
    (s) => {
      s.flags.checkout.rules[1].percentage = 100.5;
    },
    '/flags/checkout/rules/1/percentage',
  ],
  [
    'a negative percentage',
    (s) => {
      s.flags.checkout.rules[1].percentage = -1;
    },
    '/flags/checkout/rules/1/percentage',
  ],
  [
    'a percentage with 4 decimals',
    (s) => {
      s.flags.checkout.rules[1].percentage = 12.3456;
    },
    '/flags/checkout/rules/1/percentage',
  ],
  [
    'a duplicate rule id',
    (s) => {
      s.flags.checkout.rules[1].id = 'r1';
    },
    '/flags/checkout/rules/1/id',
  ],
  [
    'a missing rule id',
    (s) => {
      delete s.flags.checkout.rules[1].id;
    },
    '/flags/checkout/rules/1/id',
  ],
  [
    'an unknown operator',
    (s) => {
      s.flags.checkout.rules[0].clauses[0].operator = 'approximately';
    },
    '/flags/checkout/rules/0/clauses/0/operator',
  ],
  [
    'a string operand for lessThan',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('age', 'lessThan', ['18']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a number operand for startsWith',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('email', 'startsWith', [1]);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'an invalid regex',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('email', 'matches', ['(unclosed']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a regex with nested quantifiers',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('email', 'matches', ['^(a+)+$']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a regex with overlapping repeated alternatives',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('email', 'matches', ['(a|a)*b']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a regex with a backreference',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('email', 'matches', ['(a)\\1']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a regex with a lookahead',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('email', 'matches', ['a(?=b)']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a date-only operand',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('signup', 'before', ['2024-01-01']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a date without a zone',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('signup', 'after', ['2024-01-01T00:00:00']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a numeric-string date',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('signup', 'after', ['1700000000000']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a semver with a v prefix',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('app', 'semVerLessThan', ['v1.2.3']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a semver with leading zeros',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('app', 'semVerEqual', ['1.02.3']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a semver with four parts',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('app', 'semVerGreaterThan', ['1.2.3.4']);
    },
    '/flags/checkout/rules/0/clauses/0/values/0',
  ],
  [
    'a malformed JSON pointer',
    (s) => {
      s.flags.checkout.rules[0].clauses[0] = clause('/a~2b', 'equals', ['x']);
    },
    '/flags/checkout/rules/0/clauses/0/attribute',
  ],
  [
    'a missing segment',
    (s) => {
      s.flags.checkout.rules[1].clauses[0].values = ['ghost'];
    },
    '/flags/checkout/rules/1/clauses/0/values/0',
  ],
  [
    'a missing prerequisite flag',
    (s) => {
      s.flags.checkout.prerequisites[0].flag = 'ghost';
    },
    '/flags/checkout/prerequisites/0/flag',
  ],
  [
    'a prerequisite variation the flag lacks',
    (s) => {
      s.flags.checkout.prerequisites[0].variation = 'maybe';
    },
    '/flags/checkout/prerequisites/0/variation',
  ],
  [
    'a prerequisite cycle',
    (s) => {
      s.flags.auth.prerequisites = [{ flag: 'checkout', variation: 'on' }];
    },
    '/flags/auth/prerequisites/0/flag',
  ],
  [
    'a self prerequisite',
    (s) => {
      s.flags.auth.prerequisites = [{ flag: 'auth', variation: 'on' }];
    },
    '/flags/auth/prerequisites/0/flag',
  ],
  [
    'a segment cycle',
    (s) => {
      s.segments.beta.rules.push({ id: 's2', clauses: [clause('key', 'inSegment', ['gamma'])] });
      s.segments.gamma = {
        key: 'gamma',
        version: 1,
        rules: [{ id: 'g1', clauses: [clause('key', 'inSegment', ['beta'])] }],
      };
    },
    '/segments/gamma/rules/0/clauses/0/values/0',
  ],
  [
    'a client-side flag with a server-only prerequisite',
    (s) => {
      s.flags.checkout.clientSide = true;
    },
    '/flags/checkout/prerequisites/0/flag',
  ],
  [
    'a key targeted to two variations',
    (s) => {
      s.flags.checkout.targets.off.push('user-1');
    },
    '/flags/checkout/targets/off/1',
  ],
  [
    'targets naming an unknown variation',
    (s) => {
      s.flags.checkout.targets.maybe = ['x'];
    },
    '/flags/checkout/targets/maybe',
  ],
  [
    'an unknown field',
    (s) => {
      s.flags.auth.colour = 'blue';
    },
    '/flags/auth/colour',
  ],
  [
    'a wrong type',
    (s) => {
      s.flags.auth.enabled = 'yes';
    },
    '/flags/auth/enabled',
  ],
  [
    'a missing fallthrough',
    (s) => {
      delete s.flags.auth.fallthrough;
    },
    '/flags/auth/fallthrough',
  ],
  [
    'a bad segment key',
    (s) => {
      s.segments['__proto__x'] = { key: '__proto__x', version: 1 };
    },
    '/segments/__proto__x',
  ],
  [
    'a duplicate segment rule id',
    (s) => {
      s.segments.beta.rules.push({ id: 's1', clauses: [] });
    },
    '/segments/beta/rules/1/id',
  ],
  [
    'a segment percentage with 4 decimals',
    (s) => {
      s.segments.beta.rules[0].percentage = 0.0001;
    },
    '/segments/beta/rules/0/percentage',
  ],
  [
    'hashed keys without a keySalt',
    (s) => {
      s.flags.auth.targets = { on: { sha256: ['0'.repeat(64)] } };
    },
    '/keySalt',
  ],
  [
    'a non-integer version',
    (s) => {
      s.flags.auth.version = 1.5;
    },
    '/flags/auth/version',
  ],
];

describe('validateSnapshot', () => {
  it('accepts a valid snapshot and returns it typed', () => {
    const snapshot = base();
    const result = validateSnapshot(snapshot);
    expect(result).toEqual({ ok: true, snapshot });
  });

  it.each(cases)('rejects %s, naming the path', (_name, edit, path) => {
    const snapshot = structuredClone(base()) as never;
    edit(snapshot);
    const result = validateSnapshot(snapshot);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toContain(path);
    for (const error of result.errors) expect(error.message.length).toBeGreaterThan(5);
  });

  it('reports every error at once, not just the first', () => {
    const snapshot = structuredClone(base()) as never as Parameters<Edit>[0];
    for (const index of [2, 4, 9, 19, 34]) cases[index]![1](snapshot);
    const result = validateSnapshot(snapshot);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.length).toBeGreaterThanOrEqual(5);
  });

  it('rejects what is not a snapshot with a root error', () => {
    for (const value of [null, 42, 'x', [], undefined]) {
      const result = validateSnapshot(value);
      expect(result.ok).toBe(false);
    }
    const result = validateSnapshot({
      schemaVersion: 2,
      environment: 'x',
      version: -1,
      flags: [],
      segments: {},
    });
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['/schemaVersion', '/version', '/flags']),
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        validateSnapshot(value);
        validateSnapshot({
          schemaVersion: 1,
          environment: 'e',
          version: 1,
          flags: { f: value },
          segments: { s: value },
        });
      }),
      { numRuns: 500 },
    );
  });

  it('treats prototype-polluting keys as plain data', () => {
    const text =
      '{"schemaVersion":1,"environment":"e","version":1,"segments":{},"flags":{"__proto__":{"key":"__proto__"}}}';
    const result = validateSnapshot(JSON.parse(text));
    expect(result.ok).toBe(false);
    expect(({} as Record<string, unknown>).key).toBeUndefined();
  });

  it('publishes a JSON Schema generated from the same model description', () => {
    const schema = snapshotJsonSchema() as {
      $defs: Record<string, { properties?: Record<string, unknown> }>;
      required: string[];
    };
    expect(schema.required).toEqual([
      'schemaVersion',
      'environment',
      'version',
      'flags',
      'segments',
    ]);
    const flagProperties = Object.keys(schema.$defs.Flag!.properties!);
    const typedFlag: Required<Flag> = {} as Required<Flag>;
    const typedSegment: Required<Segment> = {} as Required<Segment>;
    void typedFlag;
    void typedSegment;
    expect(flagProperties).toEqual(
      expect.arrayContaining([
        'key',
        'version',
        'type',
        'enabled',
        'variations',
        'offVariation',
        'prerequisites',
        'targets',
        'rules',
        'fallthrough',
        'salt',
        'clientSide',
      ]),
    );
    expect(schema.$defs.Clause!.properties!.operator).toMatchObject({
      enum: expect.arrayContaining(['equals', 'semVerLessThan', 'inSegment']),
    });
  });
});
