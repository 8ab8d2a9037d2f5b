import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from './relay-harness';

let t: TestRelay;
beforeEach(async () => {
  t = await startTestRelay();
});
afterEach(() => t.close());

const SEGMENTS = '/admin/v1/environments/production/segments';

describe('segments', () => {
  it('are created, replaced, and deleted only when no flag uses them', async () => {
    expect(
      (await t.admin('POST', SEGMENTS, { body: { key: 'gamma', included: ['zed'] } })).status,
    ).toBe(201);
    const replaced = await t.admin('PUT', `${SEGMENTS}/gamma`, {
      body: { included: ['zed', 'yan'] },
    });
    expect(replaced.json).toMatchObject({ key: 'gamma', included: ['zed', 'yan'], version: 3 });
    expect((await t.admin('DELETE', `${SEGMENTS}/gamma`)).status).toBe(204);

    const refused = await t.admin('DELETE', `${SEGMENTS}/beta`);
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toMatch(/segment beta is still used by flag client-flag/);
    expect(refused.json.errors[0].path).toBe('/flags/client-flag/rules/0/clauses/0/values');
    expect(t.store.snapshot('production')!.segments.beta).toBeDefined();
  });

  it('report segment errors relative to the segment', async () => {
    const reply = await t.admin('PUT', `${SEGMENTS}/beta`, {
      body: { included: 'bob', rules: [{ clauses: [] }] },
    });
    expect(reply.status).toBe(422);
    expect(reply.json.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['/included', '/rules/0/id']),
    );
  });
});

describe('environments', () => {
  it('list with versions, and serve the whole snapshot with ETag/304', async () => {
    expect((await t.admin('GET', '/admin/v1/environments')).json.environments).toEqual([
      { name: 'production', version: 1 },
      { name: 'staging', version: 0 },
    ]);
    const snapshot = await t.admin('GET', '/admin/v1/environments/production/snapshot');
    expect(snapshot.headers.get('etag')).toBe('"1"');
    expect(Object.keys(snapshot.json.flags)).toHaveLength(2);
    const again = await t.admin('GET', '/admin/v1/environments/production/snapshot', {
      headers: { 'if-none-match': '"1"' },
    });
    expect(again.status).toBe(304);
    expect((await t.admin('GET', '/admin/v1/environments/nowhere/flags')).status).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('is generated from the route schemas', async () => {
    const doc = (await t.admin('GET', '/admin/v1/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    const replace = doc.paths['/admin/v1/environments/{env}/flags/{key}'].put;
    expect(replace.operationId).toBe('replaceFlag');
    expect(
      replace.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
    ).toEqual(['path:env', 'path:key', 'header:if-match', 'header:idempotency-key']);
    expect(replace.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/FlagInput',
    });
    expect(replace.responses['422'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    const targets =
      doc.paths['/admin/v1/environments/{env}/flags/{key}/targets'].post.requestBody.content[
        'application/json'
      ].schema;
    expect(targets.required).toEqual(['variation']);
    expect(doc.components.schemas.Flag.properties.rules.items).toEqual({
      $ref: '#/components/schemas/Rule',
    });
    expect(doc.components.schemas.FlagInput.required).not.toContain('version');
    expect(doc.paths['/admin/v1/openapi.json'].get.security).toEqual([]);
    // Every $ref resolves inside the document.
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [];
    for (const ref of new Set(refs))
      expect(doc.components.schemas[ref.split('/').pop()!], ref).toBeDefined();
  });
});
