import type { EventSourceFactory, WebSocketFactory, WebSocketLike } from '@switchyard/sync';
import { EventSource } from 'eventsource';
import WebSocket from 'ws';

/** EventSource from the `eventsource` package, sending the key as a header (Node can). */
export const createNodeEventSource: EventSourceFactory = (url, headers) =>
  new EventSource(url, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), ...headers },
      }),
  }) as never;

/** WebSocket from the `ws` package, sending the key as a header before the upgrade. */
export const createNodeWebSocket: WebSocketFactory = (url, headers) =>
  new WebSocket(url, { headers, maxPayload: 64 * 1024 * 1024 }) as unknown as WebSocketLike;
