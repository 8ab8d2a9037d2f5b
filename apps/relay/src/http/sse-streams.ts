import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';
import type { CloseReason, Subscriber } from '../hub/subscriber';
import { SSE_HEARTBEAT, sseRetry } from '../hub/wire-frames';
import { HttpProblem } from './http-problem';
import { forEachSliced } from './sliced';

/** What an SSE client is told to wait before reconnecting. */
type ReconnectDelay = (reason: CloseReason | 'connect') => number;

/**
 * An SSE stream as the hub sees it. Bytes go straight to the socket (no per-write HTTP
 * framing, the same Buffer for everyone), and the socket's own queue is the backlog the
 * hub caps.
 */
export class SseSubscriber implements Subscriber {
  readonly format = 'sse' as const;

  constructor(
    private readonly socket: Socket,
    private readonly reconnectDelay: ReconnectDelay,
  ) {}

  send(bytes: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  bufferedBytes(): number {
    return this.socket.writableLength;
  }

  close(reason: CloseReason): void {
    if (this.socket.destroyed) return;
    // A slow consumer would not read a goodbye anyway: free its buffers now.
    if (reason === 'slow-consumer') this.socket.destroy();
    else this.socket.end(sseRetry(this.reconnectDelay(reason)));
  }
}

/**
 * Every open SSE response: writes the response head on a hijacked socket, sends one
 * heartbeat comment to all of them every `heartbeatMs`, and can end them all at shutdown.
 */
export class SseStreams {
  private readonly sockets = new Set<Socket>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: { heartbeatMs: number; random?: () => number }) {
    this.heartbeat = setInterval(
      () => forEachSliced([...this.sockets], (socket) => socket.write(SSE_HEARTBEAT)),
      options.heartbeatMs,
    );
    this.heartbeat.unref();
  }

  /** Jittered reconnect hints, so clients dropped together do not return together. */
  readonly reconnectDelay: ReconnectDelay = (reason) => {
    const random = (this.options.random ?? Math.random)();
    if (reason === 'max-age') return Math.round(random * 1000);
    if (reason === 'shutdown') return 1000 + Math.round(random * 4000);
    return 1000 + Math.round(random * 2000);
  };

  /** Takes over the reply's socket, writes the SSE head and `retry:` hint, answers the subscriber. */
  open(reply: FastifyReply): { socket: Socket; subscriber: SseSubscriber } {
    const socket = reply.raw.socket;
    if (socket === null) throw new HttpProblem('unavailable', 'the connection is gone');
    const headers = reply.getHeaders(); // CORS headers set by hooks
    reply.hijack();
    socket.setNoDelay(true);
    socket.setTimeout(0);
    const lines = [
      'HTTP/1.1 200 OK',
      'Content-Type: text/event-stream; charset=utf-8',
      'Cache-Control: no-cache, no-transform',
      'X-Accel-Buffering: no',
      // No length and no chunking: the body runs until the connection closes.
      'Connection: close',
      ...Object.entries(headers)
        .filter(([name]) => name.startsWith('access-control-') || name === 'vary')
        .map(([name, value]) => `${name}: ${String(value)}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    socket.write(sseRetry(this.reconnectDelay('connect')));
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return { socket, subscriber: new SseSubscriber(socket, this.reconnectDelay) };
  }

  /** Open streams. */
  get size(): number {
    return this.sockets.size;
  }

  /** Stops the heartbeat. */
  stop(): void {
    clearInterval(this.heartbeat);
  }

  /** Drops whatever is still open (after the shutdown grace period). */
  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}
