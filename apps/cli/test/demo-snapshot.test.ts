import { describe, expect, it } from 'vitest';
import { referenceBucket } from './reference-bucket.js';
import { runEval } from './run-cli-captured.js';

const DEMO = 'examples/demo-snapshot.json';

async function evalDemo(
  flag: string,
  context: object,
  ...extra: string[]
): Promise<Record<string, unknown>> {
  const { json } = await runEval([
    '--snapshot',
    DEMO,
    '--flag',
    flag,
    '--context',
    JSON.stringify(context),
    ...extra,
  ]);
  return json;
}

/** The README walks through these answers; they must stay true. */
describe('the demo snapshot', () => {
  it('serves new-checkout to beta users through the segment rule', async () => {
    expect(await evalDemo('new-checkout', { targetingKey: 'user_1' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
      flagMetadata: { ruleId: 'beta-users', ruleIndex: 0 },
    });
    expect(
      await evalDemo('new-checkout', { targetingKey: 'someone', email: 'ada@switchyard.dev' }),
    ).toMatchObject({
      value: true,
      flagMetadata: { ruleId: 'beta-users' },
    });
  });

  it('serves new-checkout to 5% of everyone else', async () => {
    expect(referenceBucket('new-checkout', 'user_25')).toBe(3600);
    expect(await evalDemo('new-checkout', { targetingKey: 'user_25' })).toMatchObject({
      value: true,
      reason: 'SPLIT',
      flagMetadata: { bucket: 3600 },
    });
    expect(await evalDemo('new-checkout', { targetingKey: 'user_4' })).toMatchObject({
      value: false,
      reason: 'SPLIT',
    });
  });

  it('serves new-search-index to the canary tenant only', async () => {
    expect(await evalDemo('new-search-index', { targetingKey: 'tenant_acme' })).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
      flagMetadata: { ruleId: 'canary-tenant' },
    });
    expect(await evalDemo('new-search-index', { targetingKey: 'tenant_globex' })).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
  });

  it('serves off to everyone while live-chat is kill-switched', async () => {
    expect(await evalDemo('live-chat', { targetingKey: 'user_1' })).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'DISABLED',
    });
  });

  it('splits checkout-button-copy 30/40/30 by cumulative percentage rules', async () => {
    expect(await evalDemo('checkout-button-copy', { targetingKey: 'user_5' })).toMatchObject({
      value: 'Place order',
      reason: 'SPLIT',
      flagMetadata: { ruleId: 'variant-c-30', bucket: 70837 },
    });
    for (let index = 1; index <= 40; index++) {
      const user = `visitor_${index}`;
      const bucket = referenceBucket('checkout-button-copy', user);
      const expected = bucket < 30_000 ? 'variant-a' : bucket < 70_000 ? 'variant-b' : 'variant-c';
      const result = await evalDemo(
        'checkout-button-copy',
        { targetingKey: user },
        '--type',
        'string',
      );
      expect(result, `${user} (bucket ${bucket})`).toMatchObject({
        variant: expected,
        reason: 'SPLIT',
      });
    }
  });

  it('serves string and object flags by attribute and JSON pointer', async () => {
    expect(
      await evalDemo('search-ranking', { targetingKey: 'org_1', plan: 'enterprise' }),
    ).toMatchObject({
      value: 'hybrid',
      reason: 'TARGETING_MATCH',
    });
    expect(
      await evalDemo(
        'checkout-limits',
        { targetingKey: 'org_2', account: { tier: 'gold' } },
        '--type',
        'object',
      ),
    ).toMatchObject({
      variant: 'generous',
      value: { maxItems: 200 },
    });
    expect(
      await evalDemo('checkout-limits', { targetingKey: 'org_3' }, '--type', 'object'),
    ).toMatchObject({
      variant: 'standard',
      reason: 'DEFAULT',
    });
  });
});
