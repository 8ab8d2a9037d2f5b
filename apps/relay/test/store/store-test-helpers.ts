import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { booleanFlag as testkitBooleanFlag } from '@switchyard/testkit';
import type { Flag } from '@switchyard/core';
import { onTestFinished } from 'vitest';
import type { UpdateRequest } from '../../src/store/flag-store';

/** A fresh directory for one test, removed when the test finishes. */
export async function temporaryDirectory(prefix = 'switchyard-store-'): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

/** A minimal valid boolean flag (version 0: the store stamps the real one). */
export const booleanFlag = (key: string, overrides: Partial<Flag> = {}): Flag =>
  testkitBooleanFlag(key, { version: 0, ...overrides });

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
