import { describe, expect, it } from 'vitest';
import { runCrash } from '../../bench/scale/crash/crash-bench';

describe('bench:crash, smoke size', () => {
  it('loses no acknowledged write over kill -9 restarts, starts every time, never goes back', async () => {
    const result = await runCrash({
      kills: 4,
      writers: 2,
      writeGapMs: 5,
      minUpMs: 100,
      maxUpMs: 400,
      compactEvery: 5,
      mode: 'source',
      log: () => undefined,
    });
    expect(result.kills).toBe(4);
    expect(result.ackedWrites).toBeGreaterThan(0);
    expect(result).toMatchObject({
      lostWrites: 0,
      corruptStarts: 0,
      versionRegressions: 0,
      duplicateApplications: 0,
      phantomWrites: 0,
    });
  });
});
