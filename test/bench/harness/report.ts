import type { EngineResult, ScenarioResult } from './bench-scenario';

/** The goals, stated for scenario A: ours divided by the fastest peer. */
export const GOALS = [
  {
    scenario: 'A',
    engineId: 'switchyard-warm',
    label: 'warm A at most 1/10 of the fastest peer',
    maxRatio: 0.1,
  },
  {
    scenario: 'A',
    engineId: 'switchyard-cold',
    label: 'cold A at most 1/2 of the fastest peer',
    maxRatio: 0.5,
  },
] as const;

export interface Table {
  readonly header: readonly string[];
  /** Columns after the first are numbers: right-aligned. */
  readonly rows: readonly (readonly string[])[];
}

export interface ScenarioReport {
  readonly heading: string;
  readonly table: Table;
  readonly notes: readonly string[];
}

export const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function ratio(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value >= 10 ? value.toFixed(1) : value >= 0.1 ? value.toFixed(2) : value.toFixed(3);
}

export function spread(result: EngineResult): string {
  const min = Math.min(...result.nsPerEval);
  const max = Math.max(...result.nsPerEval);
  return `${((100 * (max - min)) / result.medianNs).toFixed(0)}%`;
}

function fastestPeer(results: readonly EngineResult[]): EngineResult | undefined {
  const peers = results.filter((r) => r.engine.side === 'peer');
  return peers.reduce<EngineResult | undefined>(
    (best, r) => (best && best.medianNs <= r.medianNs ? best : r),
    undefined,
  );
}

export function scenarioReport({ scenario, results }: ScenarioResult): ScenarioReport {
  const ordered = [...results].sort((a, b) => a.medianNs - b.medianNs);
  const warm = results.find((r) => r.engine.id === 'switchyard-warm');
  const table: Table = {
    header: ['engine', 'ns/eval (median)', 'spread', 'true', '× ours-warm'],
    rows: ordered.map((r) => [
      r.mode === 'async' ? `${r.engine.label} [awaited]` : r.engine.label,
      integer.format(r.medianNs),
      spread(r),
      `${(100 * r.trueFraction).toFixed(2)}%`,
      warm ? ratio(r.medianNs / warm.medianNs) : '–',
    ]),
  };

  const notes: string[] = [];
  const fastest = fastestPeer(results);
  for (const ours of results.filter((r) => r.engine.side === 'ours')) {
    if (!fastest) break;
    notes.push(
      `${ours.engine.id} / fastest peer (${fastest.engine.label}, ${integer.format(fastest.medianNs)} ns) = ` +
        ratio(ours.medianNs / fastest.medianNs),
    );
  }
  for (const goal of GOALS.filter((g) => g.scenario === scenario.id)) {
    const ours = results.find((r) => r.engine.id === goal.engineId);
    const verdict =
      ours && fastest
        ? `${ours.medianNs / fastest.medianNs <= goal.maxRatio ? 'MET' : 'MISSED'} (${ratio(ours.medianNs / fastest.medianNs)})`
        : 'not measured';
    notes.push(`Goal: ${goal.label}: ${verdict}`);
  }

  return {
    heading: `Scenario ${scenario.id}: ${scenario.title} (${integer.format(scenario.users.length)} users, ${integer.format(scenario.flagKeys.length)} flag${scenario.flagKeys.length === 1 ? '' : 's'}; expected true ${(100 * scenario.expectedTrueFraction).toFixed(1)}%)`,
    table,
    notes,
  };
}

export function renderText(report: ScenarioReport): string {
  const { header, rows } = report.table;
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!)))
      .join('  ');
  return [
    report.heading,
    line(header),
    ...rows.map(line),
    ...report.notes.map((n) => `  ${n}`),
  ].join('\n');
}

export function renderMarkdown(report: ScenarioReport): string {
  const { header, rows } = report.table;
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const align = `| --- |${' ---: |'.repeat(header.length - 1)}`;
  return [
    `## ${report.heading}`,
    '',
    line(header),
    align,
    ...rows.map(line),
    '',
    ...report.notes.map((n) => `- ${n}`),
  ].join('\n');
}
