import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { validateSnapshot, type Snapshot, type ValidationError } from '@switchyard/core';
import { parse as parseYaml } from 'yaml';

/** What reading a flags file answers: one valid snapshot per configured environment, or every error with its path. */
export type FlagsFileContent =
  | { ok: true; digest: string; snapshots: Record<string, Snapshot> }
  | { ok: false; digest: string | undefined; errors: ValidationError[] };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Fills what a hand-written file may leave out: `schemaVersion`, `environment`, the
 * environment version, and each entry's `key` and `version`. Versions are the relay's to
 * assign (the file has no history), so any the file holds are replaced by placeholders.
 */
function normalise(
  document: Record<string, unknown>,
  environment: string,
): Record<string, unknown> {
  const entries = (value: unknown): unknown => {
    if (!isObject(value)) return value; // reported by validation, with its path
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [
        key,
        isObject(entry) ? { ...entry, key: entry.key ?? key, version: 0 } : entry,
      ]),
    );
  };
  return {
    schemaVersion: 1,
    environment,
    ...document,
    version: 0,
    flags: entries(document.flags ?? {}),
    segments: entries(document.segments ?? {}),
  };
}

function parseDocument(text: string, path: string): unknown {
  return extname(path).toLowerCase() === '.json'
    ? JSON.parse(text)
    : parseYaml(text, { prettyErrors: true });
}

/**
 * Reads and validates a GitOps flags file: either one environment's snapshot, or
 * `{ environments: { <name>: snapshot } }` naming exactly the configured environments.
 * Error paths are JSON pointers into the file (`/environments/production/flags/x/rules/0`).
 */
export async function readFlagsFile(
  path: string,
  environments: readonly string[],
): Promise<FlagsFileContent> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (error as Error).message;
    return {
      ok: false,
      digest: undefined,
      errors: [{ path: '', message: `cannot be read: ${reason}` }],
    };
  }
  const digest = createHash('sha256').update(bytes).digest('hex');
  const fail = (errors: ValidationError[]): FlagsFileContent => ({ ok: false, digest, errors });
  let document: unknown;
  try {
    document = parseDocument(bytes.toString('utf8'), path);
  } catch (error) {
    return fail([{ path: '', message: `syntax error: ${(error as Error).message}` }]);
  }
  if (!isObject(document))
    return fail([
      {
        path: '',
        message: 'must be an object: a snapshot, or { environments: { <name>: snapshot } }',
      },
    ]);

  const documents: [string, unknown, string][] = [];
  if (document.environments !== undefined) {
    const extra = Object.keys(document).filter((key) => key !== 'environments');
    if (extra.length > 0)
      return fail(
        extra.map((key) => ({ path: `/${key}`, message: 'unknown field next to "environments"' })),
      );
    if (!isObject(document.environments))
      return fail([
        { path: '/environments', message: 'must be an object of snapshots by environment' },
      ]);
    const named = document.environments;
    const errors: ValidationError[] = [];
    for (const name of Object.keys(named)) {
      if (!environments.includes(name))
        errors.push({
          path: `/environments/${name}`,
          message: 'is not an environment this relay serves',
        });
    }
    for (const name of environments) {
      // A missing environment is an error, not "delete every flag": that is too easy to do by accident.
      if (!(name in named)) {
        errors.push({ path: `/environments/${name}`, message: 'is missing (the relay serves it)' });
      } else documents.push([name, named[name], `/environments/${name}`]);
    }
    if (errors.length > 0) return fail(errors);
  } else {
    const named =
      typeof document.environment === 'string'
        ? document.environment
        : environments.length === 1
          ? environments[0]!
          : undefined;
    if (named === undefined || !environments.includes(named)) {
      const message = `names no environment this relay serves (${environments.join(', ')}); set "environment" or use { environments: {...} }`;
      return fail([{ path: '/environment', message }]);
    }
    if (environments.length > 1)
      return fail([
        {
          path: '',
          message:
            'the relay serves several environments: use { environments: { <name>: snapshot } }',
        },
      ]);
    documents.push([named, document, '']);
  }

  const snapshots: Record<string, Snapshot> = {};
  const errors: ValidationError[] = [];
  for (const [name, value, prefix] of documents) {
    if (!isObject(value)) {
      errors.push({ path: prefix, message: 'must be an object (a snapshot)' });
      continue;
    }
    const validation = validateSnapshot(normalise(value, name));
    if (validation.ok) snapshots[name] = validation.snapshot;
    else
      errors.push(
        ...validation.errors.map((error) => ({ ...error, path: `${prefix}${error.path}` })),
      );
    if (validation.ok && validation.snapshot.environment !== name) {
      errors.push({ path: `${prefix}/environment`, message: `must be "${name}" or absent` });
    }
  }
  return errors.length > 0 ? fail(errors) : { ok: true, digest, snapshots };
}
