import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WS_CLOSE_UNAUTHORIZED } from '@switchyard/core/protocol';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { StreamHub } from '../hub/stream-hub';
import type { CloseReason, Subscriber } from '../hub/subscriber';
import type { AccessKeys, SdkPrincipal } from './access-keys';
import { authenticateSdk } from './sdk-auth';
import type { SdkCors } from './sdk-cors';
import { redactUrl } from './redact-url';
import { parseSince } from './sdk-routes';
import { forEachSliced } from './sliced';

/** Close code for an origin the key's environment does not allow. */
const WS_CLOSE_FORBIDDEN_ORIGIN = 4003;
/** RFC 6455 "service restart": the client should reconnect (and resume). */
const WS_CLOSE_RECONNECT = 1012;

/** A WebSocket stream as the hub sees it; `ws` queues writes and reports the backlog. */
class WsSubscriber implements Subscriber {
  readonly format = 'ws' as const;

  constructor(private readonly ws: WebSocket) {}

  send(bytes: Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes, { binary: false });
  }

  bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  close(reason: CloseReason): void {
    if (reason === 'slow-consumer') this.ws.terminate();
    else this.ws.close(WS_CLOSE_RECONNECT, reason);
  }
}

/** Options of the WebSocket gateway. */
export interface WsGatewayOptions {
  hub: StreamHub;
  keys: AccessKeys;
  cors: SdkCors;
  logger: Logger;
  heartbeatMs: number;
  maxConnections: number;
  /** How long to wait for a `hello` before sending a put. Default 1000 ms. */
  helloTimeoutMs?: number;
}

interface Session {
  alive: boolean;
  unsubscribe?: () => void;
}

/** The version a `hello` frame resumes from; anything else starts from a put. */
function sinceOfHello(data: RawData): number | undefined {
  try {
    const hello = JSON.parse(String(data)) as { type?: unknown; since?: unknown };
    return hello.type === 'hello' && typeof hello.since === 'number'
      ? parseSince(String(hello.since))
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `GET /sdk/v1/ws` on the relay's HTTP listener. The key is checked before the upgrade
 * completes; a bad key still completes it, only to close with 4001 and a reason the client
 * can show (DESIGN §5). Pings every heartbeat; a peer that missed the last pong is dropped.
 */
export class WsGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 4096,
    perMessageDeflate: false,
    clientTracking: false,
  });
  private readonly sessions = new Map<WebSocket, Session>();
  private readonly pinger: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly options: WsGatewayOptions) {
    this.pinger = setInterval(() => this.ping(), options.heartbeatMs);
    this.pinger.unref();
  }

  /** Handles upgrades on `server`. */
  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
  }

  /** Refuses new connections and asks every open one to reconnect elsewhere. */
  shutdown(): void {
    this.closing = true;
    clearInterval(this.pinger);
    for (const ws of this.sessions.keys()) ws.close(WS_CLOSE_RECONNECT, 'shutdown');
  }

  /** Drops whatever is still open (after the shutdown grace period). */
  terminateAll(): void {
    for (const ws of this.sessions.keys()) ws.terminate();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://relay.invalid');
    if (url.pathname !== '/sdk/v1/ws') return refuse(socket, 404, 'Not Found');
    if (this.closing || this.options.hub.connections >= this.options.maxConnections)
      return refuse(socket, 503, 'Service Unavailable');
    const auth = authenticateSdk(
      this.options.keys,
      request.headers,
      url.searchParams.get('key') ?? undefined,
    );
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (!auth.ok) return ws.close(WS_CLOSE_UNAUTHORIZED, auth.problem.detail.slice(0, 120));
      const selfOrigin = `http://${request.headers.host ?? ''}`;
      if (
        !this.options.cors.allows(request.headers.origin, auth.principal.environment, selfOrigin)
      ) {
        return ws.close(
          WS_CLOSE_FORBIDDEN_ORIGIN,
          'this origin may not read the environment of this key',
        );
      }
      this.open(ws, auth.principal, redactUrl(request.url ?? '/'), url.searchParams.get('since'));
    });
  }

  private open(
    ws: WebSocket,
    principal: SdkPrincipal,
    url: string,
    sinceParam: string | null,
  ): void {
    const session: Session = { alive: true };
    const opened = Date.now();
    const context = { url, environment: principal.environment, kind: principal.audience };
    // One line per stream would cost more than the stream itself under a reconnect herd.
    this.options.logger.debug(context, 'websocket opened');
    this.sessions.set(ws, session);
    const start = (since: number | undefined): void => {
      clearTimeout(helloTimer);
      if (session.unsubscribe !== undefined || ws.readyState !== WebSocket.OPEN) return;
      session.unsubscribe = this.options.hub.subscribe({
        environment: principal.environment,
        kind: principal.audience,
        subscriber: new WsSubscriber(ws),
        since,
      });
    };
    // A client that puts `since` (or `since=`, for none) in the URL is served at once: no race
    // between a hello frame and the timer under load. Others may say hello first, or get a
    // put after a moment.
    const helloTimer =
      sinceParam === null
        ? setTimeout(() => start(undefined), this.options.helloTimeoutMs ?? 1000)
        : undefined;
    if (sinceParam !== null) start(sinceParam === '' ? undefined : parseSince(sinceParam));
    ws.on('message', (data) => start(sinceOfHello(data))); // later frames are ignored
    ws.on('pong', () => (session.alive = true));
    ws.on('error', (error) => this.options.logger.debug({ err: error }, 'websocket error'));
    ws.on('close', (code) => {
      this.options.logger.debug(
        { ...context, code, seconds: Math.round((Date.now() - opened) / 1000) },
        'websocket closed',
      );
      clearTimeout(helloTimer);
      session.unsubscribe?.();
      this.sessions.delete(ws);
    });
  }

  private ping(): void {
    forEachSliced([...this.sessions], ([ws, session]) => {
      if (!session.alive) return ws.terminate(); // missed the last pong: a dead peer
      session.alive = false;
      ws.ping();
    });
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
