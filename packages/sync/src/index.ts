/**
 * @switchyard/sync: keeps a Switchyard snapshot live from the relay (SSE, WebSocket,
 * polling, or an injected source), with backoff and a status machine. Shared by the server
 * and web providers; written against injected fetch, EventSource and WebSocket, no I/O of
 * its own.
 */
export {
  SyncClient,
  describeSync,
  type SnapshotInfo,
  type SyncClientOptions,
  type SyncStatus,
  type SyncStats,
  type SnapshotChange,
  type StatusChange,
} from './sync-client';
export { Backoff, type BackoffOptions } from './backoff';
export { SnapshotHolder, type ApplyOutcome } from './snapshot-holder';
export {
  type SnapshotTransport,
  type TransportHandlers,
  type TransportConnection,
  type TransportClose,
  type RelayEndpoint,
  relayUrl,
  authHeaders,
} from './transport';
export { SseTransport, type SseTransportOptions } from './transports/sse-transport';
export {
  WebSocketTransport,
  type WebSocketTransportOptions,
} from './transports/websocket-transport';
export { PollingTransport, type PollingTransportOptions } from './transports/polling-transport';
export {
  type Clock,
  type Logger,
  type FetchFunction,
  type FetchResponse,
  type EventSourceLike,
  type EventSourceFactory,
  type WebSocketLike,
  type WebSocketFactory,
  systemClock,
  silentLogger,
} from './platform';
export { resolveFromSync, type ProviderResolution } from './resolve-from-sync';
