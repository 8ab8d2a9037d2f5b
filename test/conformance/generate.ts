/**
 * Generates the Switchyard conformance corpus (test/conformance/*.json).
 *
 * Run from the repository root:  node_modules/.bin/tsx test/conformance/generate.ts
 *
 * Every expected result here is derived from DESIGN.md (sections 2-5) by hand; nothing is
 * computed by running @switchyard/core. Bucketed cases use this file's own implementation of
 * DESIGN section 4 on node:crypto SHA-1 (and SHA-256 for client snapshots, section 5), then
 * search deterministically (`user-0`, `user-1`, ...) for context keys that land exactly where
 * a case needs them (for example on both sides of a threshold). The output is deterministic:
 * running the script twice writes identical files.
 */
import { createHash } from 'node:crypto';
import { readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type ValueType = 'boolean' | 'string' | 'number' | 'object';

const OUT_DIR = dirname(fileURLToPath(import.meta.url));
const SNAPSHOT_VERSION = 100;

// ---------------------------------------------------------------------------------------------
// Bucketing (DESIGN §4), independently of core
// ---------------------------------------------------------------------------------------------

function sha1Hex(input: string): string {
  return createHash('sha1').update(input, 'utf8').digest('hex');
}

function sha256Hex(input: string): string {
  return createHash('sha256').update(input, 'utf8').digest('hex');
}

/** DESIGN §4 literally: floor(n / 0xFFFFFFFFFFFFFFF * 100000) in IEEE doubles. */
// 0xFFFFFFFFFFFFFFF as a double (it rounds to 2^60, exactly as the JS literal in DESIGN §4 does).
const MAX_15_HEX_DIGITS = Number(0xfffffffffffffffn);

function bucketFromHex(hex15: string): number {
  return Math.floor((parseInt(hex15, 16) / MAX_15_HEX_DIGITS) * 100000);
}

/** The same with exact integer arithmetic; used to avoid keys where rounding could matter. */
function exactBucketFromHex(hex15: string): number {
  return Number((BigInt('0x' + hex15) * 100000n) / 0xfffffffffffffffn);
}

export function bucketFor(hashInput: string): number {
  return bucketFromHex(sha1Hex(hashInput).slice(0, 15));
}

/**
 * The bucket of a hash input, or NaN when the double formula and exact arithmetic disagree
 * (the input sits on a rounding edge). NaN makes every comparison false, so the key searches
 * below never pick such an input.
 */
function safeBucket(hashInput: string): number {
  const hex = sha1Hex(hashInput).slice(0, 15);
  const b = bucketFromHex(hex);
  return b === exactBucketFromHex(hex) ? b : NaN;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`generate.ts: ${message}`);
}

// DESIGN §4 vector.
assert(sha1Hex('my-flag.my-salt.user-123').slice(0, 15) === '73057e2a00bc05d', 'SHA-1 vector');
assert(bucketFor('my-flag.my-salt.user-123') === 44930, 'bucket vector 44930');
assert(safeBucket('my-flag.my-salt.user-123') === 44930, 'exact bucket vector 44930');

/** `<key>.<salt>.` : prefix of a flag's or segment's hash input; salt absent = the key. */
function hashPrefix(key: string, salt?: string): string {
  return `${key}.${salt ?? key}.`;
}

function bucketOf(key: string, value: string, salt?: string): number {
  const b = safeBucket(hashPrefix(key, salt) + value);
  assert(!Number.isNaN(b), `bucket of ${key}/${value} sits on a rounding edge`);
  return b;
}

const SEARCH_LIMIT = 5_000_000;
const scans = new Map<string, { next: number; found: Map<number, string> }>();

/** The first `${keyPrefix}${i}` whose bucket under `prefix` is exactly `bucket`. */
function keyAtBucket(prefix: string, bucket: number, keyPrefix = 'user-'): string {
  const id = `${prefix}\u0000${keyPrefix}`;
  let scan = scans.get(id);
  if (!scan) {
    scan = { next: 0, found: new Map() };
    scans.set(id, scan);
  }
  while (!scan.found.has(bucket)) {
    assert(scan.next < SEARCH_LIMIT, `no key found for bucket ${bucket} of ${prefix}`);
    const key = `${keyPrefix}${scan.next++}`;
    const b = safeBucket(prefix + key);
    if (!Number.isNaN(b) && !scan.found.has(b)) scan.found.set(b, key);
  }
  return scan.found.get(bucket)!;
}

/** The first `${keyPrefix}${i}` satisfying `predicate`. */
function findKey(predicate: (key: string) => boolean, keyPrefix = 'user-'): string {
  for (let i = 0; i < SEARCH_LIMIT; i++) {
    const key = `${keyPrefix}${i}`;
    if (predicate(key)) return key;
  }
  throw new Error(`generate.ts: no key found with prefix ${keyPrefix}`);
}

/** The first non-negative integer satisfying `predicate`. */
function findInt(predicate: (n: number) => boolean): number {
  for (let i = 1; i < SEARCH_LIMIT; i++) if (predicate(i)) return i;
  throw new Error('generate.ts: no integer found');
}

// Sanity for the percentage threshold cases: the float products really are off by epsilon.
const ROUNDS_UP = 1.005;
const ROUNDS_DOWN = 2.007;
assert(
  ROUNDS_UP * 1000 < 1005 && Math.round(ROUNDS_UP * 1000) === 1005,
  '1.005 * 1000 is just below 1005',
);
assert(
  ROUNDS_DOWN * 1000 > 2007 && Math.round(ROUNDS_DOWN * 1000) === 2007,
  '2.007 * 1000 is just above 2007',
);

// ---------------------------------------------------------------------------------------------
// Fixture model
// ---------------------------------------------------------------------------------------------

interface Expected {
  value: Json;
  variant?: string;
  reason: string;
  errorCode?: string;
  flagMetadata?: JsonObject;
}

interface Case {
  name: string;
  note?: string;
  flag: string;
  type: ValueType;
  default: Json;
  context: JsonObject;
  expected: Expected;
}

interface Distribution {
  name: string;
  note?: string;
  flag: string;
  type: ValueType;
  default: Json;
  keyPrefix: string;
  count: number;
  attribute: string;
  context?: JsonObject;
  shares: Record<string, number>;
  tolerance: number;
}

interface CorpusFile {
  name: string;
  description: string;
  snapshot: JsonObject;
  valid: boolean;
  validationErrorPaths?: string[];
  cases: Case[];
  distributions?: Distribution[];
}

/** A raw JSON number token (e.g. `1.0`) written verbatim, for languages that keep the lexeme. */
const RAW = '\u0000raw:';
function raw(token: string): string {
  return RAW + token;
}

function snapshot(
  flags: JsonObject[],
  segments: JsonObject[] = [],
  extra: JsonObject = {},
): JsonObject {
  const keyed = (items: JsonObject[]) => {
    const out: JsonObject = {};
    for (const item of items) {
      const key = item['key'] as string;
      assert(!(key in out), `duplicate key ${key}`);
      out[key] = item;
    }
    return out;
  };
  return {
    schemaVersion: 1,
    environment: 'conformance',
    version: SNAPSHOT_VERSION,
    ...extra,
    flags: keyed(flags),
    segments: keyed(segments),
  };
}

const BOOL_VARIATIONS: Json = [
  { name: 'on', value: true },
  { name: 'off', value: false },
];

/** A boolean flag: on/off variations, offVariation off, fallthrough off unless overridden. */
function boolFlag(key: string, rest: JsonObject = {}): JsonObject {
  return {
    key,
    version: 10,
    type: 'boolean',
    enabled: true,
    variations: BOOL_VARIATIONS,
    offVariation: 'off',
    fallthrough: { variation: 'off' },
    ...rest,
  };
}

/** A string flag whose variations are named after their values. */
function stringFlag(key: string, names: string[], rest: JsonObject = {}): JsonObject {
  return {
    key,
    version: 10,
    type: 'string',
    enabled: true,
    variations: names.map((n) => ({ name: n, value: n })),
    fallthrough: { variation: names[names.length - 1]! },
    ...rest,
  };
}

function clause(attribute: string, operator: string, values: Json, negate = false): JsonObject {
  return negate ? { attribute, operator, values, negate: true } : { attribute, operator, values };
}

function served(value: Json, variant: string, reason: string, flagMetadata?: JsonObject): Expected {
  return flagMetadata ? { value, variant, reason, flagMetadata } : { value, variant, reason };
}

function unserved(defaultValue: Json, reason: string, flagMetadata?: JsonObject): Expected {
  return flagMetadata
    ? { value: defaultValue, reason, flagMetadata }
    : { value: defaultValue, reason };
}

function failed(defaultValue: Json, errorCode: string): Expected {
  return { value: defaultValue, reason: 'ERROR', errorCode };
}

function kase(
  name: string,
  flag: string,
  type: ValueType,
  defaultValue: Json,
  context: JsonObject,
  expected: Expected,
  note?: string,
): Case {
  return note
    ? { name, note, flag, type, default: defaultValue, context, expected }
    : { name, flag, type, default: defaultValue, context, expected };
}

/**
 * A boolean case whose default is the opposite of the served value, so that the value check
 * distinguishes "served" from "fell back to the default"; when nothing is served the expected
 * value is the default.
 */
function boolCase(
  name: string,
  flag: string,
  context: JsonObject,
  expected: Expected,
  note?: string,
): Case {
  const defaultValue = expected.variant !== undefined ? !expected.value : expected.value;
  return kase(name, flag, 'boolean', defaultValue, context, expected, note);
}

/** Boolean flags with one rule `r1` serving on; fallthrough off. */
const ON_R1: Expected = served(true, 'on', 'TARGETING_MATCH', { ruleId: 'r1', ruleIndex: 0 });
const OFF_DEFAULT: Expected = served(false, 'off', 'DEFAULT');

class ClauseSuite {
  flags: JsonObject[] = [];
  cases: Case[] = [];

  flag(key: string, clauses: JsonObject[], version = 10): this {
    this.flags.push(boolFlag(key, { version, rules: [{ id: 'r1', clauses, variation: 'on' }] }));
    return this;
  }

  /** One-clause flag. */
  op(key: string, attribute: string, operator: string, values: Json, negate = false): this {
    return this.flag(key, [clause(attribute, operator, values, negate)]);
  }

  yes(flag: string, name: string, attrs: JsonObject, note?: string, withKey = true): this {
    const context = withKey ? { targetingKey: 'user-1', ...attrs } : attrs;
    this.cases.push(boolCase(name, flag, context, ON_R1, note));
    return this;
  }

  no(flag: string, name: string, attrs: JsonObject, note?: string, withKey = true): this {
    const context = withKey ? { targetingKey: 'user-1', ...attrs } : attrs;
    this.cases.push(boolCase(name, flag, context, OFF_DEFAULT, note));
    return this;
  }
}

// ---------------------------------------------------------------------------------------------
// operators.json
// ---------------------------------------------------------------------------------------------

function operators(): CorpusFile {
  const s = new ClauseSuite();

  // equals
  s.op('eq-string', 'plan', 'equals', ['enterprise'])
    .yes('eq-string', 'equals matches an identical string', { plan: 'enterprise' })
    .no('eq-string', 'equals is case-sensitive', { plan: 'Enterprise' })
    .no('eq-string', 'equals does not trim whitespace', { plan: 'enterprise ' });
  s.op('eq-any', 'plan', 'equals', ['gold', 'silver'])
    .yes('eq-any', 'equals matches when the attribute equals any one of several values', {
      plan: 'silver',
    })
    .no('eq-any', 'equals does not match a value that is not listed', { plan: 'bronze' });
  s.op('eq-float-value', 'count', 'equals', [raw('1.0')]).yes(
    'eq-float-value',
    'equals treats the context number 1 as equal to the clause value 1.0',
    { count: 1 },
  );
  s.op('eq-int-value', 'count', 'equals', [1])
    .yes('eq-int-value', 'equals treats the context number 1.0 as equal to the clause value 1', {
      count: raw('1.0'),
    })
    .no('eq-int-value', 'equals never matches the boolean true against the number 1', {
      count: true,
    })
    .no('eq-int-value', 'equals never matches the string "1" against the number 1', { count: '1' });
  s.op('eq-true', 'verified', 'equals', [true])
    .yes('eq-true', 'equals matches the boolean true', { verified: true })
    .no('eq-true', 'equals never matches the number 1 against true', { verified: 1 })
    .no('eq-true', 'equals never matches the string "true" against true', { verified: 'true' })
    .no('eq-true', 'equals does not match false against true', { verified: false });
  s.op('eq-string-one', 'code', 'equals', ['1'])
    .yes('eq-string-one', 'equals matches the string "1" against "1"', { code: '1' })
    .no('eq-string-one', 'equals never matches the number 1 against the string "1"', { code: 1 });
  s.op('eq-object', 'prefs', 'equals', [{ theme: 'dark', sizes: [1, 2] }])
    .yes('eq-object', 'equals compares objects structurally, whatever the key order', {
      prefs: { sizes: [1, 2], theme: 'dark' },
    })
    .no('eq-object', 'equals on objects compares nested arrays in order', {
      prefs: { theme: 'dark', sizes: [2, 1] },
    })
    .no('eq-object', 'equals on objects fails when the context lacks a key', {
      prefs: { theme: 'dark' },
    })
    .no('eq-object', 'equals on objects fails when the context has an extra key', {
      prefs: { theme: 'dark', sizes: [1, 2], font: 'serif' },
    });
  s.op('eq-nested-array', 'matrix', 'equals', [[1, 2]])
    .yes(
      'eq-nested-array',
      'equals compares an array element that is itself an array structurally',
      { matrix: [[3], [1, 2]] },
    )
    .no('eq-nested-array', 'equals on a nested array respects element order', { matrix: [[2, 1]] })
    .no(
      'eq-nested-array',
      'equals compares the elements of an array attribute, not the array as a whole',
      { matrix: [1, 2] },
      'DESIGN §2: "the attribute\'s value (or any element, if it is an array) matches ANY of values". ' +
        'Read as: for an array attribute the candidates are its elements (1 and 2), never the whole ' +
        'array, so [1,2] does not equal the clause value [1,2].',
    );
  s.op('eq-negated', 'plan', 'equals', ['free'], true)
    .yes('eq-negated', 'a negated equals matches a different string', { plan: 'pro' })
    .no('eq-negated', 'a negated equals does not match the listed string', { plan: 'free' })
    .yes('eq-negated', 'a negated equals matches a present value of another JSON type', { plan: 5 })
    .no('eq-negated', 'a negated equals never matches an absent attribute', {})
    .no('eq-negated', 'a negated equals never matches a null attribute', { plan: null });

  // contains / startsWith / endsWith
  s.op('contains', 'email', 'contains', ['@corp.'])
    .yes('contains', 'contains matches a substring', { email: 'ann@corp.example' })
    .no('contains', 'contains is case-sensitive', { email: 'ann@CORP.example' })
    .yes('contains', 'contains matches when any element of an array attribute contains the value', {
      email: ['x@other.example', 'ann@corp.example'],
    });
  s.op('contains-digits', 'code', 'contains', ['23'])
    .yes('contains-digits', 'contains matches digits inside a string', { code: '1234' })
    .no('contains-digits', 'contains does not match a number, because operands are never coerced', {
      code: 1234,
    });
  s.op('contains-negated', 'code', 'contains', ['23'], true)
    .yes(
      'contains-negated',
      'a negated contains matches a number, because a value of the wrong type does not match',
      { code: 1234 },
    )
    .no('contains-negated', 'a negated contains does not match a string containing the value', {
      code: '1234',
    })
    .no('contains-negated', 'a negated contains never matches an absent attribute', {});
  s.op('starts', 'login', 'startsWith', ['admin-', 'root-'])
    .yes('starts', 'startsWith matches a prefix', { login: 'admin-jo' })
    .yes('starts', 'startsWith matches any of several prefixes', { login: 'root-kim' })
    .no('starts', 'startsWith does not match the value elsewhere in the string', {
      login: 'jo-admin-',
    })
    .no('starts', 'startsWith is case-sensitive', { login: 'Admin-jo' });
  s.op('starts-bool', 'beta', 'startsWith', ['tr']).no(
    'starts-bool',
    'startsWith does not match a boolean, because operands are never coerced',
    { beta: true },
  );
  s.op('starts-negated', 'beta', 'startsWith', ['tr'], true)
    .yes('starts-negated', 'a negated startsWith matches a boolean of the wrong type', {
      beta: true,
    })
    .no('starts-negated', 'a negated startsWith does not match a string with the prefix', {
      beta: 'true',
    });
  s.op('ends', 'domain', 'endsWith', ['.io'])
    .yes('ends', 'endsWith matches a suffix', { domain: 'switchyard.io' })
    .no('ends', 'endsWith does not match the value in the middle', { domain: 'switchyard.io.uk' })
    .no('ends', 'endsWith is case-sensitive', { domain: 'SWITCHYARD.IO' })
    .no('ends', 'endsWith does not match an object', { domain: { tld: '.io' } });
  s.op('ends-negated', 'domain', 'endsWith', ['.io'], true)
    .yes('ends-negated', 'a negated endsWith matches an object of the wrong type', {
      domain: { tld: '.io' },
    })
    .no('ends-negated', 'a negated endsWith does not match a string with the suffix', {
      domain: 'a.io',
    });

  // matches
  s.op('matches', 'path', 'matches', ['b.d'])
    .yes('matches', 'matches searches anywhere in the string (unanchored)', { path: 'abcde' })
    .no('matches', 'matches is case-sensitive', { path: 'ABCDE' });
  s.op('matches-anchored', 'path', 'matches', ['^abc$'])
    .yes('matches-anchored', 'matches honours anchors written in the pattern', { path: 'abc' })
    .no('matches-anchored', 'an anchored pattern does not match a longer string', { path: 'xabc' });
  s.op('matches-unicode', 'emoji', 'matches', ['^.$'])
    .yes(
      'matches-unicode',
      'matches uses the u flag, so a dot matches one astral code point',
      { emoji: '😀' },
      'Without the u flag "😀" is two UTF-16 code units and ^.$ would not match.',
    )
    .no('matches-unicode', 'a dot under the u flag does not match two characters', { emoji: 'ab' });
  s.op('matches-property', 'name', 'matches', ['^\\p{Lu}'])
    .yes('matches-property', 'matches supports Unicode property escapes under the u flag', {
      name: 'Émile',
    })
    .no('matches-property', 'a Unicode property escape rejects a lowercase letter', {
      name: 'émile',
    });
  s.op('matches-number', 'zip', 'matches', ['^75']).no(
    'matches-number',
    'matches does not match a number, because operands are never coerced',
    { zip: 75001 },
  );
  s.op('matches-negated', 'zip', 'matches', ['^75'], true)
    .yes('matches-negated', 'a negated matches matches a number of the wrong type', { zip: 75001 })
    .no('matches-negated', 'a negated matches does not match a matching string', { zip: '75001' });

  // numeric
  s.op('lt', 'age', 'lessThan', [18])
    .yes('lt', 'lessThan matches a smaller integer', { age: 17 })
    .yes('lt', 'lessThan matches a smaller fraction', { age: 17.5 })
    .no('lt', 'lessThan does not match an equal number', { age: 18 })
    .no('lt', 'lessThan does not match a larger number', { age: 18.5 })
    .no('lt', 'lessThan does not match a numeric string', { age: '17' });
  s.op('lt-negated', 'age', 'lessThan', [18], true)
    .yes('lt-negated', 'a negated lessThan matches a numeric string of the wrong type', {
      age: '17',
    })
    .no('lt-negated', 'a negated lessThan does not match a smaller number', { age: 10 })
    .yes('lt-negated', 'a negated lessThan matches a larger number', { age: 30 })
    .no('lt-negated', 'a negated lessThan never matches an absent attribute', {});
  s.op('lt-any', 'age', 'lessThan', [10, 20])
    .yes('lt-any', 'lessThan matches when any clause value is larger', { age: 15 })
    .no('lt-any', 'lessThan does not match when every clause value is smaller', { age: 25 });
  s.op('lte', 'age', 'lessThanOrEqual', [18])
    .yes('lte', 'lessThanOrEqual matches an equal number', { age: 18 })
    .no('lte', 'lessThanOrEqual does not match a slightly larger number', { age: 18.01 })
    .no('lte', 'lessThanOrEqual does not match a boolean', { age: false });
  s.op('lte-negated', 'age', 'lessThanOrEqual', [18], true).yes(
    'lte-negated',
    'a negated lessThanOrEqual matches a boolean of the wrong type',
    { age: false },
  );
  s.op('gt', 'age', 'greaterThan', [65])
    .yes('gt', 'greaterThan matches a larger number', { age: 66 })
    .no('gt', 'greaterThan does not match an equal number', { age: 65 })
    .yes('gt', 'greaterThan matches when any element of a number array is larger', {
      age: [40, 70],
    })
    .no('gt', 'greaterThan does not match an array of numeric strings', { age: ['70'] });
  s.op('gt-negated', 'age', 'greaterThan', [65], true)
    .yes('gt-negated', 'a negated greaterThan matches an array of numeric strings', { age: ['70'] })
    .no('gt-negated', 'a negated greaterThan does not match an array holding a larger number', {
      age: [70],
    });
  s.op('gte', 'age', 'greaterThanOrEqual', [65])
    .yes('gte', 'greaterThanOrEqual matches an equal number', { age: 65 })
    .no('gte', 'greaterThanOrEqual does not match a slightly smaller number', { age: 64.999 })
    .no('gte', 'greaterThanOrEqual does not match a numeric string', { age: '65' });
  s.op('gte-negated', 'age', 'greaterThanOrEqual', [65], true).yes(
    'gte-negated',
    'a negated greaterThanOrEqual matches a numeric string of the wrong type',
    { age: '65' },
  );

  // dates. 2024-03-10T12:00:00Z = 1710072000000 ms; 2024-03-11T00:00:00Z = 1710115200000 ms.
  assert(Date.UTC(2024, 2, 10, 12) === 1710072000000, 'epoch of 2024-03-10T12:00:00Z');
  assert(Date.UTC(2024, 2, 11) === 1710115200000, 'epoch of 2024-03-11T00:00:00Z');
  s.op('before', 'signupAt', 'before', ['2024-03-10T12:00:00Z'])
    .yes('before', 'before matches an earlier epoch-millisecond number', {
      signupAt: 1710071999999,
    })
    .no('before', 'before does not match the same instant as epoch milliseconds', {
      signupAt: 1710072000000,
    })
    .yes('before', 'before compares RFC 3339 fractions of a second', {
      signupAt: '2024-03-10T11:59:59.999Z',
    })
    .yes('before', "before converts the context date's positive zone offset", {
      signupAt: '2024-03-10T13:59:59+02:00',
    })
    .no('before', 'before does not match the same instant written with another offset', {
      signupAt: '2024-03-10T14:00:00+02:00',
    })
    .no('before', 'a date-only string is not a date', { signupAt: '2024-03-09' })
    .no('before', 'a numeric string is not a date', { signupAt: '1709000000000' })
    .no('before', 'a date-time without seconds is not a date', { signupAt: '2024-03-09T10:00Z' })
    .no('before', 'a date-time without a zone is not a date', { signupAt: '2024-03-09T10:00:00' })
    .no(
      'before',
      'a free-form date string is not a date',
      { signupAt: 'March 9, 2024' },
      'Date.parse would accept this; DESIGN §2 says never Date.parse.',
    )
    .no('before', 'a boolean is not a date', { signupAt: true });
  s.op('before-negated', 'signupAt', 'before', ['2024-03-10T12:00:00Z'], true)
    .yes('before-negated', 'a negated before matches a date-only string, which is not a date', {
      signupAt: '2024-03-09',
    })
    .yes('before-negated', 'a negated before matches a numeric string, which is not a date', {
      signupAt: '1709000000000',
    })
    .no('before-negated', 'a negated before does not match an earlier date', {
      signupAt: '2024-03-09T10:00:00Z',
    })
    .yes('before-negated', 'a negated before matches a later date', {
      signupAt: '2024-03-10T12:00:01Z',
    })
    .no('before-negated', 'a negated before never matches an absent attribute', {});
  s.op('after', 'signupAt', 'after', ['2024-03-11T00:00:00Z'])
    .yes('after', 'after converts a negative zone offset that crosses midnight', {
      signupAt: '2024-03-10T23:30:00-02:00',
    })
    .yes('after', 'after honours a one-digit fraction of a second', {
      signupAt: '2024-03-11T00:00:00.5Z',
    })
    .no('after', 'after does not match the same instant with a zero fraction', {
      signupAt: '2024-03-11T00:00:00.000+00:00',
    })
    .yes('after', 'after matches a later epoch-millisecond number', { signupAt: 1710115200001 })
    .no('after', 'after does not match the same instant as epoch milliseconds', {
      signupAt: 1710115200000,
    })
    .no('after', 'after does not match a later date-only string', { signupAt: '2024-03-12' });
  s.op('after-negated', 'signupAt', 'after', ['2024-03-11T00:00:00Z'], true).yes(
    'after-negated',
    'a negated after matches a date-only string, which is not a date',
    { signupAt: '2024-03-12' },
  );
  s.op('before-epoch-value', 'signupAt', 'before', [1710072000000])
    .yes(
      'before-epoch-value',
      'before accepts an epoch-millisecond clause value against an RFC 3339 context date',
      { signupAt: '2024-03-10T11:59:59Z' },
    )
    .no('before-epoch-value', 'before with an epoch clause value is precise to the millisecond', {
      signupAt: '2024-03-10T12:00:00.001Z',
    });
  s.op('after-offset-value', 'signupAt', 'after', ['2024-03-10T17:30:00.250+05:30'])
    .yes('after-offset-value', 'after reads a clause date with a fraction and an offset', {
      signupAt: '2024-03-10T12:00:00.251Z',
    })
    .no('after-offset-value', 'after does not match the clause instant itself', {
      signupAt: '2024-03-10T12:00:00.250Z',
    })
    .yes('after-offset-value', 'after compares an epoch number with an offset clause date', {
      signupAt: 1710072000251,
    })
    .no('after-offset-value', 'after does not match an epoch number one millisecond earlier', {
      signupAt: 1710072000249,
    });

  // semver
  const SV = 'appVersion';
  s.op('semver-eq', SV, 'semVerEqual', ['2.0.0'])
    .yes('semver-eq', 'semVerEqual treats an omitted minor and patch as zero', { [SV]: '2' })
    .yes('semver-eq', 'semVerEqual treats an omitted patch as zero', { [SV]: '2.0' })
    .yes('semver-eq', 'semVerEqual ignores build metadata', { [SV]: '2.0.0+build.7' })
    .no('semver-eq', 'semVerEqual does not match another patch', { [SV]: '2.0.1' })
    .no('semver-eq', 'a prerelease is not equal to its release', { [SV]: '2.0.0-rc.1' })
    .no('semver-eq', 'a v prefix makes a context version invalid', { [SV]: 'v2.0.0' })
    .no('semver-eq', 'a leading zero makes a context version invalid', { [SV]: '02.0.0' })
    .no('semver-eq', 'a fourth component makes a context version invalid', { [SV]: '2.0.0.0' })
    .no('semver-eq', 'semVerEqual does not match a number', { [SV]: 2 });
  s.op('semver-eq-negated', SV, 'semVerEqual', ['2.0.0'], true)
    .yes(
      'semver-eq-negated',
      'a negated semVerEqual matches an invalid version string, which is present but unusable',
      { [SV]: 'v2.0.0' },
      'DESIGN §2: only a missing attribute never matches; an invalid version is a present value ' +
        'the operator cannot use (no match), so negate turns it into a match.',
    )
    .yes('semver-eq-negated', 'a negated semVerEqual matches a number of the wrong type', {
      [SV]: 2,
    })
    .no('semver-eq-negated', 'a negated semVerEqual does not match an equal short version', {
      [SV]: '2.0',
    })
    .no('semver-eq-negated', 'a negated semVerEqual never matches an absent attribute', {});
  s.op('semver-eq-short-pre', SV, 'semVerEqual', ['2-rc'])
    .yes('semver-eq-short-pre', 'a short clause version keeps its prerelease (2-rc = 2.0.0-rc)', {
      [SV]: '2.0.0-rc',
    })
    .no('semver-eq-short-pre', 'a short prerelease clause version does not equal the release', {
      [SV]: '2.0.0',
    })
    .no(
      'semver-eq-short-pre',
      'a short prerelease clause version does not equal a longer prerelease',
      {
        [SV]: '2.0.0-rc.1',
      },
    );
  s.op('semver-eq-build', SV, 'semVerEqual', ['1.0.0+a']).yes(
    'semver-eq-build',
    'semVerEqual ignores build metadata on both sides',
    { [SV]: '1.0.0+b' },
  );
  s.op('semver-lt-alpha1', SV, 'semVerLessThan', ['1.0.0-alpha.1'])
    .yes('semver-lt-alpha1', 'a prerelease with fewer identifiers and an equal prefix is lower', {
      [SV]: '1.0.0-alpha',
    })
    .no('semver-lt-alpha1', 'semVerLessThan does not match an equal prerelease', {
      [SV]: '1.0.0-alpha.1',
    });
  s.op('semver-lt-beta11', SV, 'semVerLessThan', ['1.0.0-beta.11']).yes(
    'semver-lt-beta11',
    'numeric prerelease identifiers compare numerically (beta.2 < beta.11)',
    { [SV]: '1.0.0-beta.2' },
  );
  s.op('semver-lt-alpha', SV, 'semVerLessThan', ['1.0.0-alpha'])
    .yes('semver-lt-alpha', 'a numeric prerelease identifier is lower than an alphanumeric one', {
      [SV]: '1.0.0-1',
    })
    .yes(
      'semver-lt-alpha',
      'alphanumeric prerelease identifiers compare in ASCII order (Beta < alpha)',
      { [SV]: '1.0.0-Beta' },
      'SemVer 2.0.0 §11.4.2: compared lexically in ASCII sort order; "B" (66) sorts before "a" (97).',
    )
    .no('semver-lt-alpha', 'beta is not lower than alpha', { [SV]: '1.0.0-beta' });
  s.op('semver-lt-release', SV, 'semVerLessThan', ['1.0.0'])
    .yes('semver-lt-release', 'a prerelease is lower than its release', { [SV]: '1.0.0-rc.1' })
    .no('semver-lt-release', 'semVerLessThan does not match an equal version', { [SV]: '1.0.0' })
    .yes('semver-lt-release', 'semVerLessThan reads a short version (0.9 = 0.9.0)', { [SV]: '0.9' })
    .no('semver-lt-release', 'a four-component version is invalid and does not match', {
      [SV]: '0.9.0.1',
    })
    .no(
      'semver-lt-release',
      'a numeric prerelease identifier with a leading zero is invalid and does not match',
      { [SV]: '0.0.1-01' },
      'SemVer 2.0.0 §9: numeric identifiers must not include leading zeroes; DESIGN: "no leading zeros".',
    )
    .no('semver-lt-release', 'an empty string is not a version', { [SV]: '' })
    .no('semver-lt-release', 'a word is not a version', { [SV]: 'latest' });
  s.op('semver-lt-negated', SV, 'semVerLessThan', ['1.0.0'], true)
    .yes('semver-lt-negated', 'a negated semVerLessThan matches a number of the wrong type', {
      [SV]: 1,
    })
    .yes('semver-lt-negated', 'a negated semVerLessThan matches an invalid version string', {
      [SV]: '0.9.0.1',
    })
    .no('semver-lt-negated', 'a negated semVerLessThan does not match a lower version', {
      [SV]: '0.9.0',
    });
  s.op('semver-gt', SV, 'semVerGreaterThan', ['1.9.0'])
    .yes('semver-gt', 'semVerGreaterThan compares components numerically (1.10.0 > 1.9.0)', {
      [SV]: '1.10.0',
    })
    .no('semver-gt', 'a prerelease of the clause version is not greater', { [SV]: '1.9.0-rc.1' })
    .yes('semver-gt', 'a prerelease of a later patch is greater', { [SV]: '1.9.1-alpha' })
    .no('semver-gt', 'build metadata does not make a version greater', { [SV]: '1.9.0+build.9' })
    .no('semver-gt', 'a v-prefixed version is invalid even when it would be greater', {
      [SV]: 'v1.10.0',
    })
    .no('semver-gt', 'semVerGreaterThan does not match an object', { [SV]: { major: 2 } });
  s.op('semver-gt-negated', SV, 'semVerGreaterThan', ['1.9.0'], true)
    .yes('semver-gt-negated', 'a negated semVerGreaterThan matches an object of the wrong type', {
      [SV]: { major: 2 },
    })
    .no('semver-gt-negated', 'a negated semVerGreaterThan does not match a greater version', {
      [SV]: '2.0.0',
    });
  s.op('semver-gt-pre', SV, 'semVerGreaterThan', ['1.0.0-alpha.beta'])
    .yes('semver-gt-pre', 'beta is greater than alpha.beta', { [SV]: '1.0.0-beta' })
    .no('semver-gt-pre', 'alpha.1 is lower than alpha.beta (numeric below alphanumeric)', {
      [SV]: '1.0.0-alpha.1',
    })
    .yes('semver-gt-pre', 'a longer prerelease with an equal prefix is greater', {
      [SV]: '1.0.0-alpha.beta.1',
    });
  s.op('semver-lt-short-pre', SV, 'semVerLessThan', ['2-rc'])
    .yes('semver-lt-short-pre', 'semVerLessThan reads a short prerelease clause value', {
      [SV]: '2.0.0-beta',
    })
    .no('semver-lt-short-pre', 'a release is not lower than its own prerelease', { [SV]: '2' });

  return {
    name: 'operators',
    description:
      'Every clause operator (DESIGN §2): JSON equality, string operators, regex search with the ' +
      'u flag, numeric, date and SemVer comparisons; wrong types never match (so negated they ' +
      'match), missing attributes never match.',
    snapshot: snapshot(s.flags),
    valid: true,
    cases: s.cases,
  };
}

// ---------------------------------------------------------------------------------------------
// pointers-and-arrays.json
// ---------------------------------------------------------------------------------------------

function pointersAndArrays(): CorpusFile {
  const s = new ClauseSuite();

  s.op('ptr-city', '/address/city', 'equals', ['Paris'])
    .yes('ptr-city', 'a JSON pointer reads a nested attribute', { address: { city: 'Paris' } })
    .no('ptr-city', 'a JSON pointer compares the nested value', { address: { city: 'Lyon' } })
    .no('ptr-city', 'a JSON pointer does not fall back to a top-level attribute of the same name', {
      city: 'Paris',
    });
  s.op('ptr-city-negated', '/address/city', 'equals', ['Paris'], true)
    .yes('ptr-city-negated', 'a negated pointer clause matches a different nested value', {
      address: { city: 'Lyon' },
    })
    .no('ptr-city-negated', 'a pointer to an absent member is missing and never matches', {
      address: {},
    })
    .no('ptr-city-negated', 'a pointer through a string does not resolve and never matches', {
      address: 'Paris',
    })
    .no('ptr-city-negated', 'a pointer whose parent is absent never matches', {})
    .no('ptr-city-negated', 'a pointer to a null member never matches', {
      address: { city: null },
    });
  s.op('ptr-tag', '/tags/1', 'equals', ['b'])
    .yes('ptr-tag', 'a JSON pointer indexes into an array', { tags: ['a', 'b'] })
    .no('ptr-tag', 'a JSON pointer array index is zero-based', { tags: ['b', 'a'] });
  s.op('ptr-tag-negated', '/tags/1', 'equals', ['b'], true)
    .yes('ptr-tag-negated', 'a negated pointer clause matches another array element', {
      tags: ['a', 'c'],
    })
    .no('ptr-tag-negated', 'an array index past the end does not resolve and never matches', {
      tags: ['a'],
    });
  s.op('ptr-leading-zero', '/tags/01', 'equals', ['b']).no(
    'ptr-leading-zero',
    'an array index with a leading zero does not resolve',
    { tags: ['a', 'b'] },
    'RFC 6901 §4: an array index is "0" or digits without a leading zero; "01" does not resolve ' +
      '(a parseInt-style reading would wrongly match "b").',
  );
  s.op('ptr-slash', '/a~1b', 'equals', ['slash'])
    .yes('ptr-slash', 'the pointer escape ~1 stands for a slash in a member name', {
      'a/b': 'slash',
    })
    .no('ptr-slash', 'the pointer escape ~1 does not descend into a nested member', {
      a: { b: 'slash' },
    });
  s.op('ptr-tilde', '/m~0n', 'equals', ['tilde']).yes(
    'ptr-tilde',
    'the pointer escape ~0 stands for a tilde in a member name',
    { 'm~n': 'tilde' },
  );
  s.op('ptr-tilde-one', '/~01', 'equals', ['x'])
    .yes('ptr-tilde-one', 'the pointer ~01 decodes to the member name "~1"', { '~1': 'x' })
    .no('ptr-tilde-one', 'the pointer ~01 is not decoded to a slash', { '/': 'x' });
  s.op('ptr-empty-member', '/', 'equals', ['empty']).yes(
    'ptr-empty-member',
    'the pointer "/" refers to the member with an empty name',
    { '': 'empty' },
    'RFC 6901: "/" is the reference to the member named "".',
  );
  s.op('ptr-array-leaf', '/profile/roles', 'equals', ['admin'])
    .yes('ptr-array-leaf', 'a pointer to an array matches when any element matches', {
      profile: { roles: ['user', 'admin'] },
    })
    .no('ptr-array-leaf', 'a pointer to an empty array matches nothing', {
      profile: { roles: [] },
    });
  s.op('ptr-array-object', '/orgs/1/id', 'equals', ['o2']).yes(
    'ptr-array-object',
    'a pointer descends through an array element into an object',
    { orgs: [{ id: 'o1' }, { id: 'o2' }] },
  );
  s.op('plain-slash-name', 'a/b', 'equals', ['x']).yes(
    'plain-slash-name',
    'a name that does not start with a slash is a plain top-level attribute, even with a slash inside',
    { 'a/b': 'x' },
  );
  s.op('plain-dotted', 'address.city', 'equals', ['Paris'])
    .no('plain-dotted', 'a dotted plain name does not descend into objects', {
      address: { city: 'Paris' },
    })
    .yes('plain-dotted', 'a dotted plain name reads the top-level attribute with that name', {
      'address.city': 'Paris',
    });

  s.op('arr-tags', 'tags', 'equals', ['beta'])
    .yes('arr-tags', 'an array attribute matches when any element matches', {
      tags: ['alpha', 'beta'],
    })
    .no('arr-tags', 'an array attribute does not match when no element matches', {
      tags: ['alpha'],
    })
    .no('arr-tags', 'an empty array attribute matches nothing', { tags: [] });
  s.op('arr-tags-negated', 'tags', 'equals', ['beta'], true)
    .yes('arr-tags-negated', 'a negated clause matches an empty array, which is present', {
      tags: [],
    })
    .no('arr-tags-negated', 'a negated clause does not match an array holding the value', {
      tags: ['beta', 'x'],
    })
    .yes('arr-tags-negated', 'a negated clause matches an array without the value', {
      tags: ['alpha'],
    })
    .no('arr-tags-negated', 'a negated clause never matches a null array attribute', {
      tags: null,
    });

  s.op('key-attr', 'key', 'equals', ['user-1'])
    .yes('key-attr', 'the attribute name "key" means the targeting key', {})
    .no(
      'key-attr',
      'the attribute name "key" reads the targeting key, not a context attribute called key',
      { targetingKey: 'user-2', key: 'user-1' },
      'DESIGN §2: "key" and "targetingKey" both mean the targeting key.',
    )
    .no(
      'key-attr',
      'the attribute "key" is missing when the context has no targeting key',
      {},
      undefined,
      false,
    );
  s.op('tk-attr', 'targetingKey', 'equals', ['user-1'])
    .yes('tk-attr', 'the attribute name "targetingKey" means the targeting key', {})
    .no('tk-attr', 'targetingKey compares the whole key', { targetingKey: 'user-10' });
  s.op('key-attr-negated', 'key', 'equals', ['user-1'], true)
    .yes('key-attr-negated', 'a negated clause on "key" matches another targeting key', {
      targetingKey: 'user-2',
    })
    .no(
      'key-attr-negated',
      'a negated clause on "key" never matches an absent targeting key',
      {},
      undefined,
      false,
    )
    .no(
      'key-attr-negated',
      'a negated clause on "key" never matches a null targeting key',
      { targetingKey: null },
      undefined,
      false,
    );
  s.op('key-starts', 'key', 'startsWith', ['user-']).yes(
    'key-starts',
    'string operators apply to the targeting key through "key"',
    {},
  );

  s.flag('and-clauses', [clause('plan', 'equals', ['pro']), clause('country', 'equals', ['FR'])])
    .yes('and-clauses', 'a rule matches when all of its clauses match', {
      plan: 'pro',
      country: 'FR',
    })
    .no('and-clauses', 'a rule does not match when its second clause fails', {
      plan: 'pro',
      country: 'DE',
    })
    .no('and-clauses', 'a rule does not match when its first clause fails', {
      plan: 'free',
      country: 'FR',
    });
  s.flag('and-with-missing', [
    clause('plan', 'equals', ['pro']),
    clause('/address/zip', 'equals', ['00000'], true),
  ])
    .yes('and-with-missing', 'a negated clause on a present pointer contributes to an AND', {
      plan: 'pro',
      address: { zip: '75001' },
    })
    .no('and-with-missing', 'a negated clause on a missing pointer fails the whole rule', {
      plan: 'pro',
      address: {},
    });
  s.op('empty-values', 'plan', 'equals', []).no(
    'empty-values',
    'a clause with an empty values list matches nothing',
    { plan: 'pro' },
  );
  s.op('missing-lt-negated', 'age', 'lessThan', [18], true)
    .no('missing-lt-negated', 'a negated numeric clause never matches an absent attribute', {})
    .no('missing-lt-negated', 'a negated numeric clause never matches a null attribute', {
      age: null,
    });

  return {
    name: 'pointers-and-arrays',
    description:
      'Attribute resolution (DESIGN §2): plain names, RFC 6901 pointers with array indexes and ' +
      '~0/~1 escapes, "key"/"targetingKey", array attributes (any element), empty arrays, ' +
      'missing attributes (absent, null, unresolved pointer) and clause AND.',
    snapshot: snapshot(s.flags),
    valid: true,
    cases: s.cases,
  };
}

// ---------------------------------------------------------------------------------------------
// targets.json
// ---------------------------------------------------------------------------------------------

function targets(): CorpusFile {
  const colours = ['blue', 'green', 'red', 'grey'];
  const flags = [
    stringFlag('colour', colours, {
      version: 31,
      targets: { blue: ['alice', 'bob'], green: ['carol'] },
      rules: [{ id: 'france', clauses: [clause('country', 'equals', ['FR'])], variation: 'red' }],
    }),
    stringFlag('empty-targets', colours, { version: 32, targets: { blue: [], green: [] } }),
    boolFlag('beta-testers', { version: 33, targets: { on: ['tester'] } }),
    boolFlag('opt-out', {
      version: 34,
      targets: { off: ['opted-out'] },
      rules: [{ id: 'everyone', clauses: [], variation: 'on' }],
    }),
    boolFlag('targets-disabled', { version: 35, enabled: false, targets: { on: ['tester'] } }),
  ];
  const str = (name: string, key: JsonObject, expected: Expected, note?: string) =>
    kase(name, 'colour', 'string', 'none', key, expected, note);
  const cases: Case[] = [
    str(
      'a key listed under a variation gets that variation',
      { targetingKey: 'alice' },
      served('blue', 'blue', 'TARGETING_MATCH', { flagVersion: 31 }),
    ),
    str(
      'a second key in the same target list gets the same variation',
      { targetingKey: 'bob' },
      served('blue', 'blue', 'TARGETING_MATCH'),
    ),
    str(
      'a key listed under another variation gets that other variation',
      { targetingKey: 'carol' },
      served('green', 'green', 'TARGETING_MATCH'),
    ),
    str(
      'individual targets are checked before rules',
      { targetingKey: 'carol', country: 'FR' },
      served('green', 'green', 'TARGETING_MATCH'),
    ),
    str(
      'a key that is not targeted reaches the rules',
      { targetingKey: 'dave', country: 'FR' },
      served('red', 'red', 'TARGETING_MATCH', { ruleId: 'france', ruleIndex: 0 }),
    ),
    str(
      'a key that is neither targeted nor matched gets the fallthrough with reason DEFAULT',
      { targetingKey: 'dave' },
      served('grey', 'grey', 'DEFAULT', { flagVersion: 31 }),
    ),
    str(
      'target keys are compared case-sensitively',
      { targetingKey: 'Alice' },
      served('grey', 'grey', 'DEFAULT'),
    ),
    str(
      'a context without a targeting key skips the targets and continues',
      { country: 'FR' },
      served('red', 'red', 'TARGETING_MATCH', { ruleId: 'france', ruleIndex: 0 }),
    ),
    str(
      'a context attribute called key is not the targeting key for individual targets',
      { targetingKey: 'zed', key: 'alice' },
      served('grey', 'grey', 'DEFAULT'),
      'OpenFeature contexts carry the targeting key in targetingKey; "key" is only an alias in clause attributes.',
    ),
    kase(
      'a flag whose target lists are all empty counts as having no targets (STATIC)',
      'empty-targets',
      'string',
      'none',
      { targetingKey: 'alice' },
      served('grey', 'grey', 'STATIC', { flagVersion: 32 }),
    ),
    kase(
      'a targeted key on a boolean flag gets on',
      'beta-testers',
      'boolean',
      false,
      { targetingKey: 'tester' },
      served(true, 'on', 'TARGETING_MATCH', { flagVersion: 33 }),
    ),
    kase(
      'an untargeted key on a flag with targets gets the fallthrough with reason DEFAULT',
      'beta-testers',
      'boolean',
      true,
      { targetingKey: 'someone' },
      served(false, 'off', 'DEFAULT'),
    ),
    kase(
      'a key targeted to off is kept off even though a catch-all rule follows',
      'opt-out',
      'boolean',
      true,
      { targetingKey: 'opted-out' },
      served(false, 'off', 'TARGETING_MATCH'),
    ),
    kase(
      'a key not targeted reaches a rule with no clauses',
      'opt-out',
      'boolean',
      false,
      { targetingKey: 'someone' },
      served(true, 'on', 'TARGETING_MATCH', { ruleId: 'everyone', ruleIndex: 0 }),
    ),
    kase(
      'a disabled flag ignores its targets',
      'targets-disabled',
      'boolean',
      true,
      { targetingKey: 'tester' },
      served(false, 'off', 'DISABLED', { flagVersion: 35 }),
    ),
  ];
  return {
    name: 'targets',
    description:
      'Individual targets (DESIGN §3 step 4): checked after prerequisites, before rules.',
    snapshot: snapshot(flags),
    valid: true,
    cases,
  };
}

// ---------------------------------------------------------------------------------------------
// prerequisites.json
// ---------------------------------------------------------------------------------------------

function prerequisites(): CorpusFile {
  const pre = (flag: string, variation: string): JsonObject => ({ flag, variation });
  const flags = [
    boolFlag('auth-v2', { version: 20, fallthrough: { variation: 'on' } }),
    boolFlag('auth-v2-disabled', { version: 21, enabled: false }),
    boolFlag('auth-v2-disabled-on', { version: 22, enabled: false, offVariation: 'on' }),
    boolFlag('legacy-off', { version: 23 }),
    boolFlag('beta-gate', { version: 24, targets: { on: ['tester'] } }),
    stringFlag('theme', ['dark', 'light'], {
      version: 25,
      rules: [{ id: 'pro-dark', clauses: [clause('plan', 'equals', ['pro'])], variation: 'dark' }],
    }),
    boolFlag('split-prereq', {
      version: 26,
      fallthrough: {
        weights: [
          { variation: 'on', weight: 50000 },
          { variation: 'off', weight: 50000 },
        ],
        bucketBy: 'targetingKey',
      },
    }),
    boolFlag('needs-auth', {
      version: 40,
      prerequisites: [pre('auth-v2', 'on')],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('needs-auth-off', {
      version: 41,
      prerequisites: [pre('auth-v2', 'off')],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('needs-disabled', {
      version: 42,
      prerequisites: [pre('auth-v2-disabled', 'on')],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('needs-disabled-on', {
      version: 43,
      prerequisites: [pre('auth-v2-disabled-on', 'on')],
      fallthrough: { variation: 'on' },
    }),
    {
      key: 'needs-legacy-no-off',
      version: 44,
      type: 'boolean',
      enabled: true,
      variations: BOOL_VARIATIONS,
      prerequisites: [pre('legacy-off', 'on')],
      fallthrough: { variation: 'on' },
    },
    boolFlag('needs-beta', {
      version: 45,
      prerequisites: [pre('beta-gate', 'on')],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('needs-dark-theme', {
      version: 46,
      prerequisites: [pre('theme', 'dark')],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('needs-two', {
      version: 47,
      prerequisites: [pre('auth-v2', 'on'), pre('beta-gate', 'on')],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('needs-two-both-fail', {
      version: 48,
      prerequisites: [pre('legacy-off', 'on'), pre('auth-v2-disabled', 'on')],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('chain-c', { version: 50, targets: { on: ['c-friend'] } }),
    boolFlag('chain-b', {
      version: 51,
      prerequisites: [pre('chain-c', 'on')],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('chain-a', {
      version: 52,
      prerequisites: [pre('chain-b', 'on')],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('needs-split', {
      version: 53,
      prerequisites: [pre('split-prereq', 'on')],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('prereq-then-target', {
      version: 54,
      prerequisites: [pre('auth-v2', 'on')],
      targets: { off: ['t-user'] },
      fallthrough: { variation: 'on' },
    }),
    boolFlag('prereq-before-target', {
      version: 55,
      prerequisites: [pre('legacy-off', 'on')],
      targets: { on: ['t-user'] },
      fallthrough: { variation: 'on' },
    }),
    boolFlag('disabled-before-prereq', {
      version: 56,
      enabled: false,
      prerequisites: [pre('legacy-off', 'on')],
      fallthrough: { variation: 'on' },
    }),
    stringFlag('copy-text', ['new', 'old'], {
      version: 57,
      offVariation: 'old',
      prerequisites: [pre('legacy-off', 'on')],
      fallthrough: { variation: 'new' },
    }),
  ];

  const splitOn = findKey((k) => bucketOf('split-prereq', k) < 50000);
  const splitOff = findKey((k) => bucketOf('split-prereq', k) >= 50000);

  const b = (
    name: string,
    flag: string,
    ctx: JsonObject,
    expected: Expected,
    note?: string,
    _def?: boolean,
  ) => boolCase(name, flag, ctx, expected, note);
  const pf = (key: string, version?: number): Expected =>
    served(
      false,
      'off',
      'PREREQUISITE_FAILED',
      version === undefined
        ? { prerequisiteKey: key }
        : { prerequisiteKey: key, flagVersion: version },
    );
  const u1 = { targetingKey: 'user-1' };

  const cases: Case[] = [
    b(
      'a passing prerequisite lets evaluation continue to the fallthrough (DEFAULT, not STATIC)',
      'needs-auth',
      u1,
      served(true, 'on', 'DEFAULT', { flagVersion: 40 }),
    ),
    b(
      'the prerequisite flag itself serves STATIC',
      'auth-v2',
      u1,
      served(true, 'on', 'STATIC', { flagVersion: 20 }),
    ),
    b(
      'a prerequisite serving another variation fails and serves offVariation',
      'needs-auth-off',
      u1,
      pf('auth-v2', 41),
    ),
    b('a disabled prerequisite fails', 'needs-disabled', u1, pf('auth-v2-disabled', 42)),
    b(
      'a disabled prerequisite fails even when its offVariation is the required variation',
      'needs-disabled-on',
      u1,
      pf('auth-v2-disabled-on', 43),
      'DESIGN §3 step 3: "if it is disabled or does not serve the named variation" — disabled alone fails (as in LaunchDarkly).',
    ),
    b(
      'a failed prerequisite without offVariation serves nothing: the default, reason PREREQUISITE_FAILED',
      'needs-legacy-no-off',
      u1,
      unserved(true, 'PREREQUISITE_FAILED', { prerequisiteKey: 'legacy-off', flagVersion: 44 }),
      undefined,
      true,
    ),
    b(
      'a prerequisite that serves the required variation to this context passes',
      'needs-beta',
      { targetingKey: 'tester' },
      served(true, 'on', 'DEFAULT'),
    ),
    b(
      'a prerequisite that serves another variation to this context fails',
      'needs-beta',
      { targetingKey: 'someone' },
      pf('beta-gate'),
    ),
    b(
      'a string prerequisite passes when its rule serves the named variation',
      'needs-dark-theme',
      { targetingKey: 'user-1', plan: 'pro' },
      served(true, 'on', 'DEFAULT'),
    ),
    b(
      'a string prerequisite fails when it serves another variation',
      'needs-dark-theme',
      { targetingKey: 'user-1', plan: 'free' },
      pf('theme'),
    ),
    b(
      'all prerequisites must pass',
      'needs-two',
      { targetingKey: 'tester' },
      served(true, 'on', 'DEFAULT'),
    ),
    b(
      'the second prerequisite failing is reported by its key',
      'needs-two',
      { targetingKey: 'someone' },
      pf('beta-gate', 47),
    ),
    b(
      'prerequisites are checked in order and the first failure is reported',
      'needs-two-both-fail',
      u1,
      pf('legacy-off'),
    ),
    b(
      'a chain A→B→C passes when C passes',
      'chain-a',
      { targetingKey: 'c-friend' },
      served(true, 'on', 'DEFAULT'),
    ),
    b(
      'a chain A→B→C fails at A when C fails, naming its direct prerequisite B',
      'chain-a',
      { targetingKey: 'someone' },
      pf('chain-b', 52),
      "prerequisiteKey is read as the key of the failing entry in this flag's own prerequisites list (B), not the deepest failure (C).",
    ),
    b(
      'the middle of a chain fails naming its own prerequisite',
      'chain-b',
      { targetingKey: 'someone' },
      pf('chain-c', 51),
    ),
    b(
      'a weighted prerequisite passes for a key bucketed into the required variation',
      'needs-split',
      { targetingKey: splitOn },
      served(true, 'on', 'DEFAULT'),
    ),
    b(
      'a weighted prerequisite fails for a key bucketed into another variation',
      'needs-split',
      { targetingKey: splitOff },
      pf('split-prereq'),
    ),
    b(
      'a weighted prerequisite without a targeting key answers an error on its own',
      'split-prereq',
      {},
      failed(true, 'TARGETING_KEY_MISSING'),
      undefined,
      true,
    ),
    b(
      'a prerequisite that answers an error counts as failed',
      'needs-split',
      {},
      pf('split-prereq', 53),
      'DESIGN §2: "A prerequisite that answers an error counts as failed."',
    ),
    b(
      'after the prerequisites pass, individual targets apply',
      'prereq-then-target',
      { targetingKey: 't-user' },
      served(false, 'off', 'TARGETING_MATCH', { flagVersion: 54 }),
      undefined,
      true,
    ),
    b(
      'a failing prerequisite wins over an individual target',
      'prereq-before-target',
      { targetingKey: 't-user' },
      pf('legacy-off', 55),
    ),
    b(
      'a disabled flag does not evaluate its prerequisites',
      'disabled-before-prereq',
      u1,
      served(false, 'off', 'DISABLED', { flagVersion: 56 }),
      undefined,
      true,
    ),
    kase(
      'a string flag with a failed prerequisite serves its offVariation',
      'copy-text',
      'string',
      'default',
      u1,
      served('old', 'old', 'PREREQUISITE_FAILED', {
        prerequisiteKey: 'legacy-off',
        flagVersion: 57,
      }),
    ),
  ];

  return {
    name: 'prerequisites',
    description:
      'Prerequisites (DESIGN §3 step 3): pass, fail by variation, fail because disabled, order, ' +
      'chains, failure with and without offVariation, a prerequisite that errors.',
    snapshot: snapshot(flags),
    valid: true,
    cases,
  };
}

// ---------------------------------------------------------------------------------------------
// segments.json
// ---------------------------------------------------------------------------------------------

function segments(): CorpusFile {
  const seg = (key: string, rest: JsonObject = {}): JsonObject => ({
    key,
    version: 60,
    included: [],
    excluded: [],
    rules: [],
    ...rest,
  });
  const inSeg = (flagKey: string, segs: string[], negate = false, attribute = 'key'): JsonObject =>
    boolFlag(flagKey, {
      version: 61,
      rules: [
        { id: 'r1', clauses: [clause(attribute, 'inSegment', segs, negate)], variation: 'on' },
      ],
    });

  const segs = [
    seg('beta', {
      included: ['alice'],
      excluded: ['bob'],
      rules: [{ id: 'beta-plan', clauses: [clause('plan', 'equals', ['beta'])] }],
    }),
    seg('both-lists', { included: ['zoe'], excluded: ['zoe'] }),
    seg('and-seg', {
      rules: [
        {
          id: 'pro-fr',
          clauses: [clause('plan', 'equals', ['pro']), clause('country', 'equals', ['FR'])],
        },
      ],
    }),
    seg('any-seg', {
      rules: [
        { id: 'pro', clauses: [clause('plan', 'equals', ['pro'])] },
        { id: 'fr', clauses: [clause('country', 'equals', ['FR'])] },
      ],
    }),
    seg('empty-seg'),
    seg('inner', {
      included: ['ivy'],
      rules: [{ id: 'nl', clauses: [clause('country', 'equals', ['NL'])] }],
    }),
    seg('outer', {
      excluded: ['nils'],
      rules: [{ id: 'via-inner', clauses: [clause('key', 'inSegment', ['inner'])] }],
    }),
    seg('half-seg', { rules: [{ id: 'half', clauses: [], percentage: 50 }] }),
    seg('salted-seg', { salt: 'seg-pepper', rules: [{ id: 'half', clauses: [], percentage: 50 }] }),
    seg('empty-salt-seg', { salt: '', rules: [{ id: 'half', clauses: [], percentage: 50 }] }),
    seg('org-seg', {
      rules: [{ id: 'half-orgs', clauses: [], percentage: 50, bucketBy: 'orgId' }],
    }),
    seg('pro-half-seg', {
      rules: [{ id: 'pro-half', clauses: [clause('plan', 'equals', ['pro'])], percentage: 50 }],
    }),
    seg('quarter-seg', { rules: [{ id: 'quarter', clauses: [], percentage: 25 }] }),
  ];
  const flags = [
    inSeg('in-beta', ['beta']),
    inSeg('in-both-lists', ['both-lists']),
    inSeg('in-and-seg', ['and-seg']),
    inSeg('in-any-seg', ['any-seg']),
    inSeg('in-empty-or-beta', ['empty-seg', 'beta']),
    inSeg('in-empty', ['empty-seg']),
    inSeg('not-in-beta', ['beta'], true),
    inSeg('in-beta-other-attribute', ['beta'], false, 'irrelevant'),
    inSeg('in-outer', ['outer']),
    inSeg('in-half-seg', ['half-seg']),
    inSeg('in-salted-seg', ['salted-seg']),
    inSeg('in-empty-salt-seg', ['empty-salt-seg']),
    inSeg('in-org-seg', ['org-seg']),
    inSeg('in-pro-half-seg', ['pro-half-seg']),
    inSeg('in-quarter-seg', ['quarter-seg']),
  ];

  // Segment rule buckets use <segmentKey>.<salt>.<value>, never the flag's hash input.
  const halfIn = findKey(
    (k) => bucketOf('half-seg', k) < 50000 && bucketOf('in-half-seg', k) >= 50000,
  );
  const halfOut = findKey(
    (k) => bucketOf('half-seg', k) >= 50000 && bucketOf('in-half-seg', k) < 50000,
  );
  const saltIn = findKey(
    (k) => bucketOf('salted-seg', k, 'seg-pepper') < 50000 && bucketOf('salted-seg', k) >= 50000,
  );
  const saltOut = findKey(
    (k) => bucketOf('salted-seg', k, 'seg-pepper') >= 50000 && bucketOf('salted-seg', k) < 50000,
  );
  const emptySaltIn = findKey(
    (k) => bucketOf('empty-salt-seg', k, '') < 50000 && bucketOf('empty-salt-seg', k) >= 50000,
  );
  const emptySaltOut = findKey(
    (k) => bucketOf('empty-salt-seg', k, '') >= 50000 && bucketOf('empty-salt-seg', k) < 50000,
  );
  // A targeting key that would be outside org-seg if it (wrongly) bucketed by the targeting key.
  const orgTk = findKey((k) => bucketOf('org-seg', k) >= 50000);
  const orgIn = findKey((o) => bucketOf('org-seg', o) < 50000, 'org-');
  const orgOut = findKey((o) => bucketOf('org-seg', o) >= 50000, 'org-');
  const orgIntIn = findInt((n) => bucketOf('org-seg', String(n)) < 50000);
  const proHigh = findKey((k) => bucketOf('pro-half-seg', k) >= 50000);
  const proLow = findKey((k) => bucketOf('pro-half-seg', k) < 50000);

  const IN: Expected = ON_R1;
  const OUT: Expected = OFF_DEFAULT;
  const c = (name: string, flag: string, ctx: JsonObject, expected: Expected, note?: string) =>
    boolCase(name, flag, ctx, expected, note);

  const cases: Case[] = [
    c('a key in included is in the segment', 'in-beta', { targetingKey: 'alice' }, IN),
    c(
      'a key in excluded is not in the segment even when a segment rule matches',
      'in-beta',
      { targetingKey: 'bob', plan: 'beta' },
      OUT,
    ),
    c(
      'a context matching a segment rule is in the segment',
      'in-beta',
      { targetingKey: 'carol', plan: 'beta' },
      IN,
    ),
    c(
      'a context matching no list and no rule is not in the segment',
      'in-beta',
      { targetingKey: 'dave', plan: 'pro' },
      OUT,
    ),
    c(
      'a context without a targeting key can still match a segment rule',
      'in-beta',
      { plan: 'beta' },
      IN,
      'inSegment ignores its attribute (DESIGN §2), so the absent targeting key does not make the clause missing.',
    ),
    c(
      'included beats excluded when a key is in both lists',
      'in-both-lists',
      { targetingKey: 'zoe' },
      IN,
      'DESIGN §2: "in the segment when its key is in included; otherwise not when in excluded". ' +
        'Read as: a key in both lists is valid and included.',
    ),
    c(
      'all clauses of a segment rule must match',
      'in-and-seg',
      { targetingKey: 'u', plan: 'pro', country: 'FR' },
      IN,
    ),
    c(
      'a segment rule with one failing clause does not match',
      'in-and-seg',
      { targetingKey: 'u', plan: 'pro', country: 'DE' },
      OUT,
    ),
    c(
      'any matching segment rule puts the context in the segment (second rule)',
      'in-any-seg',
      { targetingKey: 'u', country: 'FR' },
      IN,
    ),
    c(
      'any matching segment rule puts the context in the segment (first rule)',
      'in-any-seg',
      { targetingKey: 'u', plan: 'pro' },
      IN,
    ),
    c('an empty segment contains nobody', 'in-empty', { targetingKey: 'alice', plan: 'beta' }, OUT),
    c(
      'inSegment matches when the context is in any listed segment',
      'in-empty-or-beta',
      { targetingKey: 'alice' },
      IN,
    ),
    c(
      'a negated inSegment matches a context outside the segment',
      'not-in-beta',
      { targetingKey: 'dave' },
      IN,
    ),
    c(
      'a negated inSegment does not match a context in the segment',
      'not-in-beta',
      { targetingKey: 'alice' },
      OUT,
    ),
    c(
      'inSegment ignores its attribute, even when that attribute is absent',
      'in-beta-other-attribute',
      { targetingKey: 'alice' },
      IN,
    ),
    c(
      "a nested inSegment includes the inner segment's included keys",
      'in-outer',
      { targetingKey: 'ivy' },
      IN,
    ),
    c(
      "a nested inSegment includes the inner segment's rule matches",
      'in-outer',
      { targetingKey: 'nora', country: 'NL' },
      IN,
    ),
    c(
      "the outer segment's excluded list still applies over a nested match",
      'in-outer',
      { targetingKey: 'nils', country: 'NL' },
      OUT,
    ),
    c(
      'a context outside the inner segment is outside the outer segment',
      'in-outer',
      { targetingKey: 'nora', country: 'BE' },
      OUT,
    ),
    c(
      "a segment percentage uses the segment's own hash input: bucket below 50000 is in",
      'in-half-seg',
      { targetingKey: halfIn },
      IN,
      `bucket(half-seg.half-seg.${halfIn}) = ${bucketOf('half-seg', halfIn)}; the flag's hash input gives ${bucketOf('in-half-seg', halfIn)}.`,
    ),
    c(
      "a segment percentage uses the segment's own hash input: bucket at or above 50000 is out",
      'in-half-seg',
      { targetingKey: halfOut },
      OUT,
      `bucket(half-seg.half-seg.${halfOut}) = ${bucketOf('half-seg', halfOut)}; the flag's hash input gives ${bucketOf('in-half-seg', halfOut)}.`,
    ),
    c(
      'a segment with an explicit salt hashes with that salt (in)',
      'in-salted-seg',
      { targetingKey: saltIn },
      IN,
      `bucket(salted-seg.seg-pepper.${saltIn}) = ${bucketOf('salted-seg', saltIn, 'seg-pepper')}.`,
    ),
    c(
      'a segment with an explicit salt hashes with that salt (out)',
      'in-salted-seg',
      { targetingKey: saltOut },
      OUT,
      `bucket(salted-seg.seg-pepper.${saltOut}) = ${bucketOf('salted-seg', saltOut, 'seg-pepper')}.`,
    ),
    c(
      'a segment with an empty salt hashes with the empty salt (in)',
      'in-empty-salt-seg',
      { targetingKey: emptySaltIn },
      IN,
      `bucket(empty-salt-seg..${emptySaltIn}) = ${bucketOf('empty-salt-seg', emptySaltIn, '')}.`,
    ),
    c(
      'a segment with an empty salt hashes with the empty salt (out)',
      'in-empty-salt-seg',
      { targetingKey: emptySaltOut },
      OUT,
      `bucket(empty-salt-seg..${emptySaltOut}) = ${bucketOf('empty-salt-seg', emptySaltOut, '')}.`,
    ),
    c(
      'a segment rule percentage buckets by its bucketBy attribute (in)',
      'in-org-seg',
      { targetingKey: orgTk, orgId: orgIn },
      IN,
      `bucket(org-seg.org-seg.${orgIn}) = ${bucketOf('org-seg', orgIn)}.`,
    ),
    c(
      'a segment rule percentage buckets by its bucketBy attribute (out)',
      'in-org-seg',
      { targetingKey: orgTk, orgId: orgOut },
      OUT,
      `bucket(org-seg.org-seg.${orgOut}) = ${bucketOf('org-seg', orgOut)}.`,
    ),
    c(
      'a segment rule bucketBy attribute may be an integer, hashed as its decimal string',
      'in-org-seg',
      { targetingKey: orgTk, orgId: orgIntIn },
      IN,
      `bucket(org-seg.org-seg.${orgIntIn}) = ${bucketOf('org-seg', String(orgIntIn))}.`,
    ),
    c(
      'a segment rule whose bucketBy attribute is missing does not match',
      'in-org-seg',
      { targetingKey: orgTk },
      OUT,
      'DESIGN §3 step 7 (a percentage rule without a usable bucket does not match) applied to segment rules; no error.',
    ),
    c(
      'a segment rule whose bucketBy attribute is a boolean does not match',
      'in-org-seg',
      { targetingKey: orgTk, orgId: true },
      OUT,
      'As above: neither a string nor an integer.',
    ),
    c(
      'a segment rule percentage applies only after its clauses match',
      'in-pro-half-seg',
      { targetingKey: proLow, plan: 'free' },
      OUT,
    ),
    c(
      'a segment rule with matching clauses and a low bucket matches',
      'in-pro-half-seg',
      { targetingKey: proLow, plan: 'pro' },
      IN,
      `bucket = ${bucketOf('pro-half-seg', proLow)}.`,
    ),
    c(
      'a segment rule with matching clauses and a high bucket does not match',
      'in-pro-half-seg',
      { targetingKey: proHigh, plan: 'pro' },
      OUT,
      `bucket = ${bucketOf('pro-half-seg', proHigh)}.`,
    ),
  ];

  const quarterShare = share(100000, (i) => bucketOf('quarter-seg', `user-${i}`) < 25000);
  return {
    name: 'segments',
    description:
      'Segments (DESIGN §2): included beats excluded beats rules, rule AND, rule percentages on ' +
      '<segmentKey>.<salt>.<value>, salts, bucketBy, nested inSegment, negation.',
    snapshot: snapshot(flags, segs),
    valid: true,
    cases,
    distributions: [
      {
        name: 'a 25% segment rule holds a quarter of all keys',
        note: `Share computed by generate.ts: ${quarterShare}.`,
        flag: 'in-quarter-seg',
        type: 'boolean',
        default: false,
        keyPrefix: 'user-',
        count: 100000,
        attribute: 'targetingKey',
        shares: { on: 0.25, off: 0.75 },
        tolerance: 0.01,
      },
    ],
  };
}

function share(count: number, predicate: (i: number) => boolean): number {
  let hits = 0;
  for (let i = 0; i < count; i++) if (predicate(i)) hits++;
  return hits / count;
}

// ---------------------------------------------------------------------------------------------
// rules-and-splits.json
// ---------------------------------------------------------------------------------------------

function rulesAndSplits(): CorpusFile {
  const weights = (...pairs: [string, number][]): Json =>
    pairs.map(([variation, weight]) => ({ variation, weight }));
  const pct = (key: string, percentage: number, rest: JsonObject = {}): JsonObject =>
    boolFlag(key, { rules: [{ id: 'gate', clauses: [], percentage, variation: 'on' }], ...rest });

  const flags: JsonObject[] = [
    stringFlag('rule-order', ['a', 'b', 'c', 'd'], {
      rules: [
        { id: 'pro-only', clauses: [clause('plan', 'equals', ['pro'])], variation: 'a' },
        { id: 'pro-or-team', clauses: [clause('plan', 'equals', ['pro', 'team'])], variation: 'b' },
        { id: 'catch-all', clauses: [], variation: 'c' },
      ],
    }),
    pct('pct-ten', 10),
    pct('pct-twelve-and-a-half', 12.5),
    pct('pct-round-up', ROUNDS_UP),
    pct('pct-round-down', ROUNDS_DOWN),
    pct('pct-zero', 0),
    pct('pct-hundred', 100),
    pct('pct-min', 0.001),
    boolFlag('pct-pro-half', {
      rules: [
        {
          id: 'pro-half',
          clauses: [clause('plan', 'equals', ['pro'])],
          percentage: 50,
          variation: 'on',
        },
      ],
    }),
    stringFlag('pct-by-org', ['a', 'b', 'z'], {
      rules: [
        { id: 'half-orgs', clauses: [], percentage: 50, bucketBy: 'orgId', variation: 'a' },
        { id: 'rest', clauses: [], variation: 'b' },
      ],
    }),
    pct('pct-salted', 50, { salt: 'pepper' }),
    stringFlag('abn', ['a', 'b', 'c'], {
      rules: [
        { id: 'first-30', clauses: [], percentage: 30, variation: 'a' },
        { id: 'next-40', clauses: [], percentage: 70, variation: 'b' },
        { id: 'last-30', clauses: [], percentage: 100, variation: 'c' },
      ],
    }),
    boolFlag('weights-ten', {
      version: 70,
      fallthrough: { weights: weights(['on', 10000], ['off', 90000]) },
    }),
    stringFlag('weights-rule', ['a', 'b', 'c', 'z'], {
      version: 71,
      rules: [
        {
          id: 'fr-split',
          clauses: [clause('country', 'equals', ['FR'])],
          weights: weights(['a', 25000], ['b', 25000], ['c', 50000]),
        },
      ],
    }),
    stringFlag('weights-zero', ['a', 'b', 'c'], {
      fallthrough: { weights: weights(['a', 0], ['b', 50000], ['c', 50000]) },
    }),
    boolFlag('weights-by-account', {
      fallthrough: { weights: weights(['on', 50000], ['off', 50000]), bucketBy: 'accountId' },
    }),
    boolFlag('weights-by-pointer', {
      fallthrough: { weights: weights(['on', 50000], ['off', 50000]), bucketBy: '/account/id' },
    }),
    stringFlag('salt-default', ['a', 'b'], {
      fallthrough: { weights: weights(['a', 50000], ['b', 50000]) },
    }),
    stringFlag('salt-explicit', ['a', 'b'], {
      salt: 'explicit-salt',
      fallthrough: { weights: weights(['a', 50000], ['b', 50000]) },
    }),
    stringFlag('salt-empty', ['a', 'b'], {
      salt: '',
      fallthrough: { weights: weights(['a', 50000], ['b', 50000]) },
    }),
  ];

  const P = (flag: string, salt?: string) => hashPrefix(flag, salt);
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);
  const b = (
    name: string,
    flag: string,
    ctx: JsonObject,
    expected: Expected,
    note?: string,
    _def?: boolean,
  ) => add(boolCase(name, flag, ctx, expected, note));
  const s = (name: string, flag: string, ctx: JsonObject, expected: Expected, note?: string) =>
    add(kase(name, flag, 'string', 'none', ctx, expected, note));
  const gate = (bucket: number): Expected =>
    served(true, 'on', 'SPLIT', { ruleId: 'gate', ruleIndex: 0, bucket });
  const OFF: Expected = served(false, 'off', 'DEFAULT');

  // rule order
  s(
    'the first matching rule serves, with its id and index',
    'rule-order',
    { targetingKey: 'u', plan: 'pro' },
    served('a', 'a', 'TARGETING_MATCH', { ruleId: 'pro-only', ruleIndex: 0 }),
  );
  s(
    'a later rule serves when earlier rules do not match',
    'rule-order',
    { targetingKey: 'u', plan: 'team' },
    served('b', 'b', 'TARGETING_MATCH', { ruleId: 'pro-or-team', ruleIndex: 1 }),
  );
  s(
    'a rule with no clauses matches every context',
    'rule-order',
    { targetingKey: 'u', plan: 'free' },
    served('c', 'c', 'TARGETING_MATCH', { ruleId: 'catch-all', ruleIndex: 2 }),
  );
  s(
    'a rule with no clauses matches an empty context',
    'rule-order',
    {},
    served('c', 'c', 'TARGETING_MATCH', { ruleId: 'catch-all', ruleIndex: 2 }),
  );

  // percentage gates
  for (const [flag, percentage, inBuckets, outBuckets, note] of [
    ['pct-ten', 10, [0, 9999], [10000], undefined],
    ['pct-twelve-and-a-half', 12.5, [12499], [12500], 'Threshold round(12.5 * 1000) = 12500.'],
    [
      'pct-round-up',
      1.005,
      [1004],
      [1005],
      'In doubles 1.005 * 1000 = 1004.9999999999999; the threshold is round() = 1005, so bucket 1004 is in (floor would give 1004 and exclude it).',
    ],
    [
      'pct-round-down',
      2.007,
      [2006],
      [2007],
      'In doubles 2.007 * 1000 = 2007.0000000000002; the threshold is round() = 2007, so bucket 2007 is out (comparing with the raw product or ceil would let it in).',
    ],
    ['pct-zero', 0, [], [0], 'Threshold 0: no bucket is below it.'],
    [
      'pct-hundred',
      100,
      [99999],
      [],
      'Threshold 100000: every bucket (at most 99999) is below it.',
    ],
    ['pct-min', 0.001, [0], [1], 'Threshold round(0.001 * 1000) = 1: only bucket 0.'],
  ] as [string, number, number[], number[], string | undefined][]) {
    for (const bucket of inBuckets) {
      const key = keyAtBucket(P(flag), bucket);
      b(
        `a ${percentage}% rule serves a key with bucket ${bucket} (SPLIT)`,
        flag,
        { targetingKey: key },
        gate(bucket),
        note,
      );
    }
    for (const bucket of outBuckets) {
      const key = keyAtBucket(P(flag), bucket);
      b(
        `a ${percentage}% rule passes over a key with bucket ${bucket} to the fallthrough`,
        flag,
        { targetingKey: key },
        OFF,
        note,
      );
    }
  }

  const proLow = findKey((k) => bucketOf('pct-pro-half', k) < 50000);
  const proHigh = findKey((k) => bucketOf('pct-pro-half', k) >= 50000);
  b(
    'a percentage rule does not serve when its clauses do not match, whatever the bucket',
    'pct-pro-half',
    { targetingKey: proLow, plan: 'free' },
    OFF,
  );
  b(
    'a percentage rule serves when its clauses match and the bucket is below the threshold',
    'pct-pro-half',
    { targetingKey: proLow, plan: 'pro' },
    served(true, 'on', 'SPLIT', {
      ruleId: 'pro-half',
      ruleIndex: 0,
      bucket: bucketOf('pct-pro-half', proLow),
    }),
  );
  b(
    'a percentage rule whose clauses match but whose bucket is too high falls through',
    'pct-pro-half',
    { targetingKey: proHigh, plan: 'pro' },
    OFF,
  );

  // percentage rule with bucketBy
  const orgLow = findKey((o) => bucketOf('pct-by-org', o) < 50000, 'org-');
  const orgHigh = findKey((o) => bucketOf('pct-by-org', o) >= 50000, 'org-');
  const orgTk = findKey((k) => bucketOf('pct-by-org', k) >= 50000);
  const orgIntLow = findInt((n) => bucketOf('pct-by-org', String(n)) < 50000);
  const half = (bucket: number): Expected =>
    served('a', 'a', 'SPLIT', { ruleId: 'half-orgs', ruleIndex: 0, bucket });
  const rest: Expected = served('b', 'b', 'TARGETING_MATCH', { ruleId: 'rest', ruleIndex: 1 });
  s(
    'a percentage rule buckets by its bucketBy attribute, not the targeting key',
    'pct-by-org',
    { targetingKey: orgTk, orgId: orgLow },
    half(bucketOf('pct-by-org', orgLow)),
    `The targeting key alone would give bucket ${bucketOf('pct-by-org', orgTk)} (out).`,
  );
  s(
    'a percentage rule with a high bucketBy bucket passes to the next rule',
    'pct-by-org',
    { targetingKey: orgTk, orgId: orgHigh },
    rest,
  );
  s(
    'a percentage rule hashes an integer bucketBy value as its decimal string',
    'pct-by-org',
    { targetingKey: orgTk, orgId: orgIntLow },
    half(bucketOf('pct-by-org', String(orgIntLow))),
  );
  s(
    'a percentage rule needs no targeting key when it buckets by another attribute',
    'pct-by-org',
    { orgId: orgLow },
    half(bucketOf('pct-by-org', orgLow)),
  );
  s(
    'a percentage rule whose bucketBy attribute is missing does not match and evaluation continues',
    'pct-by-org',
    { targetingKey: orgTk },
    rest,
  );
  s(
    'a percentage rule whose bucketBy attribute is null does not match',
    'pct-by-org',
    { targetingKey: orgTk, orgId: null },
    rest,
  );
  s(
    'a percentage rule whose bucketBy attribute is a boolean does not match',
    'pct-by-org',
    { targetingKey: orgTk, orgId: true },
    rest,
  );
  s(
    'a percentage rule whose bucketBy attribute is a non-integer number does not match',
    'pct-by-org',
    { targetingKey: orgTk, orgId: 2.5 },
    rest,
  );

  // percentage rule with explicit salt
  const saltedIn = findKey(
    (k) => bucketOf('pct-salted', k, 'pepper') < 50000 && bucketOf('pct-salted', k) >= 50000,
  );
  const saltedOut = findKey(
    (k) => bucketOf('pct-salted', k, 'pepper') >= 50000 && bucketOf('pct-salted', k) < 50000,
  );
  b(
    "a percentage rule hashes with the flag's explicit salt (in)",
    'pct-salted',
    { targetingKey: saltedIn },
    gate(bucketOf('pct-salted', saltedIn, 'pepper')),
    `The default salt would give bucket ${bucketOf('pct-salted', saltedIn)}.`,
  );
  b(
    "a percentage rule hashes with the flag's explicit salt (out)",
    'pct-salted',
    { targetingKey: saltedOut },
    OFF,
    `bucket(pct-salted.pepper.${saltedOut}) = ${bucketOf('pct-salted', saltedOut, 'pepper')}; the default salt would give ${bucketOf('pct-salted', saltedOut)}.`,
  );

  // A/B/n with cumulative percentage rules
  const abn = [
    [0, 'a', 'first-30', 0],
    [29999, 'a', 'first-30', 0],
    [30000, 'b', 'next-40', 1],
    [69999, 'b', 'next-40', 1],
    [70000, 'c', 'last-30', 2],
    [99999, 'c', 'last-30', 2],
  ] as const;
  for (const [bucket, variant, ruleId, ruleIndex] of abn) {
    s(
      `cumulative percentage rules 30/70/100 serve ${variant} at bucket ${bucket}`,
      'abn',
      { targetingKey: keyAtBucket(P('abn'), bucket) },
      served(variant, variant, 'SPLIT', { ruleId, ruleIndex, bucket }),
    );
  }

  // weighted fallthrough
  const w10 = (bucket: number, on: boolean): Expected =>
    served(on, on ? 'on' : 'off', 'SPLIT', { bucket, flagVersion: 70 });
  b(
    'a weighted fallthrough serves the first variation while the running sum exceeds the bucket',
    'weights-ten',
    { targetingKey: keyAtBucket(P('weights-ten'), 9999) },
    w10(9999, true),
  );
  b(
    'a weighted fallthrough serves the next variation once the bucket reaches the first weight',
    'weights-ten',
    { targetingKey: keyAtBucket(P('weights-ten'), 10000) },
    w10(10000, false),
  );
  b(
    'a weighted fallthrough without a targeting key answers TARGETING_KEY_MISSING',
    'weights-ten',
    {},
    failed(true, 'TARGETING_KEY_MISSING'),
    undefined,
    true,
  );
  b(
    'a weighted fallthrough with a null targeting key answers TARGETING_KEY_MISSING',
    'weights-ten',
    { targetingKey: null },
    failed(true, 'TARGETING_KEY_MISSING'),
    undefined,
    true,
  );
  const emptyKeyBucket = bucketOf('weights-ten', '');
  b(
    'an empty-string targeting key is present and is hashed as is',
    'weights-ten',
    { targetingKey: '' },
    w10(emptyKeyBucket, emptyKeyBucket < 10000),
    'DESIGN §2 calls an attribute missing only when absent, null or unresolved; "" is a present string. ' +
      `bucket(weights-ten.weights-ten.) = ${emptyKeyBucket}.`,
  );

  // weighted rule
  const fr = (bucket: number, v: string): Expected =>
    served(v, v, 'SPLIT', { ruleId: 'fr-split', ruleIndex: 0, bucket, flagVersion: 71 });
  for (const [bucket, v] of [
    [24999, 'a'],
    [25000, 'b'],
    [49999, 'b'],
    [50000, 'c'],
  ] as [number, string][]) {
    s(
      `a weighted rule serves ${v} at bucket ${bucket}`,
      'weights-rule',
      { targetingKey: keyAtBucket(P('weights-rule'), bucket), country: 'FR' },
      fr(bucket, v),
    );
  }
  s(
    'a weighted rule whose clauses do not match leaves the fallthrough to serve',
    'weights-rule',
    { targetingKey: 'user-1', country: 'DE' },
    served('z', 'z', 'DEFAULT'),
  );
  s(
    'a weighted rule that matches without a targeting key answers TARGETING_KEY_MISSING instead of continuing',
    'weights-rule',
    { country: 'FR' },
    failed('none', 'TARGETING_KEY_MISSING'),
  );
  s(
    'a weighted rule whose clauses do not match needs no bucket',
    'weights-rule',
    { country: 'DE' },
    served('z', 'z', 'DEFAULT'),
  );

  // zero weight
  for (const [bucket, v] of [
    [0, 'b'],
    [49999, 'b'],
    [50000, 'c'],
  ] as [number, string][]) {
    s(
      `a zero weight never serves: bucket ${bucket} gets ${v}`,
      'weights-zero',
      { targetingKey: keyAtBucket(P('weights-zero'), bucket) },
      served(v, v, 'SPLIT', { bucket }),
      bucket === 0 ? "Running sums 0, 50000, 100000: the first sum exceeding 0 is b's." : undefined,
    );
  }

  // weighted bucketBy attribute
  const acctLow = findKey((a) => bucketOf('weights-by-account', a) < 50000, 'acct-');
  const acctHigh = findKey((a) => bucketOf('weights-by-account', a) >= 50000, 'acct-');
  const acctTk = findKey((k) => bucketOf('weights-by-account', k) >= 50000);
  const intLow = findInt((n) => bucketOf('weights-by-account', String(n)) < 50000);
  const intHigh = findInt((n) => bucketOf('weights-by-account', String(n)) >= 50000);
  const acct = (bucket: number): Expected =>
    served(bucket < 50000, bucket < 50000 ? 'on' : 'off', 'SPLIT', { bucket });
  b(
    'a weighted serve buckets by its bucketBy string attribute, not the targeting key',
    'weights-by-account',
    { targetingKey: acctTk, accountId: acctLow },
    acct(bucketOf('weights-by-account', acctLow)),
    `The targeting key alone would give bucket ${bucketOf('weights-by-account', acctTk)}.`,
  );
  b(
    'a weighted serve buckets a high bucketBy value into the second variation',
    'weights-by-account',
    { targetingKey: acctTk, accountId: acctHigh },
    acct(bucketOf('weights-by-account', acctHigh)),
  );
  b(
    'a weighted serve hashes an integer bucketBy value as its decimal string',
    'weights-by-account',
    { targetingKey: acctTk, accountId: intLow },
    acct(bucketOf('weights-by-account', String(intLow))),
  );
  b(
    'a weighted serve gives the string form of an integer the same bucket as the integer',
    'weights-by-account',
    { targetingKey: acctTk, accountId: String(intLow) },
    acct(bucketOf('weights-by-account', String(intLow))),
  );
  b(
    'a weighted serve hashes another integer bucketBy value as its decimal string',
    'weights-by-account',
    { targetingKey: acctTk, accountId: intHigh },
    acct(bucketOf('weights-by-account', String(intHigh))),
  );
  b(
    'a weighted serve hashes a negative integer as its decimal string with a minus sign',
    'weights-by-account',
    { targetingKey: acctTk, accountId: -7 },
    acct(bucketOf('weights-by-account', '-7')),
  );
  b(
    'a weighted serve needs no targeting key when it buckets by another attribute',
    'weights-by-account',
    { accountId: acctLow },
    acct(bucketOf('weights-by-account', acctLow)),
  );
  for (const [what, value] of [
    ['missing', undefined],
    ['null', null],
    ['a boolean', true],
    ['a non-integer number', 1.5],
    ['an object', { id: 1 }],
    ['an array', ['acct-1']],
  ] as [string, Json | undefined][]) {
    const ctx: JsonObject = { targetingKey: acctTk };
    if (value !== undefined) ctx['accountId'] = value;
    b(
      `a weighted serve whose bucketBy attribute is ${what} answers TARGETING_KEY_MISSING`,
      'weights-by-account',
      ctx,
      failed(true, 'TARGETING_KEY_MISSING'),
      undefined,
      true,
    );
  }
  const ptrBucket = bucketOf('weights-by-pointer', 'acct-7');
  b(
    'bucketBy may be a JSON pointer into the context',
    'weights-by-pointer',
    { targetingKey: 'user-1', account: { id: 'acct-7' } },
    acct(ptrBucket),
    'DESIGN §2: an attribute name starting with "/" is a pointer; bucketBy names an attribute, so it reads the pointer too.',
  );
  b(
    'bucketBy through a pointer that does not resolve answers TARGETING_KEY_MISSING',
    'weights-by-pointer',
    { targetingKey: 'user-1', account: {} },
    failed(true, 'TARGETING_KEY_MISSING'),
    undefined,
    true,
  );

  // salts
  for (const [flag, salt, wrongSalt, label] of [
    ['salt-default', undefined, '', 'an absent salt defaults to the flag key'],
    [
      'salt-explicit',
      'explicit-salt',
      undefined,
      'an explicit salt replaces the flag key in the hash input',
    ],
    [
      'salt-empty',
      '',
      undefined,
      'an empty-string salt is used as is, not replaced by the flag key',
    ],
  ] as [string, string | undefined, string | undefined, string][]) {
    for (const wantA of [true, false]) {
      const key = findKey((k) => {
        const right = bucketOf(flag, k, salt);
        const wrong = bucketOf(flag, k, wrongSalt);
        return wantA ? right < 50000 && wrong >= 50000 : right >= 50000 && wrong < 50000;
      });
      const bucket = bucketOf(flag, key, salt);
      const v = wantA ? 'a' : 'b';
      s(
        `${label} (${key} gets ${v})`,
        flag,
        { targetingKey: key },
        served(v, v, 'SPLIT', { bucket }),
        `hash input "${hashPrefix(flag, salt)}${key}" gives bucket ${bucket}; "${hashPrefix(flag, wrongSalt)}${key}" would give ${bucketOf(flag, key, wrongSalt)}.`,
      );
    }
  }

  const abnShares = { a: 0, b: 0, c: 0 };
  for (let i = 0; i < 100000; i++) {
    const bucket = bucketOf('abn', `user-${i}`);
    abnShares[bucket < 30000 ? 'a' : bucket < 70000 ? 'b' : 'c'] += 1 / 100000;
  }
  const tenShare = share(100000, (i) => bucketOf('weights-ten', `user-${i}`) < 10000);
  const emptyShare = share(100000, (i) => bucketOf('salt-empty', `user-${i}`, '') < 50000);
  return {
    name: 'rules-and-splits',
    description:
      'Rules in order, percentage gates (threshold round(percentage * 1000)), cumulative A/B/n, ' +
      'weighted serves, bucketBy, salts (DESIGN §2-4). Keys were chosen by generate.ts with its own SHA-1.',
    snapshot: snapshot(flags),
    valid: true,
    cases,
    distributions: [
      {
        name: 'cumulative percentage rules 30/70/100 split keys 30/40/30',
        note: `Shares computed by generate.ts: a ${abnShares.a.toFixed(5)}, b ${abnShares.b.toFixed(5)}, c ${abnShares.c.toFixed(5)}.`,
        flag: 'abn',
        type: 'string',
        default: 'none',
        keyPrefix: 'user-',
        count: 100000,
        attribute: 'targetingKey',
        shares: { a: 0.3, b: 0.4, c: 0.3 },
        tolerance: 0.01,
      },
      {
        name: 'a 10/90 weighted fallthrough splits keys 10/90',
        note: `Share of on computed by generate.ts: ${tenShare}.`,
        flag: 'weights-ten',
        type: 'boolean',
        default: false,
        keyPrefix: 'user-',
        count: 100000,
        attribute: 'targetingKey',
        shares: { on: 0.1, off: 0.9 },
        tolerance: 0.01,
      },
      {
        name: 'a 50/50 weighted fallthrough with an empty salt splits keys evenly',
        note: `Share of a computed by generate.ts: ${emptyShare}.`,
        flag: 'salt-empty',
        type: 'string',
        default: 'none',
        keyPrefix: 'user-',
        count: 100000,
        attribute: 'targetingKey',
        shares: { a: 0.5, b: 0.5 },
        tolerance: 0.01,
      },
      {
        name: 'a weighted serve bucketed by accountId splits accounts evenly',
        flag: 'weights-by-account',
        type: 'boolean',
        default: false,
        keyPrefix: 'acct-',
        count: 100000,
        attribute: 'accountId',
        context: { targetingKey: acctTk },
        shares: { on: 0.5, off: 0.5 },
        tolerance: 0.01,
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// reasons-and-errors.json
// ---------------------------------------------------------------------------------------------

function reasonsAndErrors(): CorpusFile {
  const flags: JsonObject[] = [
    boolFlag('static-flag', { version: 7, fallthrough: { variation: 'on' } }),
    boolFlag('static-empty-collections', {
      version: 8,
      prerequisites: [],
      targets: {},
      rules: [],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('static-empty-targets', {
      version: 9,
      targets: { on: [], off: [] },
      fallthrough: { variation: 'on' },
    }),
    boolFlag('default-rules', {
      version: 11,
      rules: [{ id: 'pro', clauses: [clause('plan', 'equals', ['pro'])], variation: 'on' }],
    }),
    boolFlag('default-targets', { version: 12, targets: { on: ['vip'] } }),
    boolFlag('default-prereq', {
      version: 13,
      prerequisites: [{ flag: 'static-flag', variation: 'on' }],
      fallthrough: { variation: 'on' },
    }),
    stringFlag('split-fallthrough', ['left', 'right'], {
      version: 14,
      fallthrough: {
        weights: [
          { variation: 'left', weight: 50000 },
          { variation: 'right', weight: 50000 },
        ],
      },
    }),
    boolFlag('disabled-off', { version: 15, enabled: false, fallthrough: { variation: 'on' } }),
    {
      key: 'disabled-no-off',
      version: 16,
      type: 'boolean',
      enabled: false,
      variations: BOOL_VARIATIONS,
      fallthrough: { variation: 'on' },
    },
    boolFlag('disabled-weighted', {
      version: 17,
      enabled: false,
      fallthrough: {
        weights: [
          { variation: 'on', weight: 50000 },
          { variation: 'off', weight: 50000 },
        ],
      },
    }),
    stringFlag('string-flag', ['blue', 'green'], {
      version: 18,
      fallthrough: { variation: 'blue' },
    }),
    {
      key: 'number-flag',
      version: 19,
      type: 'number',
      enabled: true,
      variations: [
        { name: 'three', value: 3 },
        { name: 'pi', value: 3.14 },
      ],
      rules: [{ id: 'int', clauses: [clause('wantInt', 'equals', [true])], variation: 'three' }],
      fallthrough: { variation: 'pi' },
    },
    {
      key: 'object-flag',
      version: 20,
      type: 'object',
      enabled: true,
      variations: [
        {
          name: 'config',
          value: { limits: { max: 5 }, tags: ['a', 'b'], ratio: 0.5, on: true, none: null },
        },
        { name: 'list', value: [1, 'two', { three: 3 }] },
      ],
      rules: [{ id: 'list', clauses: [clause('wantList', 'equals', [true])], variation: 'list' }],
      fallthrough: { variation: 'config' },
    },
  ];

  const splitKeyBucket = bucketOf('split-fallthrough', 'user-1');
  const splitV = splitKeyBucket < 50000 ? 'left' : 'right';
  const u1 = { targetingKey: 'user-1' };
  const config = { limits: { max: 5 }, tags: ['a', 'b'], ratio: 0.5, on: true, none: null };

  const cases: Case[] = [
    kase(
      'a flag with no prerequisites, targets or rules serves its fallthrough variation with reason STATIC',
      'static-flag',
      'boolean',
      false,
      u1,
      served(true, 'on', 'STATIC', { flagVersion: 7 }),
    ),
    kase(
      'a static flag needs no targeting key',
      'static-flag',
      'boolean',
      false,
      {},
      served(true, 'on', 'STATIC'),
    ),
    kase(
      'empty prerequisite, target and rule collections still count as none (STATIC)',
      'static-empty-collections',
      'boolean',
      false,
      u1,
      served(true, 'on', 'STATIC', { flagVersion: 8 }),
    ),
    kase(
      'a flag whose target lists are all empty is STATIC',
      'static-empty-targets',
      'boolean',
      false,
      u1,
      served(true, 'on', 'STATIC', { flagVersion: 9 }),
    ),
    kase(
      'a flag with rules that do not match serves its fallthrough with reason DEFAULT',
      'default-rules',
      'boolean',
      true,
      { targetingKey: 'user-1', plan: 'free' },
      served(false, 'off', 'DEFAULT', { flagVersion: 11 }),
    ),
    kase(
      'a matching rule serving a variation gives TARGETING_MATCH with ruleId and ruleIndex',
      'default-rules',
      'boolean',
      false,
      { targetingKey: 'user-1', plan: 'pro' },
      served(true, 'on', 'TARGETING_MATCH', { ruleId: 'pro', ruleIndex: 0, flagVersion: 11 }),
    ),
    kase(
      'a flag with targets that do not match serves its fallthrough with reason DEFAULT',
      'default-targets',
      'boolean',
      true,
      u1,
      served(false, 'off', 'DEFAULT', { flagVersion: 12 }),
    ),
    kase(
      'a flag with passing prerequisites serves its fallthrough with reason DEFAULT',
      'default-prereq',
      'boolean',
      false,
      u1,
      served(true, 'on', 'DEFAULT', { flagVersion: 13 }),
    ),
    kase(
      'a weighted fallthrough gives reason SPLIT with the bucket',
      'split-fallthrough',
      'string',
      'none',
      u1,
      served(splitV, splitV, 'SPLIT', { bucket: splitKeyBucket, flagVersion: 14 }),
    ),
    kase(
      'a disabled flag serves its offVariation with reason DISABLED',
      'disabled-off',
      'boolean',
      true,
      u1,
      served(false, 'off', 'DISABLED', { flagVersion: 15 }),
    ),
    kase(
      'a disabled flag without offVariation serves nothing: the default with reason DISABLED',
      'disabled-no-off',
      'boolean',
      true,
      u1,
      unserved(true, 'DISABLED', { flagVersion: 16 }),
    ),
    kase(
      "a disabled flag without offVariation returns the caller's default whatever it is",
      'disabled-no-off',
      'boolean',
      false,
      u1,
      unserved(false, 'DISABLED'),
    ),
    kase(
      'a disabled flag with a weighted fallthrough needs no targeting key',
      'disabled-weighted',
      'boolean',
      true,
      {},
      served(false, 'off', 'DISABLED', { flagVersion: 17 }),
    ),
    kase(
      'a missing flag answers FLAG_NOT_FOUND with the default',
      'no-such-flag',
      'boolean',
      true,
      u1,
      failed(true, 'FLAG_NOT_FOUND'),
    ),
    kase(
      'a missing flag read as a string answers FLAG_NOT_FOUND with the string default',
      'no-such-flag',
      'string',
      'fallback',
      u1,
      failed('fallback', 'FLAG_NOT_FOUND'),
    ),
    kase(
      'a missing flag read as an object answers FLAG_NOT_FOUND with the object default',
      'no-such-flag',
      'object',
      { fallback: true },
      u1,
      failed({ fallback: true }, 'FLAG_NOT_FOUND'),
    ),
    kase(
      'a string flag read as a string serves its value',
      'string-flag',
      'string',
      'none',
      u1,
      served('blue', 'blue', 'STATIC', { flagVersion: 18 }),
    ),
    kase(
      'a string flag read as a boolean answers TYPE_MISMATCH',
      'string-flag',
      'boolean',
      false,
      u1,
      failed(false, 'TYPE_MISMATCH'),
    ),
    kase(
      'a string flag read as a number answers TYPE_MISMATCH',
      'string-flag',
      'number',
      0,
      u1,
      failed(0, 'TYPE_MISMATCH'),
    ),
    kase(
      'a string flag read as an object answers TYPE_MISMATCH',
      'string-flag',
      'object',
      {},
      u1,
      failed({}, 'TYPE_MISMATCH'),
    ),
    kase(
      'a number flag read as a number serves a fractional value',
      'number-flag',
      'number',
      0,
      u1,
      served(3.14, 'pi', 'DEFAULT', { flagVersion: 19 }),
    ),
    kase(
      'a number flag read as a number serves an integer value',
      'number-flag',
      'number',
      0,
      { targetingKey: 'user-1', wantInt: true },
      served(3, 'three', 'TARGETING_MATCH', { ruleId: 'int', ruleIndex: 0 }),
    ),
    kase(
      'a number flag read as a string answers TYPE_MISMATCH',
      'number-flag',
      'string',
      'none',
      u1,
      failed('none', 'TYPE_MISMATCH'),
    ),
    kase(
      'a number flag read as a boolean answers TYPE_MISMATCH',
      'number-flag',
      'boolean',
      true,
      u1,
      failed(true, 'TYPE_MISMATCH'),
    ),
    kase(
      'a boolean flag read as a number answers TYPE_MISMATCH',
      'static-flag',
      'number',
      0,
      u1,
      failed(0, 'TYPE_MISMATCH'),
    ),
    kase(
      'a boolean flag read as a string answers TYPE_MISMATCH',
      'static-flag',
      'string',
      'true',
      u1,
      failed('true', 'TYPE_MISMATCH'),
    ),
    kase(
      'a boolean served by a matching rule but read as a string answers TYPE_MISMATCH',
      'default-rules',
      'string',
      'none',
      { targetingKey: 'user-1', plan: 'pro' },
      failed('none', 'TYPE_MISMATCH'),
    ),
    kase(
      "a disabled flag's offVariation of the wrong type answers TYPE_MISMATCH",
      'disabled-off',
      'string',
      'none',
      u1,
      failed('none', 'TYPE_MISMATCH'),
      'DESIGN §3 step 8 applies to every served variation value, the offVariation included.',
    ),
    kase(
      'an object flag read as an object serves a JSON object',
      'object-flag',
      'object',
      {},
      u1,
      served(config, 'config', 'DEFAULT', { flagVersion: 20 }),
    ),
    kase(
      'the object type accepts a JSON array',
      'object-flag',
      'object',
      {},
      { targetingKey: 'user-1', wantList: true },
      served([1, 'two', { three: 3 }], 'list', 'TARGETING_MATCH', { ruleId: 'list', ruleIndex: 0 }),
    ),
    kase(
      'an object flag read as a string answers TYPE_MISMATCH',
      'object-flag',
      'string',
      'none',
      u1,
      failed('none', 'TYPE_MISMATCH'),
    ),
    kase(
      'an array value read as a boolean answers TYPE_MISMATCH',
      'object-flag',
      'boolean',
      false,
      { targetingKey: 'user-1', wantList: true },
      failed(false, 'TYPE_MISMATCH'),
    ),
    kase(
      'a weighted fallthrough without a targeting key answers TARGETING_KEY_MISSING with the default',
      'split-fallthrough',
      'string',
      'none',
      { plan: 'pro' },
      failed('none', 'TARGETING_KEY_MISSING'),
    ),
  ];

  return {
    name: 'reasons-and-errors',
    description:
      'Every reason (STATIC, DEFAULT, TARGETING_MATCH, SPLIT, DISABLED with and without ' +
      'offVariation, PREREQUISITE_FAILED elsewhere, ERROR) and the error codes FLAG_NOT_FOUND, ' +
      'TYPE_MISMATCH and TARGETING_KEY_MISSING; flagVersion metadata (DESIGN §3).',
    snapshot: snapshot(flags),
    valid: true,
    cases,
  };
}

// ---------------------------------------------------------------------------------------------
// client-hashing.json
// ---------------------------------------------------------------------------------------------

function clientHashing(): CorpusFile {
  const KEY_SALT = 'conformance-key-salt';
  const hashed = (...keys: string[]): Json => ({
    sha256: keys.map((k) => sha256Hex(`${KEY_SALT}:${k}`)),
  });
  assert(/^[0-9a-f]{64}$/.test(sha256Hex('x')), 'sha256 hex');

  const flags = [
    boolFlag('client-targets', {
      version: 80,
      clientSide: true,
      targets: { on: hashed('alice'), off: hashed('mallory') },
      rules: [{ id: 'everyone', clauses: [], variation: 'on' }],
    }),
    boolFlag('client-segment-flag', {
      version: 81,
      clientSide: true,
      rules: [{ id: 'r1', clauses: [clause('key', 'inSegment', ['client-seg'])], variation: 'on' }],
    }),
    boolFlag('client-key-clause', {
      version: 82,
      clientSide: true,
      rules: [
        { id: 'r1', clauses: [clause('key', 'equals', hashed('grace', 'heidi'))], variation: 'on' },
      ],
    }),
    boolFlag('client-key-clause-negated', {
      version: 83,
      clientSide: true,
      rules: [
        { id: 'r1', clauses: [clause('key', 'equals', hashed('grace'), true)], variation: 'on' },
      ],
    }),
    boolFlag('client-weighted', {
      version: 84,
      clientSide: true,
      fallthrough: {
        weights: [
          { variation: 'on', weight: 50000 },
          { variation: 'off', weight: 50000 },
        ],
      },
    }),
  ];
  const segs = [
    {
      key: 'client-seg',
      version: 79,
      included: hashed('carol'),
      excluded: hashed('dave'),
      rules: [{ id: 'pro', clauses: [clause('plan', 'equals', ['pro'])] }],
    },
  ];
  const b = (name: string, flag: string, ctx: JsonObject, expected: Expected, note?: string) =>
    boolCase(name, flag, ctx, expected, note);
  const EVERYONE: Expected = served(true, 'on', 'TARGETING_MATCH', {
    ruleId: 'everyone',
    ruleIndex: 0,
  });
  const weightedBucket = bucketOf('client-weighted', 'erin');
  const cases: Case[] = [
    b(
      'a hashed target list matches the key whose salted SHA-256 it holds',
      'client-targets',
      { targetingKey: 'alice' },
      served(true, 'on', 'TARGETING_MATCH', { flagVersion: 80 }),
    ),
    kase(
      'a hashed target list under off matches its key',
      'client-targets',
      'boolean',
      true,
      { targetingKey: 'mallory' },
      served(false, 'off', 'TARGETING_MATCH'),
    ),
    b(
      'a key not in any hashed target list reaches the rules',
      'client-targets',
      { targetingKey: 'bob' },
      EVERYONE,
    ),
    b(
      'a context key equal to the hash itself does not match a hashed target',
      'client-targets',
      { targetingKey: sha256Hex(`${KEY_SALT}:alice`) },
      EVERYONE,
    ),
    b(
      'hashed targets are case-sensitive on the key',
      'client-targets',
      { targetingKey: 'Alice' },
      EVERYONE,
    ),
    b(
      'a key hashed without the salt does not match',
      'client-targets',
      { targetingKey: 'conformance-key-salt:alice' },
      EVERYONE,
      'The context key is hashed as "<keySalt>:<key>"; this key is a plaintext that merely looks like the salted input.',
    ),
    b(
      'a hashed segment included list matches its key',
      'client-segment-flag',
      { targetingKey: 'carol' },
      ON_R1,
    ),
    b(
      'a hashed segment excluded list beats a segment rule',
      'client-segment-flag',
      { targetingKey: 'dave', plan: 'pro' },
      OFF_DEFAULT,
    ),
    b(
      'a segment rule still matches on plaintext attributes in a client snapshot',
      'client-segment-flag',
      { targetingKey: 'erin', plan: 'pro' },
      ON_R1,
    ),
    b(
      'a key in no hashed segment list and matching no rule is outside the segment',
      'client-segment-flag',
      { targetingKey: 'frank' },
      OFF_DEFAULT,
    ),
    b(
      'a hashed equals clause on "key" matches a listed key',
      'client-key-clause',
      { targetingKey: 'grace' },
      ON_R1,
    ),
    b(
      'a hashed equals clause on "key" matches any listed key',
      'client-key-clause',
      { targetingKey: 'heidi' },
      ON_R1,
    ),
    b(
      'a hashed equals clause on "key" does not match an unlisted key',
      'client-key-clause',
      { targetingKey: 'ivan' },
      OFF_DEFAULT,
    ),
    b(
      'a negated hashed equals clause matches an unlisted key',
      'client-key-clause-negated',
      { targetingKey: 'ivan' },
      ON_R1,
    ),
    b(
      'a negated hashed equals clause does not match a listed key',
      'client-key-clause-negated',
      { targetingKey: 'grace' },
      OFF_DEFAULT,
    ),
    b(
      'a negated hashed equals clause never matches an absent targeting key',
      'client-key-clause-negated',
      {},
      OFF_DEFAULT,
    ),
    b(
      'bucketing in a client snapshot hashes the plaintext context key',
      'client-weighted',
      { targetingKey: 'erin' },
      served(weightedBucket < 50000, weightedBucket < 50000 ? 'on' : 'off', 'SPLIT', {
        bucket: weightedBucket,
      }),
    ),
  ];
  return {
    name: 'client-hashing',
    description:
      `A client snapshot (DESIGN §5): keySalt "${KEY_SALT}"; target lists, segment lists and "key" ` +
      'equals values are {"sha256": [hex SHA-256("<keySalt>:<key>")]}; the evaluator hashes the context key.',
    snapshot: snapshot(flags, segs, { keySalt: KEY_SALT }),
    valid: true,
    cases,
  };
}

// ---------------------------------------------------------------------------------------------
// invalid-parse.json
// ---------------------------------------------------------------------------------------------

function invalidParse(): CorpusFile {
  const ruleOn = (clauses: JsonObject[]): Json => [{ id: 'r1', clauses, variation: 'on' }];
  const flags: JsonObject[] = [
    boolFlag('bad-operator', {
      targets: { on: ['vip'] },
      rules: ruleOn([clause('plan', 'regexMatches', ['^pro'])]),
    }),
    boolFlag('bad-rule-variation', { rules: [{ id: 'r1', clauses: [], variation: 'maybe' }] }),
    boolFlag('bad-fallthrough-variation', { fallthrough: { variation: 'maybe' } }),
    boolFlag('bad-off-variation', { offVariation: 'maybe', fallthrough: { variation: 'on' } }),
    boolFlag('bad-weight-variation', {
      fallthrough: {
        weights: [
          { variation: 'on', weight: 50000 },
          { variation: 'maybe', weight: 50000 },
        ],
      },
    }),
    boolFlag('bad-target-variation', {
      targets: { maybe: ['u1'] },
      fallthrough: { variation: 'on' },
    }),
    boolFlag('bad-less-than', { rules: ruleOn([clause('age', 'lessThan', [5, '10'])]) }),
    boolFlag('bad-date', { rules: ruleOn([clause('signupAt', 'before', ['2024-03-10'])]) }),
    boolFlag('bad-semver', { rules: ruleOn([clause('appVersion', 'semVerEqual', ['v1.2.3'])]) }),
    boolFlag('bad-regex-nested', { rules: ruleOn([clause('path', 'matches', ['(a+)+$'])]) }),
    boolFlag('bad-regex-backreference', { rules: ruleOn([clause('path', 'matches', ['(a)\\1'])]) }),
    boolFlag('bad-regex-lookahead', { rules: ruleOn([clause('path', 'matches', ['a(?=b)'])]) }),
    boolFlag('depends-on-bad', {
      prerequisites: [{ flag: 'bad-operator', variation: 'on' }],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('depends-on-dependant', {
      prerequisites: [{ flag: 'depends-on-bad', variation: 'on' }],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('healthy', { version: 90, fallthrough: { variation: 'on' } }),
    boolFlag('healthy-with-rule', {
      version: 91,
      rules: ruleOn([clause('plan', 'equals', ['pro'])]),
    }),
  ];
  const P = (flag: string) => (ctx: JsonObject, name: string, note?: string) =>
    kase(name, flag, 'boolean', true, ctx, failed(true, 'PARSE_ERROR'), note);
  const u1 = { targetingKey: 'user-1' };
  const cases: Case[] = [
    P('bad-operator')(
      { targetingKey: 'user-1', plan: 'pro' },
      'a flag with an unknown operator answers PARSE_ERROR',
    ),
    P('bad-operator')(
      { targetingKey: 'vip' },
      'a flag with an unknown operator answers PARSE_ERROR even for a targeted key',
      'DESIGN §2: the SDK answers PARSE_ERROR "for that flag"; the whole flag is not understood.',
    ),
    P('bad-rule-variation')(
      u1,
      'a rule naming an undefined variation makes the flag answer PARSE_ERROR',
    ),
    P('bad-fallthrough-variation')(
      u1,
      'a fallthrough naming an undefined variation makes the flag answer PARSE_ERROR',
    ),
    P('bad-off-variation')(
      u1,
      'an offVariation naming an undefined variation makes the flag answer PARSE_ERROR',
    ),
    P('bad-weight-variation')(
      u1,
      'a weight naming an undefined variation makes the flag answer PARSE_ERROR',
    ),
    P('bad-target-variation')(
      { targetingKey: 'someone' },
      'a target list under an undefined variation makes the flag answer PARSE_ERROR',
    ),
    P('bad-less-than')(
      { targetingKey: 'user-1', age: 3 },
      'a string value for lessThan makes the flag answer PARSE_ERROR',
    ),
    P('bad-date')(
      { targetingKey: 'user-1', signupAt: 1 },
      'a date-only clause value makes the flag answer PARSE_ERROR',
    ),
    P('bad-semver')(
      { targetingKey: 'user-1', appVersion: '1.2.3' },
      'a v-prefixed clause version makes the flag answer PARSE_ERROR',
    ),
    P('bad-regex-nested')(
      { targetingKey: 'user-1', path: 'aaa' },
      'a regex with nested quantifiers makes the flag answer PARSE_ERROR',
    ),
    P('bad-regex-backreference')(
      { targetingKey: 'user-1', path: 'aa' },
      'a regex with a backreference makes the flag answer PARSE_ERROR',
    ),
    P('bad-regex-lookahead')(
      { targetingKey: 'user-1', path: 'ab' },
      'a regex with lookahead makes the flag answer PARSE_ERROR',
    ),
    P('depends-on-bad')(
      u1,
      'a flag whose prerequisite cannot be understood also answers PARSE_ERROR',
      'DESIGN §2: PARSE_ERROR "for that flag and the flags that depend on it" — read as taking precedence over ' +
        '"a prerequisite that answers an error counts as failed" (which would give PREREQUISITE_FAILED).',
    ),
    P('depends-on-dependant')(
      u1,
      'a flag depending on a dependant of an unparsable flag also answers PARSE_ERROR',
      'Read "the flags that depend on it" transitively.',
    ),
    kase(
      'an unrelated flag in the same snapshot still evaluates normally',
      'healthy',
      'boolean',
      false,
      u1,
      served(true, 'on', 'STATIC', { flagVersion: 90 }),
    ),
    kase(
      'an unrelated flag with rules in the same snapshot still matches its rules',
      'healthy-with-rule',
      'boolean',
      false,
      { targetingKey: 'user-1', plan: 'pro' },
      served(true, 'on', 'TARGETING_MATCH', { ruleId: 'r1', ruleIndex: 0, flagVersion: 91 }),
    ),
  ];
  return {
    name: 'invalid-parse',
    description:
      'A snapshot validation must reject, with flags an SDK cannot understand (DESIGN §2): an unknown ' +
      'operator, undefined variations, clause values their operator cannot use. They answer ' +
      'PARSE_ERROR, as do their dependants; other flags keep working.',
    snapshot: snapshot(flags),
    valid: false,
    validationErrorPaths: [
      '/flags/bad-operator/rules/0/clauses/0/operator',
      '/flags/bad-rule-variation/rules/0/variation',
      '/flags/bad-fallthrough-variation/fallthrough/variation',
      '/flags/bad-off-variation/offVariation',
      '/flags/bad-weight-variation/fallthrough/weights/1/variation',
      '/flags/bad-target-variation/targets/maybe',
      '/flags/bad-less-than/rules/0/clauses/0/values/1',
      '/flags/bad-date/rules/0/clauses/0/values/0',
      '/flags/bad-semver/rules/0/clauses/0/values/0',
      '/flags/bad-regex-nested/rules/0/clauses/0/values/0',
      '/flags/bad-regex-backreference/rules/0/clauses/0/values/0',
      '/flags/bad-regex-lookahead/rules/0/clauses/0/values/0',
    ],
    cases,
  };
}

// ---------------------------------------------------------------------------------------------
// invalid-references.json
// ---------------------------------------------------------------------------------------------

function invalidReferences(): CorpusFile {
  const inSegRule = (segs: string[], negate = false): Json => [
    { id: 'r1', clauses: [clause('key', 'inSegment', segs, negate)], variation: 'on' },
  ];
  const flags: JsonObject[] = [
    boolFlag('needs-ghost', {
      version: 92,
      prerequisites: [{ flag: 'ghost-flag', variation: 'on' }],
      fallthrough: { variation: 'on' },
    }),
    {
      key: 'needs-ghost-no-off',
      version: 93,
      type: 'boolean',
      enabled: true,
      variations: BOOL_VARIATIONS,
      prerequisites: [{ flag: 'ghost-flag', variation: 'on' }],
      fallthrough: { variation: 'on' },
    },
    boolFlag('uses-ghost-segment', { rules: inSegRule(['ghost-segment']) }),
    boolFlag('uses-ghost-segment-negated', { rules: inSegRule(['ghost-segment'], true) }),
    boolFlag('uses-ghost-or-real', { rules: inSegRule(['ghost-segment', 'real-seg']) }),
    boolFlag('uses-refs-ghost', { rules: inSegRule(['refs-ghost']) }),
    boolFlag('cycle-a', {
      prerequisites: [{ flag: 'cycle-b', variation: 'on' }],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('cycle-b', {
      prerequisites: [{ flag: 'cycle-a', variation: 'on' }],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('cycle-self', {
      prerequisites: [{ flag: 'cycle-self', variation: 'on' }],
      fallthrough: { variation: 'on' },
    }),
    boolFlag('uses-loop', { rules: inSegRule(['loop-a']) }),
    boolFlag('uses-loop-self', { rules: inSegRule(['loop-self']) }),
    boolFlag('healthy', { version: 94, fallthrough: { variation: 'on' } }),
  ];
  const seg = (key: string, rest: JsonObject): JsonObject => ({
    key,
    version: 60,
    included: [],
    excluded: [],
    rules: [],
    ...rest,
  });
  const segRef = (id: string, target: string): Json => [
    { id, clauses: [clause('key', 'inSegment', [target])] },
  ];
  const segs: JsonObject[] = [
    seg('real-seg', { included: ['member'] }),
    seg('refs-ghost', { included: ['inc'], rules: segRef('ghost', 'ghost-segment') }),
    seg('loop-a', { rules: segRef('to-b', 'loop-b') }),
    seg('loop-b', { rules: segRef('to-a', 'loop-a') }),
    seg('loop-self', { rules: segRef('to-self', 'loop-self') }),
  ];
  const b = (
    name: string,
    flag: string,
    ctx: JsonObject,
    expected: Expected,
    note?: string,
    _def?: boolean,
  ) => boolCase(name, flag, ctx, expected, note);
  const u1 = { targetingKey: 'user-1' };
  const cases: Case[] = [
    b(
      'a missing prerequisite flag counts as failed',
      'needs-ghost',
      u1,
      served(false, 'off', 'PREREQUISITE_FAILED', {
        prerequisiteKey: 'ghost-flag',
        flagVersion: 92,
      }),
      undefined,
      true,
    ),
    b(
      'a missing prerequisite without offVariation serves the default with PREREQUISITE_FAILED',
      'needs-ghost-no-off',
      u1,
      unserved(true, 'PREREQUISITE_FAILED', { prerequisiteKey: 'ghost-flag', flagVersion: 93 }),
      undefined,
      true,
    ),
    b(
      'a missing segment contains nobody',
      'uses-ghost-segment',
      u1,
      OFF_DEFAULT,
      'DESIGN §2 "References": a missing segment is treated as containing nobody (not PARSE_ERROR, although ' +
        'an unknown segment is also listed among clause values an operator cannot use).',
    ),
    b(
      'a negated inSegment on a missing segment matches, since the segment contains nobody',
      'uses-ghost-segment-negated',
      u1,
      ON_R1,
      'Follows from "containing nobody" plus negate; inSegment ignores its attribute, so nothing is missing.',
    ),
    b(
      'inSegment with a missing and a real segment still matches members of the real one',
      'uses-ghost-or-real',
      { targetingKey: 'member' },
      ON_R1,
    ),
    b(
      'inSegment with a missing and a real segment does not match others',
      'uses-ghost-or-real',
      u1,
      OFF_DEFAULT,
    ),
    b(
      'a segment referring to a missing segment still includes its included keys',
      'uses-refs-ghost',
      { targetingKey: 'inc' },
      ON_R1,
    ),
    b('a segment rule on a missing segment matches nobody', 'uses-refs-ghost', u1, OFF_DEFAULT),
    b(
      'a flag in a prerequisite cycle answers GENERAL',
      'cycle-a',
      u1,
      failed(true, 'GENERAL'),
      undefined,
      true,
    ),
    b(
      'the other flag of a prerequisite cycle answers GENERAL',
      'cycle-b',
      u1,
      failed(true, 'GENERAL'),
      'The cycle error propagates as GENERAL; it is not turned into PREREQUISITE_FAILED by the "prerequisite that answers an error counts as failed" rule.',
      true,
    ),
    b(
      'a flag that is its own prerequisite answers GENERAL',
      'cycle-self',
      u1,
      failed(true, 'GENERAL'),
      undefined,
      true,
    ),
    b(
      'a flag whose segment is in a segment cycle answers GENERAL',
      'uses-loop',
      u1,
      failed(true, 'GENERAL'),
      'The context is in neither segment list, so evaluation must follow the rules around the cycle.',
      true,
    ),
    b(
      'a flag whose segment refers to itself answers GENERAL',
      'uses-loop-self',
      u1,
      failed(true, 'GENERAL'),
      undefined,
      true,
    ),
    b(
      'an unrelated flag in a snapshot with broken references still evaluates normally',
      'healthy',
      u1,
      served(true, 'on', 'STATIC', { flagVersion: 94 }),
    ),
  ];
  return {
    name: 'invalid-references',
    description:
      'A snapshot validation must reject for its references (DESIGN §2): a missing prerequisite ' +
      '(failed), a missing segment (contains nobody), prerequisite and segment cycles (GENERAL).',
    snapshot: snapshot(flags, segs),
    valid: false,
    validationErrorPaths: [
      '/flags/needs-ghost/prerequisites/0/flag',
      '/flags/needs-ghost-no-off/prerequisites/0/flag',
      '/flags/uses-ghost-segment/rules/0/clauses/0/values/0',
      '/flags/uses-ghost-segment-negated/rules/0/clauses/0/values/0',
      '/flags/uses-ghost-or-real/rules/0/clauses/0/values/0',
      '/segments/refs-ghost/rules/0/clauses/0/values/0',
    ],
    cases,
  };
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

const WIDTH = 110;

function inline(value: unknown): string {
  if (typeof value === 'string' && value.startsWith(RAW)) return value.slice(RAW.length);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

function format(value: unknown, indent: string, lead: number): string {
  const flat = inline(value);
  if (flat.length + lead <= WIDTH || value === null || typeof value !== 'object') return flat;
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + format(v, inner, inner.length)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return `{\n${entries
    .map(([k, v]) => {
      const head = `${inner}${JSON.stringify(k)}: `;
      return head + format(v, inner, head.length);
    })
    .join(',\n')}\n${indent}}`;
}

function check(file: CorpusFile): void {
  const flags = file.snapshot['flags'] as Record<string, JsonObject>;
  const names = new Set<string>();
  for (const c of file.cases) {
    assert(!names.has(c.name), `${file.name}: duplicate case name "${c.name}"`);
    names.add(c.name);
    assert(
      c.flag in flags || c.expected.errorCode === 'FLAG_NOT_FOUND',
      `${file.name}: unknown flag ${c.flag}`,
    );
    assert(
      (c.expected.reason === 'ERROR') === (c.expected.errorCode !== undefined),
      `${c.name}: errorCode iff ERROR`,
    );
    if (c.expected.variant === undefined) {
      assert(
        JSON.stringify(c.expected.value) === JSON.stringify(c.default),
        `${c.name}: unserved value is the default`,
      );
    }
  }
  for (const flag of Object.values(flags)) {
    const serves = [
      flag['fallthrough'],
      ...((flag['rules'] as JsonObject[] | undefined) ?? []),
    ] as JsonObject[];
    for (const serve of serves) {
      const weights = serve['weights'] as JsonObject[] | undefined;
      if (weights)
        assert(
          weights.reduce((sum, w) => sum + (w['weight'] as number), 0) === 100000,
          `${flag['key']}: weights sum`,
        );
    }
  }
}

const files: [string, CorpusFile][] = [
  ['operators.json', operators()],
  ['pointers-and-arrays.json', pointersAndArrays()],
  ['targets.json', targets()],
  ['prerequisites.json', prerequisites()],
  ['segments.json', segments()],
  ['rules-and-splits.json', rulesAndSplits()],
  ['reasons-and-errors.json', reasonsAndErrors()],
  ['client-hashing.json', clientHashing()],
  ['invalid-parse.json', invalidParse()],
  ['invalid-references.json', invalidReferences()],
];

for (const name of readdirSync(OUT_DIR))
  if (name.endsWith('.json')) unlinkSync(join(OUT_DIR, name));
let total = 0;
for (const [name, file] of files) {
  check(file);
  writeFileSync(join(OUT_DIR, name), format(file, '', 0) + '\n');
  total += file.cases.length;
  console.log(
    `${name.padEnd(26)} ${String(file.cases.length).padStart(4)} cases, ${file.distributions?.length ?? 0} distributions`,
  );
}
console.log(`${'total'.padEnd(26)} ${String(total).padStart(4)} cases`);
assert(total >= 170, 'at least 170 cases');
