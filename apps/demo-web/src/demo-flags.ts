/** A flag the page shows: its key, type, the default the page passes, and what it demonstrates. */
export interface PageFlag {
  key: string;
  type: 'boolean' | 'string';
  about: string;
  /** Not clientSide on the relay: the client snapshot leaves it out, so the page gets FLAG_NOT_FOUND. */
  serverOnly?: boolean;
}

/** The demo's client-side flags, plus one server-only flag to show what a page cannot see. */
export const PAGE_FLAGS: readonly PageFlag[] = [
  {
    key: 'new-checkout',
    type: 'boolean',
    about: 'beta users first (a segment), then 5% of everyone else',
  },
  {
    key: 'checkout-button-copy',
    type: 'string',
    about: 'A/B/n test, 30/40/30, bucketed by targetingKey',
  },
  { key: 'live-chat', type: 'boolean', about: 'kill switch: off until someone enables it' },
  {
    key: 'new-search-index',
    type: 'boolean',
    about: 'server-only: never sent to browsers, so FLAG_NOT_FOUND here',
    serverOnly: true,
  },
];

/** What the page passes as the default of each type. */
export const DEFAULTS = { boolean: false, string: 'Buy now' } as const;
