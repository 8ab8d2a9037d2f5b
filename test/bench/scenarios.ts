/**
 * The three evaluation scenarios every engine implements. Each engine turns this neutral
 * description into its own flag format, so all of them answer the same question for the
 * same users.
 */

export const USER_COUNT = 10_000;
export const ENTERPRISE_PLAN = 'enterprise';
export const ROLLOUT_PERCENT = 10;
/** Share of users on the enterprise plan: user i is enterprise when i % 20 === 0. */
export const ENTERPRISE_SHARE = 1 / 20;
/** Enterprise users always get true; the other 95% get it 10% of the time. */
export const ROLLOUT_TRUE_FRACTION =
  ENTERPRISE_SHARE + (1 - ENTERPRISE_SHARE) * (ROLLOUT_PERCENT / 100);

export type Plan = typeof ENTERPRISE_PLAN | 'free';

export interface BenchUser {
  readonly key: string;
  readonly plan: Plan;
}

export type ScenarioId = 'A' | 'B' | 'C';

/**
 * `rollout`: rule `plan equals enterprise` -> true, else a 10% rollout on the targeting key.
 * `static-on`: no rules at all, everyone gets true.
 */
export type FlagKind = 'rollout' | 'static-on';

export interface Scenario {
  readonly id: ScenarioId;
  readonly title: string;
  readonly flagKind: FlagKind;
  /** Call i evaluates flagKeys[i % flagKeys.length] for users[i % users.length]. */
  readonly flagKeys: readonly string[];
  readonly users: readonly BenchUser[];
  readonly expectedTrueFraction: number;
}

export function planOf(userIndex: number): Plan {
  return userIndex % 20 === 0 ? ENTERPRISE_PLAN : 'free';
}

/** Users whose plan follows their index; the prefix lets cold runs mint never-seen keys. */
export function buildUsers(count: number, keyPrefix = 'user-'): BenchUser[] {
  const users: BenchUser[] = [];
  for (let i = 0; i < count; i++) users.push({ key: `${keyPrefix}${i}`, plan: planOf(i) });
  return users;
}

function flagKeys(count: number, prefix: string): string[] {
  if (count === 1) return [prefix];
  // Distinct keys (hence distinct salts) so every flag buckets the same user differently.
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
}

const users = buildUsers(USER_COUNT);

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'A',
    title: 'one flag: plan equals enterprise -> true, else 10% rollout',
    flagKind: 'rollout',
    flagKeys: flagKeys(1, 'bench-rollout'),
    users,
    expectedTrueFraction: ROLLOUT_TRUE_FRACTION,
  },
  {
    id: 'B',
    title: '1,000 such flags, each call takes the next flag and the next user',
    flagKind: 'rollout',
    flagKeys: flagKeys(1_000, 'bench-rollout'),
    users,
    expectedTrueFraction: ROLLOUT_TRUE_FRACTION,
  },
  {
    id: 'C',
    title: 'a plain on/off flag (no rules), on for everyone',
    flagKind: 'static-on',
    flagKeys: flagKeys(1, 'bench-static'),
    users,
    expectedTrueFraction: 1,
  },
];
