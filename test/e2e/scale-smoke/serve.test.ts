import { describe, expect, it } from 'vitest';
import { runServe } from '../../bench/scale/serve/serve-bench';

describe('bench:serve, smoke size', () => {
  it('answers snapshot and OFREP bulk requests with 200 and 304 under autocannon', async () => {
    const results = await runServe({
      durationS: 1,
      warmupS: 0,
      connections: 10,
      logLevels: ['warn'],
      mode: 'source',
      log: () => undefined,
    });
    expect(results.map((r) => `${r.scenario} ${r.status}`)).toEqual([
      'snapshot 200',
      'snapshot 304',
      'OFREP bulk 200',
      'OFREP bulk 304',
    ]);
    for (const result of results) {
      expect(result.requests).toBeGreaterThan(100);
      expect(result.wrongStatus).toBe(0);
      expect(result.errors).toBe(0);
    }
  });
});
