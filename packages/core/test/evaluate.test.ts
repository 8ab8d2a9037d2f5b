import fc from 'fast-check';
import { booleanFlag, segment, snapshotOf, stringFlag } from '@switchyard/testkit';
import { describe, expect, it } from 'vitest';
import {
  bucketFor,
  compileSnapshot,
  evaluateFlag,
  explainFlag,
  type Flag,
  type Snapshot,
} from '../src/index';

const inSegment = (key: string) => ({
  attribute: 'key',
  operator: 'inSegment' as const,
  values: [key],
});
const planIs = (plan: string) => ({
  attribute: 'plan',
  operator: 'equals' as const,
  values: [plan],
});

/** A key whose bucket for `prefix` satisfies `accept`. */
function keyWhere(prefix: string, accept: (bucket: number) => boolean): string {
  for (let i = 0; i < 100_000; i++) if (accept(bucketFor(`${prefix}user-${i}`))) return `user-${i}`;
  throw new Error('no such key');
}

function compiled(
  flags: Flag[],
  segments = [segment('beta', { included: ['u-in'], excluded: ['u-out'] })],
) {
  return compileSnapshot(snapshotOf(flags, segments));
}

describe('evaluateFlag reasons', () => {
  const snapshot = compiled([
    booleanFlag('plain', { fallthrough: { variation: 'on' } }),
    booleanFlag('killed', { enabled: false }),
    booleanFlag('killed-no-off', { enabled: false, offVariation: undefined }),
    booleanFlag('targeted', {
      targets: { on: ['t-1'], off: [] },
      rules: [{ id: 'ent', clauses: [planIs('enterprise')], variation: 'on' }],
    }),
    booleanFlag('split', {
      fallthrough: {
        weights: [
          { variation: 'on', weight: 50_000 },
          { variation: 'off', weight: 50_000 },
        ],
      },
    }),
    booleanFlag('empty-targets', { targets: { on: [] } }),
  ]);

  it('answers STATIC for a flag with no prerequisites, targets or rules', () => {
    expect(evaluateFlag(snapshot, 'plain', {})).toEqual({
      value: true,
      variant: 'on',
      reason: 'STATIC',
      flagMetadata: { flagVersion: 1 },
    });
  });

  it('counts a flag whose target lists are all empty as having no targets', () => {
    expect(evaluateFlag(snapshot, 'empty-targets', {}).reason).toBe('STATIC');
  });

  it('answers DEFAULT for a fallthrough variation when the flag has rules', () => {
    expect(evaluateFlag(snapshot, 'targeted', { targetingKey: 'x' })).toMatchObject({
      variant: 'off',
      reason: 'DEFAULT',
    });
  });

  it('serves offVariation with DISABLED when the kill switch is on', () => {
    expect(evaluateFlag(snapshot, 'killed', {})).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'DISABLED',
    });
  });

  it('serves nothing with DISABLED when there is no offVariation', () => {
    const result = evaluateFlag(snapshot, 'killed-no-off', {});
    expect(result).toEqual({ reason: 'DISABLED', flagMetadata: { flagVersion: 1 } });
  });

  it('answers TARGETING_MATCH for an individual target, before rules', () => {
    expect(evaluateFlag(snapshot, 'targeted', { targetingKey: 't-1', plan: 'free' })).toMatchObject(
      { variant: 'on', reason: 'TARGETING_MATCH' },
    );
  });

  it('answers TARGETING_MATCH with ruleId and ruleIndex for a rule', () => {
    expect(evaluateFlag(snapshot, 'targeted', { targetingKey: 'x', plan: 'enterprise' })).toEqual({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      flagMetadata: { flagVersion: 1, ruleId: 'ent', ruleIndex: 0 },
    });
  });

  it('answers SPLIT with the bucket for weights', () => {
    const key = keyWhere('split.split.', (b) => b < 50_000);
    const result = evaluateFlag(snapshot, 'split', { targetingKey: key });
    expect(result).toMatchObject({
      variant: 'on',
      reason: 'SPLIT',
      flagMetadata: { bucket: bucketFor(`split.split.${key}`) },
    });
  });

  it('answers FLAG_NOT_FOUND for a missing flag', () => {
    expect(evaluateFlag(snapshot, 'ghost', {})).toMatchObject({
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
  });

  it('answers TARGETING_KEY_MISSING when a weighted serve has nothing to bucket', () => {
    for (const context of [{}, { targetingKey: 1.5 }, { targetingKey: true }] as never[]) {
      expect(evaluateFlag(snapshot, 'split', context)).toMatchObject({
        reason: 'ERROR',
        errorCode: 'TARGETING_KEY_MISSING',
      });
    }
  });

  it('answers TYPE_MISMATCH when the served value is not of the requested type', () => {
    expect(evaluateFlag(snapshot, 'plain', {}, 'string')).toMatchObject({
      reason: 'ERROR',
      errorCode: 'TYPE_MISMATCH',
    });
    expect(evaluateFlag(snapshot, 'plain', {}, 'boolean')).toMatchObject({ reason: 'STATIC' });
  });
});

describe('rule percentages and bucketing', () => {
  it('serves a percentage rule only below its threshold, then falls through to later rules', () => {
    const flag = booleanFlag('pct', {
      rules: [
        { id: 'ten', clauses: [], variation: 'on', percentage: 10 },
        { id: 'rest', clauses: [planIs('pro')], variation: 'on' },
      ],
    });
    const snapshot = compiled([flag]);
    const inside = keyWhere('pct.pct.', (b) => b < 10_000);
    const outside = keyWhere('pct.pct.', (b) => b >= 10_000);
    expect(evaluateFlag(snapshot, 'pct', { targetingKey: inside })).toMatchObject({
      variant: 'on',
      reason: 'SPLIT',
      flagMetadata: { ruleId: 'ten', ruleIndex: 0 },
    });
    expect(evaluateFlag(snapshot, 'pct', { targetingKey: outside })).toMatchObject({
      variant: 'off',
      reason: 'DEFAULT',
    });
    expect(evaluateFlag(snapshot, 'pct', { targetingKey: outside, plan: 'pro' })).toMatchObject({
      reason: 'TARGETING_MATCH',
      flagMetadata: { ruleId: 'rest' },
    });
  });

  it('uses round(percentage * 1000) with 3 decimals exactly', () => {
    const flag = booleanFlag('fine', {
      rules: [{ id: 'r', clauses: [], variation: 'on', percentage: 12.345 }],
    });
    const snapshot = compiled([flag]);
    const below = keyWhere('fine.fine.', (b) => b === 12_344 || (b > 12_300 && b < 12_345));
    const at = keyWhere('fine.fine.', (b) => b >= 12_345 && b < 12_400);
    expect(evaluateFlag(snapshot, 'fine', { targetingKey: below }).variant).toBe('on');
    expect(evaluateFlag(snapshot, 'fine', { targetingKey: at }).variant).toBe('off');
  });

  it('skips a percentage rule whose bucketBy attribute is missing, without an error', () => {
    const flag = booleanFlag('by-org', {
      rules: [{ id: 'r', clauses: [], variation: 'on', percentage: 100, bucketBy: 'orgId' }],
    });
    expect(evaluateFlag(compiled([flag]), 'by-org', { targetingKey: 'x' })).toMatchObject({
      variant: 'off',
      reason: 'DEFAULT',
    });
  });

  it('buckets by a non-key attribute, integers as decimal strings, with the salt', () => {
    const flag = booleanFlag('org', {
      salt: 's',
      fallthrough: {
        weights: [
          { variation: 'on', weight: 30_000 },
          { variation: 'off', weight: 70_000 },
        ],
        bucketBy: 'orgId',
      },
    });
    const snapshot = compiled([flag]);
    const result = evaluateFlag(snapshot, 'org', { targetingKey: 'a', orgId: 42 });
    expect(result.flagMetadata.bucket).toBe(bucketFor('org.s.42'));
    expect(
      evaluateFlag(snapshot, 'org', { targetingKey: 'b', orgId: '42' }).flagMetadata.bucket,
    ).toBe(bucketFor('org.s.42'));
  });

  it('uses an empty salt as is', () => {
    const flag = booleanFlag('e', {
      salt: '',
      fallthrough: {
        weights: [
          { variation: 'on', weight: 100_000 },
          { variation: 'off', weight: 0 },
        ],
      },
    });
    expect(evaluateFlag(compiled([flag]), 'e', { targetingKey: 'u' }).flagMetadata.bucket).toBe(
      bucketFor('e..u'),
    );
  });

  it('splits 30/40/30 by cumulative percentage rules within 1% over 100k keys', () => {
    const flag = stringFlag('abn', ['a', 'b', 'c', 'none'], {
      rules: [
        { id: 'a', clauses: [], variation: 'a', percentage: 30 },
        { id: 'b', clauses: [], variation: 'b', percentage: 70 },
        { id: 'c', clauses: [], variation: 'c', percentage: 100 },
      ],
      fallthrough: { variation: 'none' },
    });
    const snapshot = compiled([flag]);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, none: 0 };
    for (let i = 0; i < 100_000; i++)
      counts[evaluateFlag(snapshot, 'abn', { targetingKey: `k${i}` }).variant!]!++;
    expect(Math.abs(counts.a! / 100_000 - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(counts.b! / 100_000 - 0.4)).toBeLessThan(0.01);
    expect(Math.abs(counts.c! / 100_000 - 0.3)).toBeLessThan(0.01);
    expect(counts.none).toBe(0);
  });
});

describe('prerequisites and segments', () => {
  const flags = [
    booleanFlag('base', { fallthrough: { variation: 'on' } }),
    booleanFlag('mid', {
      prerequisites: [{ flag: 'base', variation: 'on' }],
      fallthrough: { variation: 'on' },
    }),
    booleanFlag('top', {
      prerequisites: [{ flag: 'mid', variation: 'on' }],
      fallthrough: { variation: 'on' },
    }),
    booleanFlag('wants-off', {
      prerequisites: [{ flag: 'base', variation: 'off' }],
      fallthrough: { variation: 'on' },
    }),
    booleanFlag('no-off', {
      offVariation: undefined,
      prerequisites: [{ flag: 'base', variation: 'off' }],
      fallthrough: { variation: 'on' },
    }),
    booleanFlag('killed', { enabled: false, offVariation: 'on' }),
    booleanFlag('needs-killed', {
      prerequisites: [{ flag: 'killed', variation: 'on' }],
      fallthrough: { variation: 'on' },
    }),
    booleanFlag('seg', { rules: [{ id: 'beta', clauses: [inSegment('beta')], variation: 'on' }] }),
  ];
  const snapshot = compiled(flags, [
    segment('beta', {
      included: ['u-in', 'u-both'],
      excluded: ['u-out', 'u-both'],
      rules: [
        { id: 'nl', clauses: [{ attribute: 'country', operator: 'equals', values: ['NL'] }] },
      ],
    }),
  ]);

  it('passes a chain of prerequisites', () => {
    expect(evaluateFlag(snapshot, 'top', {})).toMatchObject({ variant: 'on', reason: 'DEFAULT' });
  });

  it('fails a prerequisite that serves another variation, naming it', () => {
    expect(evaluateFlag(snapshot, 'wants-off', {})).toMatchObject({
      variant: 'off',
      reason: 'PREREQUISITE_FAILED',
      flagMetadata: { prerequisiteKey: 'base' },
    });
    expect(evaluateFlag(snapshot, 'no-off', {})).toEqual({
      reason: 'PREREQUISITE_FAILED',
      flagMetadata: { flagVersion: 1, prerequisiteKey: 'base' },
    });
  });

  it('fails a disabled prerequisite even when its offVariation is the one required', () => {
    expect(evaluateFlag(snapshot, 'needs-killed', {})).toMatchObject({
      reason: 'PREREQUISITE_FAILED',
      flagMetadata: { prerequisiteKey: 'killed' },
    });
  });

  it('puts included before excluded, excluded before rules', () => {
    expect(evaluateFlag(snapshot, 'seg', { targetingKey: 'u-both' }).variant).toBe('on');
    expect(evaluateFlag(snapshot, 'seg', { targetingKey: 'u-out', country: 'NL' }).variant).toBe(
      'off',
    );
    expect(evaluateFlag(snapshot, 'seg', { targetingKey: 'u-x', country: 'NL' }).variant).toBe(
      'on',
    );
  });

  it('answers GENERAL for prerequisite and segment cycles met at evaluation', () => {
    const cyclic = compileSnapshot({
      ...snapshotOf(
        [
          booleanFlag('a', { prerequisites: [{ flag: 'b', variation: 'on' }] }),
          booleanFlag('b', { prerequisites: [{ flag: 'a', variation: 'on' }] }),
          booleanFlag('s', { rules: [{ id: 'r', clauses: [inSegment('x')], variation: 'on' }] }),
          booleanFlag('healthy', { fallthrough: { variation: 'on' } }),
        ],
        [
          segment('x', { rules: [{ id: 'x', clauses: [inSegment('y')] }] }),
          segment('y', { rules: [{ id: 'y', clauses: [inSegment('x')] }] }),
        ],
      ),
    } as Snapshot);
    expect(evaluateFlag(cyclic, 'a', {})).toMatchObject({ reason: 'ERROR', errorCode: 'GENERAL' });
    expect(evaluateFlag(cyclic, 's', { targetingKey: 'k' })).toMatchObject({
      reason: 'ERROR',
      errorCode: 'GENERAL',
    });
    expect(evaluateFlag(cyclic, 'healthy', {})).toMatchObject({ variant: 'on' });
  });

  it('treats a missing prerequisite as failed and a missing segment as empty', () => {
    const broken = compileSnapshot(
      snapshotOf(
        [
          booleanFlag('p', {
            prerequisites: [{ flag: 'ghost', variation: 'on' }],
            fallthrough: { variation: 'on' },
          }),
          booleanFlag('s', {
            rules: [
              { id: 'r', clauses: [{ ...inSegment('ghost'), negate: true }], variation: 'on' },
            ],
          }),
        ],
        [],
      ),
    );
    expect(evaluateFlag(broken, 'p', {})).toMatchObject({
      reason: 'PREREQUISITE_FAILED',
      flagMetadata: { prerequisiteKey: 'ghost' },
    });
    expect(evaluateFlag(broken, 's', { targetingKey: 'k' })).toMatchObject({
      variant: 'on',
      reason: 'TARGETING_MATCH',
    });
  });

  it('answers PARSE_ERROR for a flag it cannot understand and for its dependants, and serves the rest', () => {
    const raw = snapshotOf([
      booleanFlag('future', {
        rules: [
          {
            id: 'r',
            clauses: [{ attribute: 'x', operator: 'fuzzyMatch' as never, values: ['a'] }],
            variation: 'on',
          },
        ],
      }),
      booleanFlag('dependant', { prerequisites: [{ flag: 'future', variation: 'on' }] }),
      booleanFlag('undefined-variation', { fallthrough: { variation: 'maybe' } }),
      booleanFlag('fine', { fallthrough: { variation: 'on' } }),
    ]);
    const snapshot = compileSnapshot(raw);
    for (const key of ['future', 'dependant', 'undefined-variation']) {
      expect(evaluateFlag(snapshot, key, {})).toMatchObject({
        reason: 'ERROR',
        errorCode: 'PARSE_ERROR',
      });
    }
    expect(evaluateFlag(snapshot, 'fine', {})).toMatchObject({ value: true, reason: 'STATIC' });
  });
});

describe('evaluateFlag robustness', () => {
  const contextArb = fc.dictionary(
    fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'targetingKey', 'key', 'plan', 'tags', 'v'),
      fc.string(),
    ),
    fc.oneof(fc.anything(), fc.string({ maxLength: 5000 })),
  );
  const clauseArb = fc.record({
    attribute: fc.oneof(
      fc.constantFrom('key', 'plan', '/tags/0', '/a/b', '__proto__', 'v'),
      fc.string(),
    ),
    operator: fc.oneof(
      fc.constantFrom(
        'equals',
        'contains',
        'matches',
        'lessThan',
        'before',
        'semVerEqual',
        'inSegment',
      ),
      fc.string(),
    ),
    values: fc.array(
      fc.oneof(
        fc.string(),
        fc.integer(),
        fc.constantFrom('a+', '1.2.3', '2024-01-01T00:00:00Z', 's1', 's2'),
        fc.anything(),
      ),
      { maxLength: 3 },
    ),
    negate: fc.boolean(),
  });
  const flagArb = (key: string) =>
    fc.record({
      key: fc.constant(key),
      version: fc.nat(),
      type: fc.constantFrom('boolean', 'string', 'number', 'object', 'weird'),
      enabled: fc.oneof(fc.boolean(), fc.anything()),
      variations: fc.array(
        fc.record({ name: fc.constantFrom('on', 'off', 'x'), value: fc.anything() }),
        { maxLength: 3 },
      ),
      offVariation: fc.option(fc.constantFrom('on', 'off', 'zz'), { nil: undefined }),
      prerequisites: fc.array(
        fc.record({
          flag: fc.constantFrom('f0', 'f1', 'f2', 'ghost'),
          variation: fc.constantFrom('on', 'off'),
        }),
        { maxLength: 2 },
      ),
      targets: fc.option(
        fc.dictionary(
          fc.constantFrom('on', 'off', '__proto__'),
          fc.array(fc.string(), { maxLength: 3 }),
        ),
        { nil: undefined },
      ),
      rules: fc.array(
        fc.record({
          id: fc.string(),
          clauses: fc.array(clauseArb, { maxLength: 3 }),
          variation: fc.constantFrom('on', 'off'),
          percentage: fc.option(fc.double(), { nil: undefined }),
        }),
        { maxLength: 3 },
      ),
      fallthrough: fc.oneof(
        fc.record({ variation: fc.constantFrom('on', 'off', 'q') }),
        fc.record({
          weights: fc.array(
            fc.record({ variation: fc.constantFrom('on', 'off'), weight: fc.integer() }),
            { maxLength: 3 },
          ),
          bucketBy: fc.option(fc.string(), { nil: undefined }),
        }),
      ),
    });
  const segmentArb = (key: string) =>
    fc.record({
      key: fc.constant(key),
      version: fc.nat(),
      included: fc.array(fc.string(), { maxLength: 3 }),
      rules: fc.array(
        fc.record({
          id: fc.string(),
          clauses: fc.array(clauseArb, { maxLength: 2 }),
          percentage: fc.option(fc.double(), { nil: undefined }),
        }),
        { maxLength: 2 },
      ),
    });

  it('never throws, for random (often invalid, cyclic) flags and random contexts', () => {
    fc.assert(
      fc.property(
        fc.tuple(flagArb('f0'), flagArb('f1'), flagArb('f2')),
        fc.tuple(segmentArb('s1'), segmentArb('s2')),
        contextArb,
        fc.constantFrom('f0', 'f1', 'f2', 'nope', '__proto__'),
        fc.constantFrom(undefined, 'boolean', 'string', 'number', 'object'),
        ([f0, f1, f2], [s1, s2], context, key, type) => {
          const snapshot = {
            schemaVersion: 1,
            environment: 'e',
            version: 1,
            flags: { f0, f1, f2 },
            segments: { s1, s2 },
          } as unknown as Snapshot;
          const result = evaluateFlag(
            compileSnapshot(snapshot),
            key,
            context as never,
            type as never,
          );
          expect([
            'STATIC',
            'DEFAULT',
            'TARGETING_MATCH',
            'SPLIT',
            'DISABLED',
            'PREREQUISITE_FAILED',
            'ERROR',
          ]).toContain(result.reason);
          if (result.reason === 'ERROR') expect(typeof result.errorCode).toBe('string');
          explainFlag(compileSnapshot(snapshot), key, context as never);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('accepts contexts that are not objects and keys that are not strings without throwing', () => {
    const snapshot = compiled([booleanFlag('f')]);
    for (const context of [null, undefined, 42, 'x', []] as never[]) {
      expect(evaluateFlag(snapshot, 'f', context).reason).toBe('STATIC');
    }
    expect(evaluateFlag(snapshot, 42 as never, {}).reason).toBe('ERROR');
    expect(evaluateFlag(undefined as never, 'f', {})).toMatchObject({
      reason: 'ERROR',
      errorCode: 'GENERAL',
    });
  });

  it('freezes the compiled snapshot and the results it shares', () => {
    const snapshot = compiled([booleanFlag('f')]);
    expect(Object.isFrozen(snapshot)).toBe(true);
    expect(Object.isFrozen(snapshot.snapshot.flags.f)).toBe(true);
    expect(Object.isFrozen(evaluateFlag(snapshot, 'f', {}))).toBe(true);
  });
});

describe('explainFlag', () => {
  it('names the rule that decided and, for percentage rules, the bucket against the threshold', () => {
    const flag = booleanFlag('x', {
      rules: [
        { id: 'ent', clauses: [planIs('enterprise')], variation: 'on' },
        { id: 'ten', clauses: [], variation: 'on', percentage: 10 },
      ],
    });
    const { result, steps } = explainFlag(compiled([flag]), 'x', {
      targetingKey: 'user-1',
      plan: 'free',
    });
    expect(steps[0]).toMatchObject({ step: 'rule', ruleId: 'ent', matched: false });
    expect(steps[1]).toMatchObject({
      step: 'rule',
      ruleId: 'ten',
      bucket: bucketFor('x.x.user-1'),
      threshold: 10_000,
    });
    expect(result.reason).toBe(steps[1]!.matched ? 'SPLIT' : 'DEFAULT');
  });
});
