import { booleanFlag, segment, snapshotOf } from '@switchyard/testkit';
import { describe, expect, it } from 'vitest';
import {
  applyPatch,
  changedFlagKeys,
  compileSnapshot,
  evaluateFlag,
  hashContextKey,
  toClientSnapshot,
  validateSnapshot,
  type Snapshot,
} from '../src/index';

const inSegment = (key: string) => ({
  attribute: 'key',
  operator: 'inSegment' as const,
  values: [key],
});

function environment(): Snapshot {
  return snapshotOf(
    [
      booleanFlag('web', {
        clientSide: true,
        targets: { on: ['alice'] },
        rules: [
          { id: 'beta', clauses: [inSegment('beta')], variation: 'on' },
          {
            id: 'acme',
            clauses: [{ attribute: 'key', operator: 'equals', values: ['tenant_acme'] }],
            variation: 'on',
          },
        ],
        prerequisites: [{ flag: 'web-base', variation: 'on' }],
        rollout: {
          variation: 'on',
          increment: 10,
          frequency: 'daily',
          startAt: '2026-01-01T00:00:00Z',
        },
      }),
      booleanFlag('web-base', { clientSide: true, fallthrough: { variation: 'on' } }),
      booleanFlag('server-only', {
        targets: { on: ['bob'] },
        rules: [{ id: 'r', clauses: [inSegment('internal')], variation: 'on' }],
      }),
    ],
    [
      segment('beta', {
        included: ['carol'],
        excluded: ['dave'],
        rules: [{ id: 'n', clauses: [inSegment('nested')] }],
      }),
      segment('nested', { included: ['erin'] }),
      segment('internal', { included: ['staff-1'] }),
    ],
  );
}

describe('toClientSnapshot', () => {
  const client = toClientSnapshot(environment(), 'env-salt');
  const text = JSON.stringify(client);

  it('keeps only client-side flags and the segments they use, nested ones included', () => {
    expect(Object.keys(client.flags).sort()).toEqual(['web', 'web-base']);
    expect(Object.keys(client.segments).sort()).toEqual(['beta', 'nested']);
  });

  it('holds no plaintext context key and no admin-only field', () => {
    for (const key of ['alice', 'carol', 'dave', 'erin', 'tenant_acme', 'bob', 'staff-1'])
      expect(text).not.toContain(key);
    expect(text).not.toContain('rollout');
    expect(client.flags.web!.targets!.on).toEqual({
      sha256: [hashContextKey('env-salt', 'alice')],
    });
    expect(client.segments.beta!.excluded).toEqual({
      sha256: [hashContextKey('env-salt', 'dave')],
    });
  });

  it('is itself a valid snapshot', () => {
    expect(validateSnapshot(client)).toMatchObject({ ok: true });
  });

  it('evaluates every client-side flag exactly as the server snapshot does', () => {
    const server = compileSnapshot(environment());
    const browser = compileSnapshot(client);
    for (const targetingKey of ['alice', 'carol', 'dave', 'erin', 'tenant_acme', 'zed', 'bob']) {
      for (const key of ['web', 'web-base']) {
        expect(evaluateFlag(browser, key, { targetingKey })).toEqual(
          evaluateFlag(server, key, { targetingKey }),
        );
      }
    }
  });
});

describe('applyPatch', () => {
  const start = compileSnapshot({ ...environment(), version: 10 });

  it('applies a patch on top of the held version and reports the changed flags with their dependants', () => {
    const result = applyPatch(start, {
      from: 10,
      version: 11,
      segments: { nested: segment('nested', { version: 11, included: ['frank'] }) },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.compiled.version).toBe(11);
    expect(result.changedFlags).toEqual(['web']);
    expect(evaluateFlag(result.compiled, 'web', { targetingKey: 'frank' }).variant).toBe('on');
    expect(evaluateFlag(start, 'web', { targetingKey: 'frank' }).variant).toBe('off');
  });

  it('reports flags that depend on a changed prerequisite', () => {
    const result = applyPatch(start, {
      from: 10,
      version: 11,
      flags: { 'web-base': booleanFlag('web-base', { version: 11, clientSide: true }) },
    });
    expect(result.ok && result.changedFlags).toEqual(['web', 'web-base']);
  });

  it('refuses a patch that is not newer, and one built on another version', () => {
    expect(applyPatch(start, { from: 9, version: 10 })).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    expect(applyPatch(start, { from: 8, version: 12 })).toMatchObject({ ok: false, reason: 'gap' });
    expect(applyPatch(start, { version: 'x' } as never)).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });

  it('deletes with a tombstone, so an older copy never comes back', () => {
    const deleted = applyPatch(start, {
      from: 10,
      version: 11,
      deleted: { flags: ['server-only'] },
    });
    expect(deleted.ok).toBe(true);
    if (!deleted.ok) return;
    expect(evaluateFlag(deleted.compiled, 'server-only', {})).toMatchObject({
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(deleted.compiled.tombstones.flags.get('server-only')).toBe(11);
    const resurrect = applyPatch(deleted.compiled, {
      from: 11,
      version: 12,
      flags: { 'server-only': booleanFlag('server-only', { version: 9 }) },
    });
    expect(resurrect.ok && resurrect.compiled.flags.has('server-only')).toBe(false);
    const recreated = applyPatch(deleted.compiled, {
      from: 11,
      version: 12,
      flags: { 'server-only': booleanFlag('server-only', { version: 12 }) },
    });
    expect(recreated.ok && recreated.compiled.flags.has('server-only')).toBe(true);
  });

  it('leaves the previous snapshot untouched and reuses compiled flags that did not change', () => {
    const result = applyPatch(start, {
      from: 10,
      version: 11,
      flags: { 'web-base': booleanFlag('web-base', { version: 11 }) },
    });
    if (!result.ok) throw new Error('refused');
    expect(start.version).toBe(10);
    expect(result.compiled.flags.get('server-only')).toBe(start.flags.get('server-only'));
  });

  it('lists what a full put changed relative to what was held', () => {
    const next = compileSnapshot({
      ...environment(),
      version: 11,
      segments: { ...environment().segments, internal: segment('internal', { version: 11 }) },
    });
    expect(changedFlagKeys(start, next)).toEqual(['server-only']);
    expect(changedFlagKeys(undefined, next)).toEqual(['server-only', 'web', 'web-base']);
  });
});
