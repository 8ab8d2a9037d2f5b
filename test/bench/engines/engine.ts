import { readFileSync } from 'node:fs';
import type { Scenario } from '../scenarios';

/**
 * One evaluation, addressed by indexes so contexts can be prebuilt outside the timed loop.
 * Answers whether the flag served true.
 */
export type SyncEvaluate = (userIndex: number, flagIndex: number) => boolean;
export type AsyncEvaluate = (userIndex: number, flagIndex: number) => Promise<boolean>;

interface PreparedBase {
  /**
   * Called outside the timer before every timed or checked run of `iterations` calls, for
   * engines that need fresh inputs per run (our cold mode mints never-seen user keys).
   */
  beforeRun?(iterations: number): void;
  dispose(): void | Promise<void>;
}

/** Most engines evaluate synchronously; LaunchDarkly's server SDK only offers promises. */
export type PreparedScenario =
  | (PreparedBase & { readonly mode: 'sync'; readonly evaluate: SyncEvaluate })
  | (PreparedBase & { readonly mode: 'async'; readonly evaluate: AsyncEvaluate });

export interface BenchEngine {
  /** What `--only` matches. */
  readonly id: string;
  /** Shown in tables, with the package version. */
  readonly label: string;
  /**
   * Ours or a peer: ratios and goals compare the two groups. A floor is a reference that does
   * no evaluation (the OpenFeature section's constant provider): the others are divided by it.
   */
  readonly side: 'ours' | 'peer' | 'floor';
  /**
   * For a floor that answers the same whatever the flag and user: it is checked for always
   * giving this answer instead of for the scenario's true-fraction.
   */
  readonly constantAnswer?: boolean;
  setup(scenario: Scenario): Promise<PreparedScenario>;
}

/** The installed version of a peer, read from test/node_modules (some forbid package.json imports). */
export function peerVersion(packageName: string): string {
  const url = new URL(`../../node_modules/${packageName}/package.json`, import.meta.url);
  const manifest = JSON.parse(readFileSync(url, 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}
