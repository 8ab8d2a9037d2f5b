import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StreamHub } from '../hub/stream-hub';
import type { StreamKind } from '../hub/subscriber';
import type { AccessKeys, SdkPrincipal } from './access-keys';
import { matchesIfNoneMatch } from './etag';
import { HttpProblem } from './http-problem';
import { redactUrl } from './redact-url';
import { authenticateSdk } from './sdk-auth';
import type { SdkCors } from './sdk-cors';
import type { SseStreams } from './sse-streams';

/** What the SDK routes need. */
export interface SdkRouteDeps {
  hub: StreamHub;
  keys: AccessKeys;
  cors: SdkCors;
  sse: SseStreams;
  maxConnections: number;
  isClosing: () => boolean;
}

const keyQuery = {
  type: 'object',
  properties: {
    key: {
      type: 'string',
      description: 'A client key (browsers); server keys only in the Authorization header.',
    },
    lastEventId: {
      type: 'string',
      description: 'Resume after this version (for clients that cannot set Last-Event-ID).',
    },
  },
} as const;

/** Parses a version a client says it holds; anything else means "send a put". */
export function parseSince(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** Authenticates an SDK request (header or `?key=`) and checks its browser origin. */
export function sdkPrincipalOf(
  request: FastifyRequest,
  keys: AccessKeys,
  cors: SdkCors,
): SdkPrincipal {
  const query = request.query as { key?: string } | undefined;
  const auth = authenticateSdk(keys, request.headers, query?.key);
  if (!auth.ok) throw auth.problem;
  cors.check(request, auth.principal);
  return auth.principal;
}

/** Logs a stream's opening and, with its duration, its end (hijacked replies skip onResponse). */
export function logStream(
  request: FastifyRequest,
  socket: Socket,
  fields: { environment: string; kind: StreamKind; since: number | undefined },
): void {
  const opened = Date.now();
  const context = { method: request.method, url: redactUrl(request.url), ...fields };
  // Per-stream lines are debug: under a reconnect herd they would cost more than the streams.
  request.log.debug(context, 'stream opened');
  socket.once('close', () =>
    request.log.debug(
      { ...context, seconds: Math.round((Date.now() - opened) / 1000) },
      'stream closed',
    ),
  );
}

/** Refuses a new stream while shutting down or at the connection limit. */
export function admitStream(
  deps: Pick<SdkRouteDeps, 'hub' | 'maxConnections' | 'isClosing'>,
): void {
  if (deps.isClosing())
    throw new HttpProblem(
      'unavailable',
      'the relay is shutting down; reconnect to another replica',
    );
  if (deps.hub.connections >= deps.maxConnections) {
    throw new HttpProblem(
      'unavailable',
      'the relay holds its maximum number of streams; retry later',
    );
  }
}

/** `GET /sdk/v1/snapshot` and `GET /sdk/v1/stream` (DESIGN §5). */
export function registerSdkRoutes(app: FastifyInstance, deps: SdkRouteDeps): void {
  const { hub, keys, cors } = deps;

  app.get('/sdk/v1/snapshot', { schema: { querystring: keyQuery } }, async (request, reply) => {
    const principal = sdkPrincipalOf(request, keys, cors);
    const put = hub.feed(principal.environment)!.put(principal.audience);
    const etag = `"${put.version}"`;
    // Client and server snapshots share versions: keep shared caches from mixing them.
    reply
      .header('etag', etag)
      .header('cache-control', 'private, no-cache')
      .header('vary', 'Authorization, Origin');
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(put.json);
  });

  app.get(
    '/sdk/v1/stream',
    { schema: { querystring: keyQuery }, exposeHeadRoute: false },
    async (request, reply) => {
      const principal = sdkPrincipalOf(request, keys, cors);
      admitStream(deps);
      const since = parseSince(
        request.headers['last-event-id'] ?? (request.query as { lastEventId?: string }).lastEventId,
      );
      const { socket, subscriber } = deps.sse.open(reply);
      const unsubscribe = hub.subscribe({
        environment: principal.environment,
        kind: principal.audience,
        subscriber,
        since,
      });
      socket.once('close', unsubscribe);
      if (socket.destroyed) unsubscribe(); // the client left while we subscribed
      logStream(request, socket, {
        environment: principal.environment,
        kind: principal.audience,
        since,
      });
    },
  );
}
