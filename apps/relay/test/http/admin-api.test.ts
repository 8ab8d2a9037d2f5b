import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { booleanFlag } from '../hub/flag-fixtures';
import { KEYS, startTestRelay, type TestRelay } from './relay-harness';

let t: TestRelay;
beforeEach(async () => {
  t = await startTestRelay({ config: { limits: { bodyBytes: 64 * 1024 } } });
});
afterEach(() => t.close());

const FLAGS = '/admin/v1/environments/production/flags';
const { version: _assigned, ...newFlag } = booleanFlag('new-checkout', {
  description: 'the new checkout',
});
const versionOf = (): number => t.store.snapshot('production')!.version;

describe('flags', () => {
  it('are created with 201, a Location and an ETag of their version, then listed and read', async () => {
    const created = await t.admin('POST', FLAGS, { body: newFlag });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${FLAGS}/new-checkout`);
    expect(created.headers.get('etag')).toBe('"2"');
    expect(created.json).toMatchObject({
      key: 'new-checkout',
      version: 2,
      description: 'the new checkout',
    });

    const listed = await t.admin('GET', FLAGS, { token: KEYS.reader });
    expect(listed.json.version).toBe(2);
    expect(listed.json.flags.map((flag: { key: string }) => flag.key)).toEqual([
      'client-flag',
      'new-checkout',
      'server-flag',
    ]);
    const read = await t.admin('GET', `${FLAGS}/new-checkout`, { token: KEYS.reader });
    expect(read.headers.get('etag')).toBe('"2"');
  });

  it('refuse to create a flag that exists, or one without a valid key', async () => {
    expect(
      (await t.admin('POST', FLAGS, { body: { ...newFlag, key: 'server-flag' } })).status,
    ).toBe(409);
    const unnamed = await t.admin('POST', FLAGS, { body: { ...newFlag, key: undefined } });
    expect(unnamed.status).toBe(422);
    expect(unnamed.json.errors).toEqual([
      { path: '/key', message: expect.stringMatching(/required/) },
    ]);
    const badKey = await t.admin('POST', FLAGS, { body: { ...newFlag, key: 'has spaces' } });
    expect(badKey.json.errors).toEqual([
      { path: '/key', message: expect.stringMatching(/must match/) },
    ]);
    expect(versionOf()).toBe(1);
  });

  it('report every validation error with a path into the submitted flag, and change nothing', async () => {
    const before = t.store.snapshot('production');
    const invalid = {
      ...t.store.snapshot('production')!.flags['server-flag'],
      rules: [
        {
          id: 'r1',
          clauses: [
            { attribute: 'plan', operator: 'equals', values: ['a'] },
            { attribute: 'plan', operator: 'isAwesome', values: [] },
          ],
          variation: 'on',
        },
        {
          id: 'r2',
          clauses: [{ attribute: 'age', operator: 'lessThan', values: ['ten'] }],
          variation: 'maybe',
        },
      ],
      colour: 'blue',
    };
    const reply = await t.admin('PUT', `${FLAGS}/server-flag`, { body: invalid });
    expect(reply.status).toBe(422);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.json).toMatchObject({
      type: expect.stringContaining('validation'),
      title: expect.any(String),
      status: 422,
      detail: expect.any(String),
    });
    const paths = reply.json.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/rules/0/clauses/1/operator',
        '/rules/1/clauses/0/values/0',
        '/rules/1/variation',
        '/colour',
      ]),
    );
    expect(t.store.snapshot('production')).toBe(before);
  });

  it('answer malformed JSON, wrong types, unknown fields and huge bodies with a clear problem, changing nothing', async () => {
    const malformed = await t.admin('PUT', `${FLAGS}/server-flag`, {
      body: '{"key": "server-flag",',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.json.detail).toMatch(/not valid JSON: .+/);
    const notObject = await t.admin('PUT', `${FLAGS}/server-flag`, { body: [1, 2] });
    expect(notObject.json).toMatchObject({
      status: 400,
      detail: expect.stringMatching(/must be a JSON object; it is an array/),
    });
    const wrongType = await t.admin('POST', `${FLAGS}/server-flag/targets`, {
      body: { variation: 7, add: 'alice', extra: true },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.errors).toEqual(
      expect.arrayContaining([
        { path: '/variation', message: 'must be string' },
        { path: '/add', message: 'must be array' },
        { path: '/extra', message: 'is not a known field' },
      ]),
    );
    const huge = await t.admin('PUT', `${FLAGS}/server-flag`, {
      body: { ...newFlag, key: 'server-flag', description: 'x'.repeat(70 * 1024) },
    });
    expect(huge.status).toBe(413);
    const proto = await t.admin('POST', FLAGS, {
      body: '{"key":"x","__proto__":{"polluted":true}}',
    });
    expect(proto.status).toBe(400);
    const escapedProto = await t.admin('POST', FLAGS, {
      body: String.raw`{"key":"x","\u005f_proto__":{"polluted":true}}`,
    });
    expect(escapedProto.status).toBe(400);
    expect(versionOf()).toBe(1);
  });

  it('refuse a write whose If-Match is stale with 409, and apply it when current', async () => {
    const stale = await t.admin('POST', `${FLAGS}/server-flag/disable`, {
      headers: { 'if-match': '"0"' },
    });
    expect(stale.status).toBe(409);
    expect(stale.json.detail).toMatch(/is at version 1, not 0/);
    expect(versionOf()).toBe(1);
    const current = await t.admin('POST', `${FLAGS}/server-flag/disable`, {
      headers: { 'if-match': '"1"' },
    });
    expect(current.status).toBe(200);
    expect(current.json).toMatchObject({ enabled: false, version: 2 });
    const malformed = await t.admin('POST', `${FLAGS}/server-flag/enable`, {
      headers: { 'if-match': 'yesterday' },
    });
    expect(malformed.json.errors).toEqual([{ path: '/if-match', message: expect.any(String) }]);
  });

  it('apply a retried write with the same Idempotency-Key once, answering the first result', async () => {
    const body = { variation: 'on', add: ['dave'] };
    const headers = { 'idempotency-key': 'retry-1' };
    const first = await t.admin('POST', `${FLAGS}/server-flag/targets`, { body, headers });
    const retry = await t.admin('POST', `${FLAGS}/server-flag/targets`, { body, headers });
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(versionOf()).toBe(2);
    const reused = await t.admin('POST', `${FLAGS}/client-flag/enable`, { headers });
    expect(reused.status).toBe(422);
    expect(reused.json.type).toMatch(/idempotency-key-reused/);
  });

  it('delete idempotently, and refuse while another flag names it as a prerequisite', async () => {
    await t.admin('POST', FLAGS, {
      body: { ...newFlag, prerequisites: [{ flag: 'server-flag', variation: 'on' }] },
    });
    const refused = await t.admin('DELETE', `${FLAGS}/server-flag`);
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toMatch(/still used by flag new-checkout/);
    expect(refused.json.errors).toEqual([
      { path: '/flags/new-checkout/prerequisites/0/flag', message: expect.any(String) },
    ]);

    expect((await t.admin('DELETE', `${FLAGS}/new-checkout`)).status).toBe(204);
    expect((await t.admin('DELETE', `${FLAGS}/new-checkout`)).status).toBe(204);
    expect((await t.admin('GET', `${FLAGS}/new-checkout`)).status).toBe(404);
    expect(versionOf()).toBe(3);
  });

  it('enable, disable, retarget and reweigh, each one audited with who and before/after', async () => {
    expect((await t.admin('POST', `${FLAGS}/server-flag/disable`)).json.enabled).toBe(false);
    expect((await t.admin('POST', `${FLAGS}/server-flag/enable`)).json.enabled).toBe(true);
    const unchanged = await t.admin('POST', `${FLAGS}/server-flag/enable`);
    expect(unchanged.json.version).toBe(3); // enabling an enabled flag commits nothing
    const targeted = await t.admin('POST', `${FLAGS}/client-flag/targets`, {
      body: { variation: 'on', add: ['bob'], remove: ['alice'] },
    });
    expect(targeted.json.targets).toEqual({ on: ['bob'] });
    const weights = [
      { variation: 'on', weight: 10_000 },
      { variation: 'off', weight: 90_000 },
    ];
    const fallthrough = await t.admin('PUT', `${FLAGS}/server-flag/fallthrough`, {
      body: { weights, bucketBy: 'userId' },
    });
    expect(fallthrough.json.fallthrough).toEqual({ weights, bucketBy: 'userId' });
    const ruled = await t.admin('PUT', `${FLAGS}/server-flag/rules/r1/weights`, {
      body: { weights },
    });
    expect(ruled.json.rules[0]).toEqual({ id: 'r1', clauses: expect.any(Array), weights });

    const audit = await t.admin('GET', `${FLAGS}/server-flag/audit?limit=2`, {
      token: KEYS.reader,
    });
    expect(audit.json.entries).toHaveLength(2);
    expect(audit.json.entries[0]).toMatchObject({
      actor: 'alice',
      action: 'flag.rule-weights',
      version: 6,
      before: { rules: [{ variation: 'on' }] },
    });
    expect(audit.json.entries[1]).toMatchObject({
      action: 'flag.fallthrough',
      after: { fallthrough: { weights } },
    });
  });

  it('point weight errors into the submitted serve, and 404 an unknown rule or variation', async () => {
    const bad = await t.admin('PUT', `${FLAGS}/server-flag/fallthrough`, {
      body: { weights: [{ variation: 'on', weight: 5 }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toMatch(/^\/weights/);
    expect(
      (
        await t.admin('PUT', `${FLAGS}/server-flag/rules/nope/weights`, {
          body: { weights: [{ variation: 'on', weight: 100_000 }] },
        })
      ).status,
    ).toBe(404);
    const variation = await t.admin('POST', `${FLAGS}/server-flag/targets`, {
      body: { variation: 'maybe', add: ['x'] },
    });
    expect(variation.json.errors).toEqual([
      { path: '/variation', message: expect.stringContaining('"on"') },
    ]);
    expect(versionOf()).toBe(1);
  });
});
