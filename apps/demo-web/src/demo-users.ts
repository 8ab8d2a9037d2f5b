import type { EvaluationContext } from '@openfeature/react-sdk';

/** A user the switcher offers, and why the demo flags treat them as they do. */
export interface DemoUser {
  key: string;
  note: string;
  context: EvaluationContext;
}

/** Users that show each branch of the demo flags (apps/relay/src/demo/demo-flags.ts). */
export const DEMO_USERS: readonly DemoUser[] = [
  {
    key: 'user_1',
    note: 'in the beta-users segment: gets new-checkout',
    context: { targetingKey: 'user_1', plan: 'free' },
  },
  {
    key: 'user_42',
    note: 'everyone else: new-checkout is a 5% rollout',
    context: { targetingKey: 'user_42', plan: 'pro' },
  },
  {
    key: 'user_9',
    note: 'excluded from beta-users: falls through to the rollout',
    context: { targetingKey: 'user_9', plan: 'free' },
  },
  {
    key: 'internal_qa',
    note: 'individually targeted: always gets new-checkout',
    context: { targetingKey: 'internal_qa' },
  },
  {
    key: 'opted_out_user',
    note: 'individually targeted: never gets new-checkout',
    context: { targetingKey: 'opted_out_user' },
  },
  {
    key: 'dana',
    note: 'staff (an @switchyard.dev email): in beta-users by the segment rule',
    context: { targetingKey: 'dana', email: 'dana@switchyard.dev' },
  },
];

/** The first user shown: `?user=` (a listed user or any targeting key), else user_1. */
export const DEFAULT_USER = 'user_1';

/** The evaluation context of a listed user, or a context of just that targeting key. */
export function contextFor(targetingKey: string): EvaluationContext {
  return DEMO_USERS.find((user) => user.key === targetingKey)?.context ?? { targetingKey };
}
