import { systemClock, type EventSourceLike, type WebSocketLike } from '@switchyard/sync';
import type { WebPlatform } from './options';

function need<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`SwitchyardWebProvider: this page has no ${name}`);
  return value;
}

/**
 * The page's own EventSource, WebSocket and fetch, looked up when first used (so a polyfill
 * installed after the provider was built still counts), with any overrides. Browsers cannot
 * set headers on EventSource and WebSocket, so the key travels in the query (`keyInQuery`).
 */
export function browserPlatform(overrides: Partial<WebPlatform> = {}): WebPlatform {
  const page = globalThis as unknown as {
    EventSource?: new (url: string) => EventSourceLike;
    WebSocket?: new (url: string) => WebSocketLike;
    fetch?: WebPlatform['fetch'];
  };
  const given = Object.fromEntries(
    Object.entries(overrides).filter((entry) => entry[1] !== undefined),
  ) as Partial<WebPlatform>;
  return {
    createEventSource: (url) => new (need(page.EventSource, 'EventSource'))(url),
    createWebSocket: (url) => new (need(page.WebSocket, 'WebSocket'))(url),
    fetch: (url, init) => need(page.fetch, 'fetch').call(globalThis, url, init),
    clock: systemClock,
    random: Math.random,
    ...given,
  };
}
