import { hasOwn } from './json';

/** Escapes one reference token for a JSON pointer (RFC 6901). */
export const escapePointerToken = (token: string | number): string =>
  String(token).replace(/~/g, '~0').replace(/\//g, '~1');

/** Builds a JSON pointer from tokens. */
export const pointer = (...tokens: (string | number)[]): string =>
  tokens.map((token) => `/${escapePointerToken(token)}`).join('');

/**
 * Splits an RFC 6901 pointer ("/a/b~1c/0") into unescaped tokens, or undefined when it is
 * malformed (does not start with "/", or has a "~" not followed by 0 or 1).
 */
export function parsePointer(text: string): string[] | undefined {
  if (!text.startsWith('/')) return undefined;
  const tokens = text.slice(1).split('/');
  for (const token of tokens) if (/~(?![01])/.test(token)) return undefined;
  return tokens.map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/** Follows pointer tokens into a value: own properties and array indexes only; undefined when unresolved. */
export function resolvePointer(root: unknown, tokens: readonly string[]): unknown {
  let current = root;
  for (const token of tokens) {
    if (typeof current !== 'object' || current === null) return undefined;
    if (Array.isArray(current)) {
      if (!ARRAY_INDEX.test(token)) return undefined;
      current = current[Number(token)];
    } else {
      if (!hasOwn(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    }
  }
  return current;
}
