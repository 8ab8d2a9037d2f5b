import type { EngineResult, ScenarioResult } from '../harness/bench-scenario';
import { median } from '../harness/measure';
import { integer, ratio, spread, type ScenarioReport, type Table } from '../harness/report';

/** Issue 4's goal for the OpenFeature path: ours over the constant provider, every scenario. */
export const OPENFEATURE_GOAL = {
  engineId: 'of-switchyard',
  label: 'SwitchyardProvider within 1.05× of the constant provider',
  maxRatio: 1.05,
} as const;

/** The row every other is divided by: the constant provider (diagnostics may add other floors). */
const FLOOR_ID = 'of-constant';

function signedNs(value: number): string {
  return `${value >= 0 ? '+' : '−'}${integer.format(Math.abs(value))}`;
}

function pairedRatios(a: EngineResult, b: EngineResult): number[] {
  return a.nsPerEval.map((ns, round) => ns / b.nsPerEval[round]!);
}

function fastestPeer(results: readonly EngineResult[]): EngineResult | undefined {
  return results
    .filter((r) => r.engine.side === 'peer')
    .reduce<EngineResult | undefined>(
      (best, r) => (best && best.medianNs <= r.medianNs ? best : r),
      undefined,
    );
}

/**
 * One scenario of the OpenFeature section: every row is `await client.getBooleanValue(...)`
 * through the same SDK, so the constant provider's row is the SDK's own cost and the columns
 * after it say what each provider adds.
 */
export function openFeatureReport(
  { scenario, results }: ScenarioResult,
  sdkLabel: string,
): ScenarioReport {
  const ordered = [...results].sort((a, b) => a.medianNs - b.medianNs);
  const floor = results.find((r) => r.engine.id === FLOOR_ID);
  const table: Table = {
    header: ['provider', 'ns/eval (median)', 'spread', 'true', '× constant', 'ns over constant'],
    rows: ordered.map((r) => [
      r.engine.label,
      integer.format(r.medianNs),
      spread(r),
      r.engine.constantAnswer === undefined
        ? `${(100 * r.trueFraction).toFixed(2)}%`
        : `${(100 * r.trueFraction).toFixed(2)}% (constant, exempt)`,
      floor ? ratio(r.medianNs / floor.medianNs) : '–',
      floor ? (r === floor ? '0' : signedNs(r.medianNs - floor.medianNs)) : '–',
    ]),
  };

  const notes: string[] = [];
  const ours = results.find((r) => r.engine.id === OPENFEATURE_GOAL.engineId);
  const fastest = fastestPeer(results);
  if (ours && fastest) {
    notes.push(
      `${ours.engine.id} / fastest peer provider (${fastest.engine.label}, ${integer.format(fastest.medianNs)} ns) = ` +
        ratio(ours.medianNs / fastest.medianNs),
    );
  }
  let verdict = 'not measured';
  if (ours && floor) {
    // Ours and the constant provider run next to each other in every round (the order
    // alternates), so the ratio within each round cancels most of what other processes do
    // to both; its median is what the goal is judged on.
    const paired = pairedRatios(ours, floor);
    const pairedMedian = median(paired);
    verdict =
      `${pairedMedian <= OPENFEATURE_GOAL.maxRatio ? 'MET' : 'MISSED'} ` +
      `(per-round ratio: median ${pairedMedian.toFixed(3)}, range ${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)}; ` +
      `ratio of the medians ${(ours.medianNs / floor.medianNs).toFixed(3)})`;
  }
  notes.push(`Goal: ${OPENFEATURE_GOAL.label}: ${verdict}`);

  return {
    heading:
      `OpenFeature ${scenario.id}: ${scenario.title}, through ${sdkLabel} ` +
      `(${integer.format(scenario.users.length)} users, ${integer.format(scenario.flagKeys.length)} flag${scenario.flagKeys.length === 1 ? '' : 's'}; expected true ${(100 * scenario.expectedTrueFraction).toFixed(1)}%)`,
    table,
    notes,
  };
}
