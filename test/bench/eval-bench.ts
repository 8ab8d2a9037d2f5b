/**
 * `pnpm bench:eval`: flag evaluation cost of Switchyard against its peers, all offline, in
 * one process, alternating rounds, median ns per evaluation. See test/bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import type { BenchEngine } from './engines/engine';
import { benchScenario, type BenchSettings, type ScenarioResult } from './harness/bench-scenario';
import { installNetworkGuard } from './harness/network-guard';
import { renderMarkdown, renderText, scenarioReport } from './harness/report';
import { SCENARIOS, type Scenario } from './scenarios';

/** Engine modules load lazily, so `--only` can leave out one that does not load (e.g. core mid-rewrite). */
const ENGINE_MODULES: readonly {
  ids: readonly string[];
  load: () => Promise<{ engines: readonly BenchEngine[] }>;
}[] = [
  { ids: ['switchyard-warm', 'switchyard-cold'], load: () => import('./engines/switchyard') },
  { ids: ['flagd'], load: () => import('./engines/flagd') },
  { ids: ['launchdarkly'], load: () => import('./engines/launchdarkly') },
  { ids: ['unleash'], load: () => import('./engines/unleash') },
  { ids: ['growthbook'], load: () => import('./engines/growthbook') },
];
const ALL_ENGINE_IDS = ENGINE_MODULES.flatMap((m) => m.ids);
const RESULTS_FILE = new URL('./RESULTS-eval.md', import.meta.url);

const USAGE = `Usage: tsx test/bench/eval-bench.ts [options]
  --only=<ids>       comma-separated engines: ${ALL_ENGINE_IDS.join(', ')}
                     ('switchyard' means both of ours)
  --scenarios=<ids>  comma-separated scenarios: ${SCENARIOS.map((s) => s.id).join(', ')} (default: all)
  --rounds=<n>       timed rounds per engine (default 9)
  --round-ms=<ms>    target length of one engine's run in a round (default 150)
  --write / --no-write   rewrite test/bench/RESULTS-eval.md (default: only on a full run)`;

interface Options {
  readonly engineIds: readonly string[];
  readonly scenarios: readonly Scenario[];
  readonly settings: BenchSettings;
  readonly write: boolean;
}

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(`--${name} must be a positive number, got ${value}`);
  }
  return n;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      scenarios: { type: 'string' },
      rounds: { type: 'string' },
      'round-ms': { type: 'string' },
      write: { type: 'boolean' },
      'no-write': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = list(values.only)?.flatMap((id) =>
    id === 'switchyard' ? ['switchyard-warm', 'switchyard-cold'] : [id],
  );
  const unknown = only?.filter((id) => !ALL_ENGINE_IDS.includes(id)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown engine(s) ${unknown.join(', ')}\n${USAGE}`);
  const scenarioIds = list(values.scenarios);
  const scenarios = scenarioIds ? SCENARIOS.filter((s) => scenarioIds.includes(s.id)) : SCENARIOS;
  if (scenarios.length === 0) throw new Error(`no scenario matches ${values.scenarios}\n${USAGE}`);

  const engineIds = only ?? ALL_ENGINE_IDS;
  const fullRun =
    engineIds.length === ALL_ENGINE_IDS.length && scenarios.length === SCENARIOS.length;
  return {
    engineIds,
    scenarios,
    settings: {
      rounds: Math.round(positive(values.rounds, 9, 'rounds')),
      roundMs: positive(values['round-ms'], 150, 'round-ms'),
      maxIterations: 1_000_000,
    },
    write: values['no-write'] === true ? false : values.write === true || fullRun,
  };
}

async function loadEngines(ids: readonly string[]): Promise<BenchEngine[]> {
  const engines: BenchEngine[] = [];
  for (const module of ENGINE_MODULES) {
    if (!module.ids.some((id) => ids.includes(id))) continue;
    try {
      const loaded = await module.load();
      engines.push(...loaded.engines.filter((e) => ids.includes(e.id)));
    } catch (error) {
      throw new Error(
        `could not load engine(s) ${module.ids.join(', ')}: ${String(error)}\n` +
          `(run the others with --only=${ALL_ENGINE_IDS.filter((id) => !module.ids.includes(id)).join(',')})`,
      );
    }
  }
  return engines;
}

/** Other work on the box (a test run, a build) shows up as spread; record how busy it was. */
const LOAD_AT_START = os.loadavg()[0] ?? 0;
const BUSY_LOAD = 0.5;

function machineLines(settings: BenchSettings): string[] {
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  return [
    `- Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${gib} GiB memory, ${os.type()} ${os.release()}`,
    `- Node ${process.version} (V8 ${process.versions.v8})`,
    `- Date: ${new Date().toISOString()}; 1-minute load average at start ${LOAD_AT_START.toFixed(2)}` +
      (LOAD_AT_START > BUSY_LOAD ? ' (the machine was busy: expect noise)' : ''),
    `- Method: one process; per scenario every engine is set up, checked (true-fraction over all users) and ` +
      `warmed up, then ${settings.rounds} alternating rounds of ~${settings.roundMs} ms each; the figure is ` +
      `the median ns per evaluation. Contexts are prebuilt outside the timed loop. Nothing touches the ` +
      `network (outgoing TCP is refused and counted).`,
  ];
}

function resultsMarkdown(
  options: Options,
  argv: string[],
  scenarioResults: readonly ScenarioResult[],
): string {
  const command = ['pnpm bench:eval', ...argv].join(' ');
  return [
    '# Evaluation benchmark results',
    '',
    `Written by \`test/bench/eval-bench.ts\`; do not edit by hand. Reproduce with \`${command}\` from the repository root.`,
    '',
    ...machineLines(options.settings),
    '- "× ours-warm": the engine\'s median divided by ours-warm. "spread": (max − min) / median over the rounds. ' +
      '"[awaited]": the SDK only offers a promise-returning API, so each call is awaited.',
    '',
    ...scenarioResults.flatMap((r) => [renderMarkdown(scenarioReport(r)), '']),
  ].join('\n');
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const guard = installNetworkGuard();
  if (LOAD_AT_START > BUSY_LOAD) {
    console.error(
      `warning: load average ${LOAD_AT_START.toFixed(2)}: other work is running, figures will be noisy`,
    );
  }
  const engines = await loadEngines(options.engineIds);
  const failures: string[] = [];
  const scenarioResults: ScenarioResult[] = [];
  const started = Date.now();

  for (const scenario of options.scenarios) {
    scenarioResults.push(await benchScenario(scenario, engines, options.settings, failures));
  }

  console.log(machineLines(options.settings).join('\n'));
  for (const result of scenarioResults) console.log(`\n${renderText(scenarioReport(result))}`);
  const checksum = scenarioResults.reduce((sum, r) => sum + r.checksum, 0);
  console.log(
    `\nchecksum (true answers counted): ${checksum}; ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );

  if (guard.attempts.length > 0) {
    failures.push(
      `outgoing connections attempted (refused): ${[...new Set(guard.attempts)].join(', ')}`,
    );
  }
  if (options.write && failures.length === 0) {
    // Formatted like the rest of the repository, so `prettier --check .` stays clean.
    const prettierConfig = await resolveConfig(fileURLToPath(RESULTS_FILE));
    const markdown = resultsMarkdown(options, argv, scenarioResults);
    writeFileSync(RESULTS_FILE, await format(markdown, { ...prettierConfig, parser: 'markdown' }));
    console.log(`wrote ${RESULTS_FILE.pathname}`);
  }
  if (failures.length > 0) {
    console.error(`\nFAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code), // SDK timers and handles must not keep the process alive
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
