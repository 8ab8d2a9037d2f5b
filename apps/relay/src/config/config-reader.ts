import type { ConfigIssue } from './config-error';
import { formatPath, type ConfigPath } from './config-path';

/** A plain JSON-like object (not an array, not null). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Which input set each value, by formatted path: `listen.port` -> `SWITCHYARD_PORT`. */
export type ConfigSources = ReadonlyMap<string, string>;

/**
 * Reads untyped configuration values into typed ones, collecting every problem with its
 * path and source instead of stopping at the first: a user fixes a config file in one go.
 */
export class ConfigReader {
  readonly issues: ConfigIssue[] = [];

  constructor(private readonly sources: ConfigSources = new Map()) {}

  /** Records a problem at `path`, naming the input that set the closest value. */
  report(path: ConfigPath, message: string): void {
    let source: string | undefined;
    for (let length = path.length; length >= 0 && source === undefined; length--) {
      source = this.sources.get(formatPath(path.slice(0, length)));
    }
    this.issues.push({
      path: formatPath(path),
      message,
      ...(source === undefined ? {} : { source }),
    });
  }

  /** An object with only the given fields (absent = `{}`), or undefined after reporting. */
  object(
    value: unknown,
    path: ConfigPath,
    fields: readonly string[],
  ): Record<string, unknown> | undefined {
    if (value === undefined) return {};
    if (!isPlainObject(value)) {
      this.report(path, 'must be an object');
      return undefined;
    }
    for (const field of Object.keys(value)) {
      if (!fields.includes(field)) {
        this.report([...path, field], `unknown field (expected one of: ${fields.join(', ')})`);
      }
    }
    return value;
  }

  /** A string (absent = `fallback`); `check` answers why a present value is unusable. */
  string(
    value: unknown,
    path: ConfigPath,
    fallback: string,
    check?: (text: string) => string | undefined,
  ): string {
    if (value === undefined) return fallback;
    if (typeof value !== 'string') {
      this.report(path, `must be a string, not ${describe(value)}`);
      return fallback;
    }
    const problem = value === '' ? 'must not be empty' : check?.(value);
    if (problem !== undefined) this.report(path, problem);
    return value;
  }

  /** A safe integer within [min, max] (absent = `fallback`). */
  integer(value: unknown, path: ConfigPath, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      this.report(path, `must be an integer, not ${describe(value)}`);
      return fallback;
    }
    if (value < min || value > max) {
      this.report(path, `must be from ${min} to ${max}, not ${value}`);
    }
    return value;
  }

  /** One of the listed strings (absent = `fallback`). */
  oneOf<T extends string>(value: unknown, path: ConfigPath, fallback: T, options: readonly T[]): T {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
      this.report(
        path,
        `must be one of ${options.map((option) => `"${option}"`).join(', ')}, not ${describe(value)}`,
      );
      return fallback;
    }
    return value as T;
  }

  /** A list (absent = `[]`); items are read by `item` at their own paths. */
  list<T>(
    value: unknown,
    path: ConfigPath,
    item: (value: unknown, path: ConfigPath) => T | undefined,
  ): T[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.report(path, `must be a list, not ${describe(value)}`);
      return [];
    }
    const items: T[] = [];
    value.forEach((entry, index) => {
      const read = item(entry, [...path, index]);
      if (read !== undefined) items.push(read);
    });
    return items;
  }
}

/** A short description of a value for messages: `"abc"`, `12`, `a list`, `an object`. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  return String(value);
}
