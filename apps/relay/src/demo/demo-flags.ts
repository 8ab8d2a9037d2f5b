import type { Flag, Segment } from '@switchyard/core';

/**
 * The demo's flags and segment, after the seed scenarios (and the same as the CLI's
 * examples/demo-snapshot.json): a beta-first rollout, a canary on one tenant, a kill switch,
 * a 30/40/30 A/B/n by cumulative percentage rules, a string flag and an object flag. Keys
 * and versions are left out: the store fills them in when it seeds them as one commit.
 */
type DemoEntry<T> = Omit<T, 'key' | 'version'>;

/** The demo segments, by key. */
export const DEMO_SEGMENTS: Record<string, DemoEntry<Segment>> = {
  'beta-users': {
    name: 'Beta users',
    description:
      'Early adopters who asked for new features first, plus everyone on the staff domain.',
    included: ['user_1', 'user_2', 'user_3'],
    excluded: ['user_9'],
    rules: [
      {
        id: 'staff',
        description: 'Staff accounts',
        clauses: [
          {
            attribute: 'email',
            operator: 'endsWith',
            values: ['@switchyard.dev'],
          },
        ],
      },
    ],
  },
};

/** The demo flags, by key; `new-checkout`, `live-chat` and `checkout-button-copy` are client-side. */
export const DEMO_FLAGS: Record<string, DemoEntry<Flag>> = {
  'new-checkout': {
    name: 'New checkout',
    description: 'The new checkout flow: beta users first, then 5% of everyone else.',
    type: 'boolean',
    enabled: true,
    variations: [
      {
        name: 'on',
        value: true,
      },
      {
        name: 'off',
        value: false,
      },
    ],
    offVariation: 'off',
    targets: {
      on: ['internal_qa'],
      off: ['opted_out_user'],
    },
    rules: [
      {
        id: 'beta-users',
        description: 'Beta users get the new flow',
        clauses: [
          {
            attribute: 'key',
            operator: 'inSegment',
            values: ['beta-users'],
          },
        ],
        variation: 'on',
      },
    ],
    fallthrough: {
      weights: [
        {
          variation: 'on',
          weight: 5000,
        },
        {
          variation: 'off',
          weight: 95000,
        },
      ],
    },
    clientSide: true,
    tags: ['checkout', 'rollout'],
  },
  'new-search-index': {
    name: 'New search index',
    description: 'Canary: only the acme tenant reads from the new index.',
    type: 'boolean',
    enabled: true,
    variations: [
      {
        name: 'on',
        value: true,
      },
      {
        name: 'off',
        value: false,
      },
    ],
    offVariation: 'off',
    rules: [
      {
        id: 'canary-tenant',
        description: 'Canary tenant',
        clauses: [
          {
            attribute: 'key',
            operator: 'equals',
            values: ['tenant_acme'],
          },
        ],
        variation: 'on',
      },
    ],
    fallthrough: {
      variation: 'off',
    },
    tags: ['search', 'canary'],
  },
  'live-chat': {
    name: 'Live chat widget',
    description: 'Kill switch thrown during an incident: everyone gets off until it is re-enabled.',
    type: 'boolean',
    enabled: false,
    variations: [
      {
        name: 'on',
        value: true,
      },
      {
        name: 'off',
        value: false,
      },
    ],
    offVariation: 'off',
    fallthrough: {
      variation: 'on',
    },
    clientSide: true,
    tags: ['support', 'kill-switch'],
  },
  'checkout-button-copy': {
    name: 'Checkout button copy',
    description:
      'A/B/n test, 30/40/30, as cumulative percentage rules (30, 70, 100) bucketed by targetingKey.',
    type: 'string',
    enabled: true,
    variations: [
      {
        name: 'variant-a',
        value: 'Buy now',
      },
      {
        name: 'variant-b',
        value: 'Complete purchase',
      },
      {
        name: 'variant-c',
        value: 'Place order',
      },
    ],
    offVariation: 'variant-a',
    rules: [
      {
        id: 'variant-a-30',
        description: '30% see A',
        clauses: [],
        variation: 'variant-a',
        percentage: 30,
        bucketBy: 'targetingKey',
      },
      {
        id: 'variant-b-40',
        description: 'the next 40% see B',
        clauses: [],
        variation: 'variant-b',
        percentage: 70,
        bucketBy: 'targetingKey',
      },
      {
        id: 'variant-c-30',
        description: 'the last 30% see C',
        clauses: [],
        variation: 'variant-c',
        percentage: 100,
        bucketBy: 'targetingKey',
      },
    ],
    fallthrough: {
      variation: 'variant-a',
    },
    clientSide: true,
    tags: ['experiment'],
  },
  'search-ranking': {
    name: 'Search ranking algorithm',
    description: 'Enterprise plans get hybrid ranking; everyone else keeps BM25.',
    type: 'string',
    enabled: true,
    variations: [
      {
        name: 'bm25',
        value: 'bm25',
      },
      {
        name: 'hybrid',
        value: 'hybrid',
      },
    ],
    offVariation: 'bm25',
    rules: [
      {
        id: 'enterprise-plan',
        description: 'Enterprise plans',
        clauses: [
          {
            attribute: 'plan',
            operator: 'equals',
            values: ['enterprise'],
          },
        ],
        variation: 'hybrid',
      },
    ],
    fallthrough: {
      variation: 'bm25',
    },
    tags: ['search'],
  },
  'checkout-limits': {
    name: 'Checkout limits',
    description:
      'Cart limits; gold-tier accounts (a JSON pointer into the context) get the generous set.',
    type: 'object',
    enabled: true,
    variations: [
      {
        name: 'standard',
        value: {
          maxItems: 50,
          maxTotalCents: 500000,
          currencies: ['USD', 'EUR'],
        },
      },
      {
        name: 'generous',
        value: {
          maxItems: 200,
          maxTotalCents: 5000000,
          currencies: ['USD', 'EUR', 'GBP', 'JPY'],
        },
      },
    ],
    offVariation: 'standard',
    rules: [
      {
        id: 'gold-accounts',
        description: 'Gold-tier accounts',
        clauses: [
          {
            attribute: '/account/tier',
            operator: 'equals',
            values: ['gold'],
          },
        ],
        variation: 'generous',
      },
    ],
    fallthrough: {
      variation: 'standard',
    },
    tags: ['checkout'],
  },
};
