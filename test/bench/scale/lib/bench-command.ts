import { type BenchArgs, parseArgs } from './args';
import { describeMachine } from './machine';
import { buildRelay } from './relay-launcher';
import { type SectionId, writeResultsSection } from './results-file';

/** One `pnpm bench:<name>` command: how to read its options, run it, report it and judge it. */
export interface BenchCommand<Options, Result> {
  /** The script name and the RESULTS.md section it rewrites. */
  name: SectionId;
  /** How the console names it, if not `name`. */
  label?: string;
  usage: string;
  options(args: BenchArgs): Options;
  run(options: Options): Promise<Result>;
  markdown(result: Result, options: Options, command: string): string;
  /** Whether the run found a correctness failure (the exit code becomes 1). */
  failed(result: Result): boolean;
}

/**
 * The part every scale bench shares: `--help`, building the relay unless `--no-build` (or
 * `--mode=source`), the machine line, the report on stdout, the RESULTS.md section unless
 * `--no-results`, and the exit code.
 */
export async function runBenchCommand<Options, Result>(
  bench: BenchCommand<Options, Result>,
): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  if (args.has('help')) {
    console.log(bench.usage);
    return;
  }
  if (!args.has('no-build') && args.string('mode', 'built') === 'built') buildRelay();
  const options = bench.options(args);
  console.log(`${bench.label ?? bench.name}: ${describeMachine()}`);
  const started = Date.now();
  const result = await bench.run(options);
  const markdown = bench.markdown(result, options, [`pnpm bench:${bench.name}`, ...argv].join(' '));
  console.log(`\n${markdown}\n\n(${((Date.now() - started) / 1000).toFixed(0)} s)`);
  if (!args.has('no-results')) await writeResultsSection(bench.name, markdown);
  process.exitCode = bench.failed(result) ? 1 : 0;
}
