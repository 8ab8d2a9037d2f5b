import { describe, expect, it } from 'vitest';
import { runFanout } from '../../bench/scale/fanout/fanout-bench';

describe('bench:fanout, smoke size', () => {
  it('delivers every write to every SSE and WebSocket subscriber in order, from the floor and the relay', async () => {
    const results = await runFanout({
      sizes: [300],
      writes: 6,
      warmup: 1,
      intervalMs: 100,
      workers: 2,
      concurrency: 50,
      mode: 'source',
      heartbeatMs: 300_000,
      logLevel: 'warn',
      servers: ['floor', 'relay'],
      log: () => undefined,
    });
    expect(results.map((r) => r.server)).toEqual(['floor', 'relay']);
    for (const result of results) {
      expect(result).toMatchObject({ opened: 300, failed: 0, writes: 6, lost: 0, gaps: 0 });
      expect(result.closedEarly).toBe(0);
      expect(result.steady.max).toBeGreaterThan(-50);
      expect(result.cpuPerChangeUs).toBeGreaterThan(0);
    }
  });
});
