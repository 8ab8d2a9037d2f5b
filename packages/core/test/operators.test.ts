import { booleanFlag, snapshotOf } from '@switchyard/testkit';
import { describe, expect, it } from 'vitest';
import {
  compileSnapshot,
  evaluateFlag,
  parseRfc3339,
  parseSemVer,
  compareSemVer,
  whyRegexIsUnsafe,
} from '../src/index';
import type { Clause, EvaluationContext, JsonValue } from '../src/index';

/** Evaluates one clause through a flag: true when the rule served `on`. */
function matches(
  clause: Partial<Clause> & { operator: Clause['operator']; values: JsonValue[] },
  context: EvaluationContext,
): boolean {
  const flag = booleanFlag('f', {
    rules: [
      {
        id: 'r',
        clauses: [{ attribute: 'v', negate: false, ...clause } as Clause],
        variation: 'on',
      },
    ],
  });
  const result = evaluateFlag(compileSnapshot(snapshotOf([flag])), 'f', {
    targetingKey: 'k',
    ...context,
  });
  return result.variant === 'on';
}

const table: [string, Clause['operator'], JsonValue[], unknown, boolean][] = [
  ['equals a string', 'equals', ['a'], 'a', true],
  ['equals: 1 equals 1.0', 'equals', [1.0], 1, true],
  ['equals: true never equals 1', 'equals', [1], true, false],
  ['equals: "1" never equals 1', 'equals', [1], '1', false],
  [
    'equals: objects structurally, key order ignored',
    'equals',
    [{ a: 1, b: [1, 2] }],
    { b: [1, 2], a: 1 },
    true,
  ],
  ['equals: objects differing deeply', 'equals', [{ a: 1, b: [1, 2] }], { a: 1, b: [2, 1] }, false],
  ['equals: any of several values', 'equals', ['x', 'y', 'z'], 'y', true],
  ['equals: empty values match nothing', 'equals', [], 'y', false],
  ['contains', 'contains', ['ell'], 'hello', true],
  ['contains is case-sensitive', 'contains', ['ELL'], 'hello', false],
  ['contains a number never matches', 'contains', ['1'], 123, false],
  ['startsWith', 'startsWith', ['he'], 'hello', true],
  ['endsWith', 'endsWith', ['lo'], 'hello', true],
  ['endsWith misses', 'endsWith', ['he'], 'hello', false],
  ['matches is an unanchored search', 'matches', ['l+o'], 'hello', true],
  ['matches is case-sensitive', 'matches', ['^H'], 'hello', false],
  ['matches uses the u flag', 'matches', ['^.$'], '𝄞', true],
  ['matches on a number never matches', 'matches', ['1'], 1, false],
  ['lessThan', 'lessThan', [18], 17, true],
  ['lessThan at the bound', 'lessThan', [18], 18, false],
  ['lessThanOrEqual at the bound', 'lessThanOrEqual', [18], 18, true],
  ['greaterThan', 'greaterThan', [18], 18.5, true],
  ['greaterThanOrEqual', 'greaterThanOrEqual', [18], 18, true],
  ['numeric operators never coerce strings', 'greaterThan', [1], '2', false],
  ['before with epoch milliseconds', 'before', [1_700_000_000_000], 1_600_000_000_000, true],
  [
    'before with an RFC 3339 context value',
    'before',
    ['2024-01-01T00:00:00Z'],
    '2023-12-31T23:59:59.999Z',
    true,
  ],
  [
    'after with a zone offset',
    'after',
    ['2024-01-01T00:00:00Z'],
    '2024-01-01T00:30:00+01:00',
    false,
  ],
  ['after with fractions', 'after', ['2024-01-01T00:00:00Z'], '2024-01-01T00:00:00.001Z', true],
  [
    'a date-only context string is not a date',
    'before',
    ['2024-01-01T00:00:00Z'],
    '2023-01-01',
    false,
  ],
  [
    'a numeric-string context value is not a date',
    'before',
    ['2024-01-01T00:00:00Z'],
    '1600000000000',
    false,
  ],
  ['semVerEqual with omitted minor and patch', 'semVerEqual', ['2'], '2.0.0', true],
  ['semVerEqual ignores build metadata', 'semVerEqual', ['2.0.0+a'], '2.0.0+b', true],
  ['semVerLessThan: prerelease before release', 'semVerLessThan', ['2.0.0'], '2.0.0-rc.1', true],
  [
    'semVerLessThan: numeric prerelease identifiers compare numerically',
    'semVerLessThan',
    ['1.0.0-alpha.10'],
    '1.0.0-alpha.9',
    true,
  ],
  ['semVerGreaterThan: 2-rc is 2.0.0-rc', 'semVerGreaterThan', ['1.9.9'], '2-rc', true],
  [
    'semVer: an invalid context version never matches',
    'semVerGreaterThan',
    ['1.0.0'],
    'v2.0.0',
    false,
  ],
  ['semVer: a numeric context value never matches', 'semVerEqual', ['2.0.0'], 2, false],
];

describe('operators', () => {
  it.each(table)('%s', (_name, operator, values, contextValue, expected) => {
    expect(matches({ operator, values }, { v: contextValue })).toBe(expected);
  });

  it('matches any element of an array attribute', () => {
    expect(matches({ operator: 'equals', values: ['b'] }, { v: ['a', 'b'] })).toBe(true);
    expect(matches({ operator: 'startsWith', values: ['x'] }, { v: ['a', 'b'] })).toBe(false);
  });

  it('treats an empty array as present and matching nothing, so negation matches', () => {
    expect(matches({ operator: 'equals', values: ['a'] }, { v: [] })).toBe(false);
    expect(matches({ operator: 'equals', values: ['a'], negate: true }, { v: [] })).toBe(true);
  });

  it('never matches a missing attribute, even negated', () => {
    for (const context of [{}, { v: null }]) {
      expect(matches({ operator: 'equals', values: ['a'], negate: true }, context)).toBe(false);
    }
    expect(
      matches({ attribute: '/a/b', operator: 'equals', values: ['a'], negate: true }, { a: {} }),
    ).toBe(false);
  });

  it('negates a wrong-type value, which did not match', () => {
    expect(matches({ operator: 'lessThan', values: [5], negate: true }, { v: 'three' })).toBe(true);
  });

  it('follows JSON pointers into objects and arrays, with ~0 and ~1 escapes', () => {
    expect(
      matches(
        { attribute: '/address/city', operator: 'equals', values: ['Oslo'] },
        { address: { city: 'Oslo' } },
      ),
    ).toBe(true);
    expect(
      matches({ attribute: '/tags/1', operator: 'equals', values: ['b'] }, { tags: ['a', 'b'] }),
    ).toBe(true);
    expect(
      matches({ attribute: '/tags/01', operator: 'equals', values: ['b'] }, { tags: ['a', 'b'] }),
    ).toBe(false);
    expect(
      matches(
        { attribute: '/a~1b/c~0d', operator: 'equals', values: [1] },
        { 'a/b': { 'c~d': 1 } },
      ),
    ).toBe(true);
  });

  it('reads key and targetingKey as the targeting key', () => {
    expect(matches({ attribute: 'key', operator: 'equals', values: ['k'] }, {})).toBe(true);
    expect(matches({ attribute: 'targetingKey', operator: 'startsWith', values: ['k'] }, {})).toBe(
      true,
    );
  });

  it('never reads inherited properties', () => {
    expect(
      matches({ attribute: 'constructor', operator: 'equals', values: ['x'], negate: true }, {}),
    ).toBe(false);
    expect(matches({ attribute: 'toString', operator: 'contains', values: ['function'] }, {})).toBe(
      false,
    );
  });
});

describe('operand parsing', () => {
  it.each([
    ['2024-02-29T12:00:00Z', Date.UTC(2024, 1, 29, 12)],
    ['2024-01-01T01:00:00+01:00', Date.UTC(2024, 0, 1)],
    ['2024-01-01t00:00:00.5z', Date.UTC(2024, 0, 1) + 500],
    ['2023-02-29T00:00:00Z', undefined],
    ['1900-02-29T00:00:00Z', undefined],
    ['2024-04-31T00:00:00Z', undefined],
    // Years 0-99 are themselves (not 1900-1999), and year 0 is a leap year.
    ['0000-02-29T00:00:00Z', -62162121600000],
    ['0099-12-31T23:59:59Z', -59011459201000],
    ['2016-12-31T23:59:60Z', Date.UTC(2016, 11, 31, 23, 59, 59)],
    ['2024-13-01T00:00:00Z', undefined],
    ['2024-01-01T24:00:00Z', undefined],
    ['2024-01-01', undefined],
    ['2024-01-01T00:00Z', undefined],
  ])('parses RFC 3339 %s', (text, expected) => {
    expect(parseRfc3339(text)).toBe(expected);
  });

  it.each([
    ['1.0.0', '2.0.0', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta.11', '1.0.0-rc.1', -1],
    ['99999999999999999999.0.0', '99999999999999999998.0.0', 1],
    ['2', '2.0.0', 0],
  ])('orders %s against %s by SemVer precedence', (a, b, sign) => {
    expect(Math.sign(compareSemVer(parseSemVer(a)!, parseSemVer(b)!))).toBe(sign);
  });

  it.each(['v1.0.0', '01.0.0', '1.0.0.0', '1.0.0-01', '', '1..0', '1.0.0-'])(
    'refuses %j as a version',
    (text) => {
      expect(parseSemVer(text)).toBeUndefined();
    },
  );

  it.each([
    ['^[a-z]+@example\\.com$'],
    ['(foo|bar)+'],
    ['\\d{3}-\\d{4}'],
    ['(?<year>\\d{4})'],
    ['(a|b|c)+'],
    ['(a|b){2}'],
    ['(a+){1}'],
    ['(a+)?'],
    ['(a?)+'],
    ['(a{1,1})+'],
    ['\\((a|b)\\)+'],
    ['[(]+(a)+'],
    ['(\\.|\\()+'],
  ])('accepts the safe pattern %s', (p) => {
    expect(whyRegexIsUnsafe(p)).toBeUndefined();
  });

  it.each([
    ['(a+)+'],
    ['(a*)*b'],
    ['(\\w+\\s?)+$'],
    ['(a|aa)+'],
    ['(.*a){12}'],
    ['(x+x+)+y'],
    ['a{1,5}(b+)+'],
    ['(a|a)*'],
    ['(?:ab|ac)+'],
    ['([ab]|c)+'],
    ['(a|)+'],
    ['(x|\\w)+'],
    ['(\\d+)*'],
    ['(a{2,3})+'],
    ['(?:a*)*'],
  ])('refuses the catastrophic pattern %s', (p) => {
    expect(whyRegexIsUnsafe(p)).toMatch(/catastrophic/);
  });

  it.each([
    ['(a)\\1', /uses a backreference/],
    ['(?<x>a)\\k<x>', /uses a named backreference/],
    ['a(?=b)', /uses a lookahead/],
    ['a(?!b)', /uses a lookahead/],
    ['(?<=a)b', /uses a lookbehind/],
    ['(?<!a)b', /uses a lookbehind/],
    ['(unclosed', /is not a valid regular expression/],
    ['a'.repeat(1025), /is longer than 1024 characters/],
  ])('refuses %s, saying why', (p, reason) => {
    expect(whyRegexIsUnsafe(p)).toMatch(reason);
  });
});
