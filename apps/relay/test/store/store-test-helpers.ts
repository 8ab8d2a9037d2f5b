import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flag } from '@switchyard/core';
import { onTestFinished } from 'vitest';
import type { UpdateRequest } from '../../src/store/flag-store';

/** A fresh directory for one test, removed when the test finishes. */
export async function temporaryDirectory(prefix = 'switchyard-store-'): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** A minimal valid boolean flag. */
export function booleanFlag(key: string, overrides: Partial<Flag> = {}): Flag {
  return {
    key,
    version: 0,
    type: 'boolean',
    enabled: true,
    variations: [
      { name: 'on', value: true },
      { name: 'off', value: false },
    ],
    offVariation: 'off',
    fallthrough: { variation: 'off' },
    ...overrides,
  };
}

/** An update that writes one flag, as the admin API would. */
export function putFlag(flag: Flag, extra: Partial<UpdateRequest> = {}): UpdateRequest {
  return {
    mutate: () => ({ ok: true, mutation: { flags: { [flag.key]: flag } } }),
    actor: 'tester',
    action: 'flag.put',
    ...extra,
  };
}

/** An update that deletes one flag. */
export function deleteFlag(key: string, extra: Partial<UpdateRequest> = {}): UpdateRequest {
  return {
    mutate: () => ({ ok: true, mutation: { flags: { [key]: null } } }),
    actor: 'tester',
    action: 'flag.delete',
    ...extra,
  };
}
