/**
 * The few platform objects sync needs, described structurally so that the package runs on
 * browser globals, Node's fetch, the `eventsource` and `ws` packages, or test fakes alike.
 */

/** The subset of a fetch Response that sync reads. */
export interface FetchResponse {
  readonly status: number;
  readonly ok: boolean;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A fetch function (WHATWG). */
export type FetchFunction = (
  url: string,
  init?: { method?: string; headers?: Record<string, string> },
) => Promise<FetchResponse>;

/** The subset of an EventSource that sync uses. */
export interface EventSourceLike {
  addEventListener(
    type: string,
    listener: (event: {
      data?: string;
      lastEventId?: string;
      code?: number;
      message?: string;
    }) => void,
  ): void;
  close(): void;
  readonly readyState: number;
}

/** Builds an EventSource for a URL with headers (Node clients can send them; browsers cannot). */
export type EventSourceFactory = (url: string, headers: Record<string, string>) => EventSourceLike;

/** The subset of a WebSocket that sync uses. */
export interface WebSocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  readonly readyState: number;
}

/** Builds a WebSocket for a URL with headers (browsers ignore the headers: use `?key=`). */
export type WebSocketFactory = (url: string, headers: Record<string, string>) => WebSocketLike;

/** Timers and time, injected so state machines are testable without waiting. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Where sync logs; defaults to nothing. Never receives keys. */
export interface Logger {
  debug(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
  error(message: string, detail?: Record<string, unknown>): void;
}

// Timers exist in every runtime sync targets, but not in the ES library types it compiles with.
const timers = globalThis as unknown as {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

/** The platform clock: real timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => timers.setTimeout(callback, ms),
  clearTimeout: (handle) => timers.clearTimeout(handle),
};

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, warn() {}, error() {} };
