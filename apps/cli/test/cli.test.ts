import { describe, expect, it } from 'vitest';
import { runCliCaptured } from './run-cli-captured.js';

describe('switchyard', () => {
  it('prints help listing its commands and exits 0', async () => {
    const run = await runCliCaptured(['--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('validate');
    expect(run.stdout).toContain('eval');
  });

  it('exits 2 on an unknown command', async () => {
    const run = await runCliCaptured(['frobnicate']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
  });

  it('exits 2 and prints help when run without a command', async () => {
    const run = await runCliCaptured([]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Usage: switchyard');
  });
});
