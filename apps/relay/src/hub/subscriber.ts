/**
 * What the stream hub sees of a connection. Transports (SSE, WebSocket) implement it; the
 * hub never touches a socket.
 */

/** Who a stream is for: a server key, a client key, or an OFREP change-notification stream. */
export type StreamKind = 'server' | 'client' | 'ofrep';

/** How frames are encoded: SSE event blocks or WebSocket text frames. */
export type FrameFormat = 'sse' | 'ws';

/**
 * Why the hub closes a subscriber. `slow-consumer`: its unsent bytes passed the cap, so the
 * transport should drop it at once; the others ask the client to reconnect and resume.
 */
export type CloseReason = 'slow-consumer' | 'max-age' | 'shutdown';

/** One connected stream, as the hub drives it. */
export interface Subscriber {
  readonly format: FrameFormat;
  /** Queues bytes for the peer; never blocks. The same Buffer goes to many subscribers. */
  send(bytes: Buffer): void;
  /** Bytes queued but not yet handed to the kernel. */
  bufferedBytes(): number;
  /** Ends the connection; the transport picks how (drop, or a reconnect hint). */
  close(reason: CloseReason): void;
}

/** A message encoded once, whose bytes every subscriber of a channel receives. */
export interface EncodedMessage {
  /** The environment version the subscriber holds after receiving it. */
  readonly version: number;
  bytes(format: FrameFormat): Buffer;
}

/** Counters the hub reports (the metrics module implements it). */
export interface HubObserver {
  connected(environment: string, kind: StreamKind, format: FrameFormat): void;
  disconnected(environment: string, kind: StreamKind, format: FrameFormat): void;
  sent(
    environment: string,
    kind: StreamKind,
    format: FrameFormat,
    messages: number,
    bytes: number,
  ): void;
  dropped(environment: string, kind: StreamKind, format: FrameFormat): void;
  /** Time from the store's commit to the change being encoded and queued for broadcast. */
  enqueued(environment: string, latencyMs: number): void;
}

/** An observer that records nothing. */
export const silentHubObserver: HubObserver = {
  connected: () => {},
  disconnected: () => {},
  sent: () => {},
  dropped: () => {},
  enqueued: () => {},
};
