/**
 * `pnpm bench:eval`: flag evaluation cost of Switchyard against its peers, all offline, in
 * one process, alternating rounds, median ns per evaluation: first each engine called
 * directly (section `core`), then through the OpenFeature server SDK (section `openfeature`).
 * See test/bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { peerVersion, type BenchEngine } from './engines/engine';
import { benchScenario, type BenchSettings, type ScenarioResult } from './harness/bench-scenario';
import { installNetworkGuard } from './harness/network-guard';
import { renderMarkdown, renderText, scenarioReport, type ScenarioReport } from './harness/report';
import { openFeatureReport } from './openfeature/report';
import { SCENARIOS, type Scenario } from './scenarios';

/** Engine modules load lazily, so `--only` can leave out one that does not load (e.g. core mid-rewrite). */
interface EngineModule {
  readonly ids: readonly string[];
  readonly load: () => Promise<{ engines: readonly BenchEngine[] }>;
  /** Diagnostics: left out unless named in --only or asked for with --diagnostics. */
  readonly optional?: boolean;
}

/** A group of engines timed against each other; each section has its own tables. */
interface Section {
  readonly id: 'core' | 'openfeature';
  readonly modules: readonly EngineModule[];
  /** Heading and paragraph written before the section's tables (none for core: the header says it). */
  readonly title?: string;
  readonly intro?: () => string;
  readonly report: (result: ScenarioResult) => ScenarioReport;
  /** Timed rounds unless --rounds says otherwise. */
  readonly defaultRounds: number;
}

const SECTIONS: readonly Section[] = [
  {
    id: 'core',
    modules: [
      { ids: ['switchyard-warm', 'switchyard-cold'], load: () => import('./engines/switchyard') },
      { ids: ['flagd'], load: () => import('./engines/flagd') },
      { ids: ['launchdarkly'], load: () => import('./engines/launchdarkly') },
      { ids: ['unleash'], load: () => import('./engines/unleash') },
      { ids: ['growthbook'], load: () => import('./engines/growthbook') },
    ],
    report: scenarioReport,
    defaultRounds: 9,
  },
  {
    id: 'openfeature',
    modules: [
      { ids: ['of-constant'], load: () => import('./openfeature/constant') },
      { ids: ['of-switchyard'], load: () => import('./openfeature/switchyard') },
      { ids: ['of-flagd'], load: () => import('./openfeature/flagd') },
      { ids: ['of-launchdarkly'], load: () => import('./openfeature/launchdarkly') },
      {
        ids: ['of-constant-shaped', 'of-switchyard-unwrapped', 'of-switchyard-nocache'],
        load: () => import('./openfeature/diagnostics'),
        optional: true,
      },
    ],
    title: 'Through OpenFeature',
    intro: () =>
      `Every row is \`await client.getBooleanValue(flag, false, context)\` on ` +
      `${openFeatureSdk()}, each provider registered under a domain of its own with \`setProviderAndWait\`, ` +
      `no hooks, the same scenarios and users as above. The constant provider evaluates nothing and answers ` +
      `\`Promise.resolve({ value: true, reason: 'STATIC' })\`: its row is the SDK's own cost, the floor every ` +
      `provider pays; it is checked for answering true on every call instead of for the scenario's fraction. ` +
      `"× constant" divides by it and "ns over constant" subtracts it. Every call is awaited.`,
    report: (result) => openFeatureReport(result, openFeatureSdk()),
    // Its goal is a 5% margin on a ~13-25 µs floor: more rounds steady the per-round ratio.
    defaultRounds: 15,
  },
];
const moduleIds = (section: Section, withOptional: boolean): string[] =>
  section.modules.flatMap((m) => (m.optional === true && !withOptional ? [] : m.ids));
/** What a full run times (diagnostics may come on top). */
const ALL_ENGINE_IDS = SECTIONS.flatMap((s) => moduleIds(s, false));
const ANY_ENGINE_IDS = SECTIONS.flatMap((s) => moduleIds(s, true));
const RESULTS_FILE = new URL('./RESULTS-eval.md', import.meta.url);

function openFeatureSdk(): string {
  return `@openfeature/server-sdk ${peerVersion('@openfeature/server-sdk')}`;
}

const USAGE = `Usage: tsx test/bench/eval-bench.ts [options]
  --sections=<ids>   comma-separated sections: ${SECTIONS.map((s) => s.id).join(', ')} (default: all)
                     core: each engine called directly; openfeature: through @openfeature/server-sdk
  --only=<ids>       comma-separated engines: ${ALL_ENGINE_IDS.join(', ')}
                     ('switchyard' means both of ours in core); sections with none are skipped
  --diagnostics      add the diagnostic variants of the selected sections:
                     ${ANY_ENGINE_IDS.filter((id) => !ALL_ENGINE_IDS.includes(id)).join(', ')}
                     (each can also be named in --only)
  --scenarios=<ids>  comma-separated scenarios: ${SCENARIOS.map((s) => s.id).join(', ')} (default: all)
  --rounds=<n>       timed rounds per engine (default: core 9, openfeature 15)
  --round-ms=<ms>    target length of one engine's run in a round (default 150)
  --write / --no-write   rewrite test/bench/RESULTS-eval.md (default: only on a full run)`;

interface Options {
  readonly sections: readonly Section[];
  readonly engineIds: readonly string[];
  readonly scenarios: readonly Scenario[];
  /** --rounds, when given, overrides every section's default. */
  readonly rounds: number | undefined;
  readonly roundMs: number;
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
      sections: { type: 'string' },
      only: { type: 'string' },
      diagnostics: { type: 'boolean' },
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
  const sectionIds = list(values.sections);
  const unknownSections = sectionIds?.filter((id) => !SECTIONS.some((s) => s.id === id)) ?? [];
  if (unknownSections.length > 0) {
    throw new Error(`unknown section(s) ${unknownSections.join(', ')}\n${USAGE}`);
  }
  const selectedSections = sectionIds
    ? SECTIONS.filter((s) => sectionIds.includes(s.id))
    : SECTIONS;
  const sectionEngineIds = selectedSections.flatMap((s) => moduleIds(s, true));
  const defaultEngineIds = selectedSections.flatMap((s) =>
    moduleIds(s, values.diagnostics === true),
  );
  const only = list(values.only)?.flatMap((id) =>
    id === 'switchyard' ? ['switchyard-warm', 'switchyard-cold'] : [id],
  );
  const unknown = only?.filter((id) => !sectionEngineIds.includes(id)) ?? [];
  if (unknown.length > 0) {
    throw new Error(`unknown engine(s) ${unknown.join(', ')} in the selected sections\n${USAGE}`);
  }
  const scenarioIds = list(values.scenarios);
  const scenarios = scenarioIds ? SCENARIOS.filter((s) => scenarioIds.includes(s.id)) : SCENARIOS;
  if (scenarios.length === 0) throw new Error(`no scenario matches ${values.scenarios}\n${USAGE}`);

  const engineIds = only ?? defaultEngineIds;
  const sections = selectedSections.filter((s) =>
    s.modules.some((m) => m.ids.some((id) => engineIds.includes(id))),
  );
  const fullRun =
    engineIds.length === ALL_ENGINE_IDS.length &&
    ALL_ENGINE_IDS.every((id) => engineIds.includes(id)) &&
    scenarios.length === SCENARIOS.length;
  return {
    sections,
    engineIds,
    scenarios,
    rounds:
      values.rounds === undefined ? undefined : Math.round(positive(values.rounds, 9, 'rounds')),
    roundMs: positive(values['round-ms'], 150, 'round-ms'),
    write: values['no-write'] === true ? false : values.write === true || fullRun,
  };
}

async function loadEngines(section: Section, ids: readonly string[]): Promise<BenchEngine[]> {
  const engines: BenchEngine[] = [];
  for (const module of section.modules) {
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

function settingsFor(options: Options, section: Section): BenchSettings {
  return {
    rounds: options.rounds ?? section.defaultRounds,
    roundMs: options.roundMs,
    maxIterations: 1_000_000,
  };
}

function machineLines(options: Options): string[] {
  const rounds = options.sections
    .map(
      (s) => `${settingsFor(options, s).rounds}${options.sections.length > 1 ? ` (${s.id})` : ''}`,
    )
    .join(' / ');
  const cpus = os.cpus();
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  return [
    `- Machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${gib} GiB memory, ${os.type()} ${os.release()}`,
    `- Node ${process.version} (V8 ${process.versions.v8})`,
    `- Date: ${new Date().toISOString()}; 1-minute load average at start ${LOAD_AT_START.toFixed(2)}` +
      (LOAD_AT_START > BUSY_LOAD ? ' (the machine was busy: expect noise)' : ''),
    `- Method: one process; per scenario every engine is set up, checked (true-fraction over all users) and ` +
      `warmed up, then ${rounds} alternating rounds of ~${options.roundMs} ms each (at least one cycle of ` +
      `users); the figure is ` +
      `the median ns per evaluation. Contexts are prebuilt outside the timed loop. Nothing touches the ` +
      `network (outgoing TCP is refused and counted).`,
  ];
}

interface SectionResult {
  readonly section: Section;
  readonly results: readonly ScenarioResult[];
  /** 1-minute load average when the section started (the header gives the run's). */
  readonly loadAtStart: number;
}

function sectionIntro({ section, loadAtStart }: SectionResult): string | undefined {
  return (
    section.intro &&
    `${section.intro()} Load average when this section started: ${loadAtStart.toFixed(2)}.`
  );
}

function resultsMarkdown(
  options: Options,
  argv: string[],
  sectionResults: readonly SectionResult[],
): string {
  const command = ['pnpm bench:eval', ...argv].join(' ');
  return [
    '# Evaluation benchmark results',
    '',
    `Written by \`test/bench/eval-bench.ts\`; do not edit by hand. Reproduce with \`${command}\` from the repository root.`,
    '',
    ...machineLines(options),
    '- "× ours-warm": the engine\'s median divided by ours-warm. "spread": (max − min) / median over the rounds. ' +
      '"[awaited]": the SDK only offers a promise-returning API, so each call is awaited.',
    '',
    ...sectionResults.flatMap(({ section, results, loadAtStart }) => [
      ...(section.intro
        ? [`## ${section.title}`, '', sectionIntro({ section, results, loadAtStart }), '']
        : []),
      ...results.flatMap((r) => [renderMarkdown(section.report(r)), '']),
    ]),
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
  const failures: string[] = [];
  const sectionResults: SectionResult[] = [];
  const started = Date.now();

  // Sections run one after the other, never interleaved: each is its own comparison.
  for (const section of options.sections) {
    const loadAtStart = os.loadavg()[0] ?? 0;
    const engines = await loadEngines(section, options.engineIds);
    const results: ScenarioResult[] = [];
    for (const scenario of options.scenarios) {
      results.push(await benchScenario(scenario, engines, settingsFor(options, section), failures));
    }
    sectionResults.push({ section, results, loadAtStart });
  }

  console.log(machineLines(options).join('\n'));
  for (const sectionResult of sectionResults) {
    const intro = sectionIntro(sectionResult);
    if (intro) {
      console.log(`\n== ${sectionResult.section.title} ==\n${intro.replace(/`/g, '')}`);
    }
    for (const result of sectionResult.results) {
      console.log(`\n${renderText(sectionResult.section.report(result))}`);
    }
  }
  const checksum = sectionResults.flatMap((s) => s.results).reduce((sum, r) => sum + r.checksum, 0);
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
    const markdown = resultsMarkdown(options, argv, sectionResults);
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
