import { describe, expect, it } from 'vitest';
import { runSoak } from '../../bench/scale/soak/soak-bench';
import { canDropSockets } from '../../bench/scale/lib/drop-sockets';

describe('bench:soak, smoke size', () => {
  it('keeps every provider equal to the relay through writes, restarts and drops, never going back', async () => {
    const result = await runSoak({
      providers: 10,
      durationMs: 6000,
      writeEveryMs: 50,
      restartEveryMs: 3000,
      dropEveryMs: canDropSockets() ? 1500 : 3_600_000,
      checkpointEveryMs: 3000,
      convergeTimeoutMs: 15_000,
      mode: 'source',
      seed: 42,
      log: () => undefined,
    });
    expect(result.problems).toEqual([]);
    expect(result.writesAcked).toBeGreaterThan(0);
    expect(result.finalEqual).toBe(10);
    expect(result.checkpointsConverged).toBe(result.checkpoints);
    expect(result.regressions).toBe(0);
    expect(result.relayLostWrites).toBe(0);
  });
});
