import type { RelayMessage } from '@switchyard/core/protocol';

/** Why a connection ended. `fatal` when retrying cannot help (a bad key: 401, 403, close 4001). */
export interface TransportClose {
  message: string;
  fatal: boolean;
  status?: number;
}

/** What a transport reports to the sync client. */
export interface TransportHandlers {
  /** The connection is established and healthy. */
  onOpen(): void;
  /** A put or patch arrived. */
  onMessage(message: RelayMessage): void;
  /** A payload arrived that is not a relay message; the connection stays. */
  onGarbage(detail: string): void;
  /** The connection ended; the client decides whether and when to reconnect. */
  onClose(reason: TransportClose): void;
}

/** An open connection. */
export interface TransportConnection {
  close(): void;
}

/**
 * The transport port: one way of receiving snapshots from the relay (SseTransport,
 * WebSocketTransport, PollingTransport, or a file watcher the server provider injects).
 */
export interface SnapshotTransport {
  readonly name: string;
  /** Connects, resuming after version `since` when given (patches only, if the relay still holds them). */
  connect(since: number | undefined, handlers: TransportHandlers): TransportConnection;
}

/** Where a transport finds the relay, and how it proves who it is. */
export interface RelayEndpoint {
  /** Base URL of the relay, e.g. `http://127.0.0.1:8080`. */
  relayUrl: string;
  key: string;
  /** Send the key as `?key=` (browsers cannot set headers on EventSource and WebSocket). */
  keyInQuery: boolean;
}

/** Builds a relay URL with query parameters; the key goes in the query only when asked. */
export function relayUrl(
  endpoint: RelayEndpoint,
  path: string,
  params: Record<string, string | undefined> = {},
): string {
  const base = endpoint.relayUrl.replace(/\/+$/, '');
  const query = Object.entries({ ...params, key: endpoint.keyInQuery ? endpoint.key : undefined })
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
  return `${base}${path}${query === '' ? '' : `?${query}`}`;
}

/** The headers that carry the key, unless it travels in the query. */
export const authHeaders = (endpoint: RelayEndpoint): Record<string, string> =>
  endpoint.keyInQuery ? {} : { Authorization: endpoint.key };

/** Whether an HTTP status means the key is not accepted, so retrying cannot help. */
export const isFatalStatus = (status: number | undefined): boolean =>
  status === 401 || status === 403;
