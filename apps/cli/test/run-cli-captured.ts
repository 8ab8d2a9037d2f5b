import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/index.js';

/** The apps/cli directory: fixture paths in tests are relative to it, as a user's would be. */
export const cliRoot = fileURLToPath(new URL('..', import.meta.url));

/** What one in-process run of the CLI produced. */
export interface CapturedRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with `cwd` apps/cli and collects both streams. */
export async function runCliCaptured(argv: string[], cwd: string = cliRoot): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
  });
  return { exitCode, stdout, stderr };
}

/** Runs `switchyard eval` and parses its JSON output (which must be there). */
export async function runEval(
  argv: string[],
): Promise<CapturedRun & { json: Record<string, unknown> }> {
  const run = await runCliCaptured(['eval', ...argv]);
  if (run.exitCode !== 0) throw new Error(`eval exited ${run.exitCode}: ${run.stderr}`);
  return { ...run, json: JSON.parse(run.stdout) as Record<string, unknown> };
}

/** Writes `content` to a fresh temporary directory and answers that directory. */
export async function writeTemporaryFile(name: string, content: string): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
  await writeFile(join(directory, name), content);
  return directory;
}
