import { describe, expect, it } from 'vitest';
import { findUser, referenceBucket } from './reference-bucket.js';
import { runCliCaptured, runEval } from './run-cli-captured.js';

const VALID = 'test/fixtures/valid.json';
const INVALID = 'test/fixtures/invalid.json';

function evalArgs(file: string, flag: string, context: object, ...extra: string[]): string[] {
  return ['--snapshot', file, '--flag', flag, '--context', JSON.stringify(context), ...extra];
}

interface ExplainOutput {
  result: Record<string, unknown>;
  explanation: { step: string; message: string; [detail: string]: unknown }[];
}

describe('switchyard eval', () => {
  it('prints the value, variant and reason of an individual target', async () => {
    const { json, stderr } = await runEval(
      evalArgs(VALID, 'new-checkout', { targetingKey: 'qa_1' }),
    );
    expect(json).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
    expect(stderr).toBe('');
  });

  it('reports the rule that served, by id and index', async () => {
    const { json } = await runEval(evalArgs(VALID, 'new-checkout', { targetingKey: 'user_1' }));
    expect(json).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      flagMetadata: { ruleId: 'beta', ruleIndex: 0, flagVersion: 5 },
    });
  });

  it('serves the weighted fallthrough by bucket with reason SPLIT', async () => {
    const inside = findUser('new-checkout', (bucket) => bucket < 10_000);
    const outside = findUser('new-checkout', (bucket) => bucket >= 10_000);
    const servedOn = await runEval(evalArgs(VALID, 'new-checkout', { targetingKey: inside }));
    const servedOff = await runEval(evalArgs(VALID, 'new-checkout', { targetingKey: outside }));
    expect(servedOn.json).toMatchObject({ value: true, variant: 'on', reason: 'SPLIT' });
    expect(servedOff.json).toMatchObject({ value: false, variant: 'off', reason: 'SPLIT' });
  });

  it('serves a percentage rule only below its threshold', async () => {
    const below = findUser('new-checkout', (bucket) => bucket < 50_000);
    const above = findUser('new-checkout', (bucket) => bucket >= 50_000);
    const ruleServed = await runEval(
      evalArgs(VALID, 'new-checkout', { targetingKey: below, plan: 'pro' }),
    );
    const fellThrough = await runEval(
      evalArgs(VALID, 'new-checkout', { targetingKey: above, plan: 'pro' }),
    );
    expect(ruleServed.json).toMatchObject({
      variant: 'on',
      reason: 'SPLIT',
      flagMetadata: { ruleId: 'pro-half' },
    });
    expect(fellThrough.json).toMatchObject({ variant: 'off', reason: 'SPLIT' });
    expect(fellThrough.json['flagMetadata']).not.toHaveProperty('ruleId');
  });

  it('answers STATIC for a flag with nothing but a fixed fallthrough', async () => {
    const { json } = await runEval(evalArgs(VALID, 'banner-text', {}));
    expect(json).toMatchObject({ value: 'Hello!', variant: 'hello', reason: 'STATIC' });
  });

  it('serves the off variation of a disabled flag', async () => {
    const { json } = await runEval(evalArgs(VALID, 'killed', { targetingKey: 'qa_1' }));
    expect(json).toMatchObject({ value: false, variant: 'off', reason: 'DISABLED' });
  });

  it('exits 0 with an ERROR result for a missing flag, since that is a valid answer', async () => {
    const { json, exitCode } = await runEval(evalArgs(VALID, 'no-such-flag', {}));
    expect(exitCode).toBe(0);
    expect(json).toMatchObject({ reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    expect(json).not.toHaveProperty('value');
  });

  it('answers TYPE_MISMATCH when --type differs from the flag type', async () => {
    const { json } = await runEval(
      evalArgs(VALID, 'new-checkout', { targetingKey: 'qa_1' }, '--type', 'string'),
    );
    expect(json).toMatchObject({ reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
  });

  it('defaults --context to an empty object', async () => {
    const { json } = await runEval(['--snapshot', VALID, '--flag', 'banner-text']);
    expect(json).toMatchObject({ variant: 'hello' });
  });

  describe('--explain', () => {
    it('names the rule that decided, in JSON and on stderr', async () => {
      const run = await runEval(
        evalArgs(VALID, 'new-checkout', { targetingKey: 'user_1' }, '--explain'),
      );
      const output = run.json as unknown as ExplainOutput;
      expect(output.result).toMatchObject({ variant: 'on', reason: 'TARGETING_MATCH' });
      expect(output.explanation.length).toBeGreaterThan(0);
      for (const step of output.explanation) {
        expect(typeof step.step).toBe('string');
        expect(typeof step.message).toBe('string');
      }
      expect(output.explanation).toContainEqual(
        expect.objectContaining({ step: 'rule', ruleId: 'beta' }),
      );
      expect(run.stderr).toContain('beta');
      expect(run.stderr).toContain('=> variant "on" = true (TARGETING_MATCH)');
    });

    it('shows the bucket against the threshold of a percentage rule that served', async () => {
      const user = findUser('new-checkout', (bucket) => bucket < 50_000);
      const bucket = referenceBucket('new-checkout', user);
      const run = await runEval(
        evalArgs(VALID, 'new-checkout', { targetingKey: user, plan: 'pro' }, '--explain'),
      );
      const output = run.json as unknown as ExplainOutput;
      expect(output.result).toMatchObject({ variant: 'on', reason: 'SPLIT' });
      expect(output.explanation).toContainEqual(
        expect.objectContaining({ ruleId: 'pro-half', bucket, threshold: 50_000 }),
      );
      expect(run.stderr).toContain(String(bucket));
      expect(run.stderr).toContain('50000');
    });

    it('shows the bucket against the threshold of a percentage rule that let the context through', async () => {
      const user = findUser('new-checkout', (bucket) => bucket >= 50_000);
      const bucket = referenceBucket('new-checkout', user);
      const run = await runEval(
        evalArgs(VALID, 'new-checkout', { targetingKey: user, plan: 'pro' }, '--explain'),
      );
      const output = run.json as unknown as ExplainOutput;
      expect(output.result).toMatchObject({ variant: 'off', reason: 'SPLIT' });
      expect(output.explanation).toContainEqual(
        expect.objectContaining({ ruleId: 'pro-half', bucket, threshold: 50_000 }),
      );
      expect(output.explanation.map((step) => step.step)).toContain('fallthrough');
      expect(run.stderr).toContain(String(bucket));
    });
  });

  describe('--context', () => {
    it.each([
      ['text that is not JSON', 'plan=pro', /--context is not valid JSON/],
      ['an array', '["user_1"]', /--context must be a JSON object .* not an array/],
      ['a string', '"user_1"', /--context must be a JSON object .* not a string/],
      [
        'a numeric targeting key',
        '{"targetingKey": 42}',
        /--context: targetingKey must be a string/,
      ],
    ])('is rejected with exit code 2 when it is %s', async (_case, context, message) => {
      const run = await runCliCaptured([
        'eval',
        '--snapshot',
        VALID,
        '--flag',
        'banner-text',
        '--context',
        context,
      ]);
      expect(run.exitCode).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
    });
  });

  it('refuses an invalid snapshot with its errors and exit code 1', async () => {
    const run = await runCliCaptured(['eval', ...evalArgs(INVALID, 'good-flag', {})]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--no-validate');
    expect(run.stderr).toContain('/flags/future-flag/rules/0/clauses/0/operator: ');
  });

  it('evaluates an invalid snapshot with --no-validate, answering PARSE_ERROR for the flags it cannot understand', async () => {
    const future = await runEval(
      evalArgs(INVALID, 'future-flag', { country: 'fr' }, '--no-validate'),
    );
    const badOff = await runEval(evalArgs(INVALID, 'bad-off', {}, '--no-validate'));
    const good = await runEval(evalArgs(INVALID, 'good-flag', {}, '--no-validate'));
    expect(future.json).toMatchObject({ reason: 'ERROR', errorCode: 'PARSE_ERROR' });
    expect(badOff.json).toMatchObject({ reason: 'ERROR', errorCode: 'PARSE_ERROR' });
    expect(good.json).toMatchObject({ value: true, variant: 'on', reason: 'STATIC' });
    expect(future.stderr).toContain(
      'warning: test/fixtures/invalid.json: invalid snapshot, evaluating anyway',
    );
  });

  it('exits 2 when --flag is missing', async () => {
    const run = await runCliCaptured(['eval', '--snapshot', VALID]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("required option '--flag <key>' not specified");
  });

  it('exits 2 for a --type that is not a flag type', async () => {
    const run = await runCliCaptured([
      'eval',
      ...evalArgs(VALID, 'banner-text', {}, '--type', 'integer'),
    ]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Allowed choices are boolean, string, number, object');
  });

  it('names the snapshot file when it has a syntax error', async () => {
    const run = await runCliCaptured([
      'eval',
      ...evalArgs('test/fixtures/syntax-error.yaml', 'x', {}),
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('test/fixtures/syntax-error.yaml:4:1: YAML syntax error');
  });
});
