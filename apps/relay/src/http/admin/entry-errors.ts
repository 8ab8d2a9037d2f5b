import type { ValidationError } from '@switchyard/core';
import { HttpProblem, type FieldError } from '../http-problem';

/** Flag and segment keys (DESIGN §2). */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Where an entry lives in a snapshot, as a JSON pointer. */
export const entryPointer = (kind: 'flag' | 'segment', key: string): string =>
  `/${kind}s/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;

/**
 * Rewrites snapshot validation errors to point into what was submitted: an error at
 * `/flags/my-flag/rules/0/clauses/1/operator` becomes `/rules/0/clauses/1/operator` for a
 * submitted flag (or `/clauses/1/operator` for a submitted rule). Errors elsewhere in the
 * environment (another flag that depends on this one) keep their snapshot path.
 */
export function toSubmittedPaths(
  errors: readonly ValidationError[],
  kind: 'flag' | 'segment',
  key: string,
  bodyPointer: string,
): FieldError[] {
  const base = entryPointer(kind, key) + bodyPointer;
  return errors.map(({ path, message }) => {
    if (path === base && bodyPointer === '' && message.startsWith('key must match'))
      return { path: '/key', message };
    if (path === base || path.startsWith(`${base}/`))
      return { path: path.slice(base.length), message };
    return { path, message };
  });
}

/** What an `If-Match` header asks for: a flag or segment version, or `*` (it must exist). */
export type Precondition = number | '*' | undefined;

/** Parses `If-Match: "<version>"` (quotes and `W/` optional). */
export function parsePrecondition(header: string | string[] | undefined): Precondition {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header[0]! : header).trim();
  if (value === '*') return '*';
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(value);
  if (match === null) {
    throw new HttpProblem(
      'invalid-request',
      'If-Match must be an entity tag like "42" (the version last read)',
      [{ path: '/if-match', message: 'must be "<version>" or *' }],
    );
  }
  return Number(match[1]);
}

/** The conflict when an entry is not at the version `If-Match` expects, else undefined. */
export function preconditionFailure(
  kind: 'flag' | 'segment',
  key: string,
  current: { version: number } | undefined,
  expected: Precondition,
): HttpProblem | undefined {
  if (expected === undefined) return undefined;
  if (current === undefined)
    return new HttpProblem('conflict', `${kind} ${key} does not exist, but If-Match expects it to`);
  if (expected !== '*' && current.version !== expected) {
    return new HttpProblem(
      'conflict',
      `${kind} ${key} is at version ${current.version}, not ${expected}: read it again and retry`,
    );
  }
  return undefined;
}
