/**
 * Wire messages between the relay and SDKs (DESIGN §5). SSE carries the body of each message
 * as `data` under `event: put|patch`; WebSocket carries the same JSON with a `type` field.
 */
import { isPlainObject, isVersion } from './json';
import type { Patch, Snapshot } from './model';

/** A full snapshot. */
export type PutMessage = { type: 'put' } & Snapshot;
/** Changes on top of version `from`. */
export type PatchMessage = { type: 'patch'; from: number } & Patch;
/** Client -> relay, first message on a WebSocket: resume after `since`. */
export interface HelloMessage {
  type: 'hello';
  since?: number;
}
/** Relay -> SDK messages. */
export type RelayMessage = PutMessage | PatchMessage;

/** SSE event names. */
export const SSE_EVENTS = { put: 'put', patch: 'patch' } as const;
/** WebSocket close code for a bad or missing key. */
export const WS_CLOSE_UNAUTHORIZED = 4001;

/** Encodes a put as a WebSocket text frame body. */
export const encodePutFrame = (snapshot: Snapshot): string =>
  JSON.stringify({ type: 'put', ...snapshot });
/** Encodes a patch as a WebSocket text frame body. */
export const encodePatchFrame = (patch: Patch & { from: number }): string =>
  JSON.stringify({ type: 'patch', ...patch });

/**
 * Parses a relay message from a WebSocket frame, or from SSE `data` given its event name.
 * Answers undefined for anything that is not a put or patch envelope (the caller logs it
 * and keeps its snapshot); the content itself is checked when applied.
 */
export function parseRelayMessage(text: string, sseEvent?: string): RelayMessage | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(body)) return undefined;
  const type = sseEvent ?? body.type;
  if (type === 'put' && typeof body.version === 'number' && isPlainObject(body.flags)) {
    const { type: _type, ...snapshot } = body;
    return { type: 'put', ...(snapshot as unknown as Snapshot) };
  }
  if (type === 'patch' && typeof body.version === 'number' && typeof body.from === 'number') {
    const { type: _type, ...patch } = body;
    return { type: 'patch', ...(patch as unknown as Patch & { from: number }) };
  }
  return undefined;
}

/**
 * Why a put payload (or a cached copy of one) is not a snapshot at all, or undefined. Only the
 * envelope is checked: the content of each flag and segment is checked when it is compiled,
 * so one the SDK cannot understand answers PARSE_ERROR alone.
 */
export function whyNotSnapshot(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'snapshot is not an object';
  if (value.schemaVersion !== 1)
    return `unsupported schemaVersion ${JSON.stringify(value.schemaVersion)}`;
  if (!isVersion(value.version)) return 'snapshot version is not a non-negative integer';
  if (!isPlainObject(value.flags) || !isPlainObject(value.segments))
    return 'snapshot flags or segments are not objects';
  return undefined;
}
