import { describe, expect, it } from 'vitest';
import { canDropSockets } from '../../bench/scale/lib/drop-sockets';
import { runHerd } from '../../bench/scale/herd/herd-bench';

describe('bench:herd, smoke size', () => {
  it('brings every SDK client back to the current version after a restart and a drop, with patches', async () => {
    const results = await runHerd({
      clients: 200,
      events: canDropSockets() ? ['restart', 'drop'] : ['restart'],
      workers: 2,
      concurrency: 100,
      mode: 'source',
      logLevel: 'warn',
      timeoutMs: 20_000,
      backoff: { initialMs: 200, maxMs: 1000 },
      log: () => undefined,
    });
    for (const result of results) {
      expect(result.ready).toBe(200);
      expect(result.current).toBe(200);
      expect(result.viaPatches + result.viaPut).toBe(200);
      expect(result.viaPut).toBe(0); // server keys resume from the store's change ring
      expect(result.peakRss).toBeGreaterThan(0);
    }
  });
});
