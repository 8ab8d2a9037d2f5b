import { hashedKeysOf, isPlainObject } from './json';

/**
 * Thrown while compiling one flag or segment that the SDK cannot understand; the compiler
 * turns it into PARSE_ERROR for that entry alone. Never escapes compileSnapshot.
 */
export class Unreadable extends Error {
  override readonly name = 'Unreadable';
}

/** Fails the entry being compiled. */
export const unreadable = (message: string): never => {
  throw new Unreadable(message);
};

/** The value as an object, or the entry is unreadable. */
export function objectAt(value: unknown, what: string): Record<string, unknown> {
  return isPlainObject(value) ? value : unreadable(`${what} is not an object`);
}

/** The value as an array (absent: empty), or the entry is unreadable. */
export function listAt(value: unknown, what: string): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : unreadable(`${what} is not an array`);
}

/** The value as a string, or the entry is unreadable. */
export function stringAt(value: unknown, what: string): string {
  return typeof value === 'string' ? value : unreadable(`${what} is not a string`);
}

/** An optional string (absent: undefined), or the entry is unreadable. */
export function optionalStringAt(value: unknown, what: string): string | undefined {
  return value === undefined ? undefined : stringAt(value, what);
}

/** A list of context keys: plaintext strings, or `{ sha256: [...] }` in client snapshots. */
export function keyListAt(value: unknown, what: string): { hashed: boolean; keys: string[] } {
  const hashed = hashedKeysOf(value);
  const keys = hashed ?? listAt(value, what);
  for (const key of keys)
    if (typeof key !== 'string') unreadable(`${what} holds a key that is not a string`);
  return { hashed: hashed !== undefined, keys: keys as string[] };
}
