/**
 * @switchyard/relay: stores flags, serves snapshots, streams every change to connected
 * SDKs (SSE, WebSocket), speaks OFREP, and offers the admin API.
 */
export { startRelay, type RunningRelay, type StartRelayOptions } from './http/start-relay';
export {
  resolveRelayConfig,
  RELAY_DEFAULTS,
  type AdminToken,
  type EnvironmentAccess,
  type RelayLimits,
  type RelayServerConfig,
} from './http/relay-options';
export { StreamHub, type StreamHubOptions } from './hub/stream-hub';
export type { Subscriber, StreamKind, FrameFormat, CloseReason } from './hub/subscriber';
export { MemoryFlagStore, type MemoryFlagStoreOptions } from './store/memory-flag-store';
export type {
  FlagStore,
  ChangeRecord,
  AuditEntry,
  UpdateRequest,
  UpdateResult,
} from './store/flag-store';
