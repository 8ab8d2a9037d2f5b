import { describe, expect, it } from 'vitest';
import { runCliCaptured, writeTemporaryFile } from './run-cli-captured.js';

// Kept out of fixtures/: a deliberately broken .json file would trip Prettier and editors.
const BROKEN_JSON = '{\n  "schemaVersion": 1,\n  "environment": "test"\n  "version": 1\n}\n';

describe('switchyard validate', () => {
  it('accepts a valid JSON snapshot and prints a one-line summary', async () => {
    const run = await runCliCaptured(['validate', 'test/fixtures/valid.json']);
    expect(run).toEqual({
      exitCode: 0,
      stdout:
        'test/fixtures/valid.json: valid snapshot: environment "test", version 5, 3 flags, 1 segment\n',
      stderr: '',
    });
  });

  it('accepts a valid YAML snapshot', async () => {
    const run = await runCliCaptured(['validate', 'test/fixtures/valid.yaml']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('environment "staging", version 2, 1 flag, 0 segments');
  });

  it('accepts the demo snapshot the README evaluates', async () => {
    const run = await runCliCaptured(['validate', 'examples/demo-snapshot.json']);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('environment "demo", version 12, 6 flags, 1 segment');
  });

  it('reads YAML content from a file without a YAML extension', async () => {
    const yaml = 'schemaVersion: 1\nenvironment: local\nversion: 1\nflags: {}\nsegments: {}\n';
    const directory = await writeTemporaryFile('snapshot', yaml);
    const run = await runCliCaptured(['validate', 'snapshot'], directory);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('environment "local", version 1, 0 flags, 0 segments');
  });

  it('rejects an invalid snapshot with one JSON-pointer line per error and exit code 1', async () => {
    const run = await runCliCaptured(['validate', 'test/fixtures/invalid.json']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe('');
    const [heading, ...errorLines] = run.stderr.trimEnd().split('\n');
    expect(heading).toMatch(/^test\/fixtures\/invalid\.json: invalid snapshot \(\d+ errors?\)$/);
    for (const line of errorLines) expect(line).toMatch(/^(\/\S*|\(root\)): \S/);
    const paths = errorLines.map((line) => line.slice(0, line.indexOf(': ')));
    expect(paths).toContain('/flags/future-flag/rules/0/clauses/0/operator');
    expect(paths).toContain('/flags/bad-off/offVariation');
    expect(paths.some((path) => path.startsWith('/flags/good-flag'))).toBe(false);
  });

  it('names the file, line and column of a JSON syntax error', async () => {
    const directory = await writeTemporaryFile('broken.json', BROKEN_JSON);
    const run = await runCliCaptured(['validate', 'broken.json'], directory);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^switchyard: broken\.json:4:3: JSON syntax error: \S/);
  });

  it('names the file, line and column of a YAML syntax error', async () => {
    const run = await runCliCaptured(['validate', 'test/fixtures/syntax-error.yaml']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(
      'test/fixtures/syntax-error.yaml:4:1: YAML syntax error: Map keys must be unique',
    );
  });

  it('names a file it cannot read', async () => {
    const run = await runCliCaptured(['validate', 'test/fixtures/missing.json']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      'switchyard: test/fixtures/missing.json: cannot read file: no such file\n',
    );
  });

  it('rejects an empty file', async () => {
    const directory = await writeTemporaryFile('empty.json', '\n');
    const run = await runCliCaptured(['validate', 'empty.json'], directory);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('switchyard: empty.json: file is empty\n');
  });

  it('exits 2 when the file argument is missing', async () => {
    const run = await runCliCaptured(['validate']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain("missing required argument 'file'");
  });
});
