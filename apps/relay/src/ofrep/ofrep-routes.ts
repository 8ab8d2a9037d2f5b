import type { EvaluationContext } from '@switchyard/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SdkPrincipal } from '../http/access-keys';
import { matchesIfNoneMatch } from '../http/etag';
import { problemFromError } from '../http/http-problem';
import {
  admitStream,
  logStream,
  parseSince,
  sdkPrincipalOf,
  type SdkRouteDeps,
} from '../http/sdk-routes';
import { signEventStreamToken, verifyEventStreamToken } from './event-stream-token';
import { OfrepEvaluator } from './ofrep-evaluator';

/** An OFREP error answer: the status and the body the spec gives it. */
class OfrepFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.errorDetails));
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The evaluation context of a request body `{ "context": {...} }` (OFREP requires the body). */
function contextOf(body: unknown, key: string | undefined): EvaluationContext {
  const invalid = (details: string): OfrepFailure =>
    new OfrepFailure(400, {
      ...(key !== undefined ? { key } : {}),
      errorCode: 'INVALID_CONTEXT',
      errorDetails: details,
    });
  if (!isObject(body)) throw invalid('the body must be a JSON object: {"context": {...}}');
  if (body.context === undefined) return {};
  if (!isObject(body.context)) throw invalid('context must be a JSON object');
  if (body.context.targetingKey !== undefined && typeof body.context.targetingKey !== 'string') {
    throw invalid('context.targetingKey must be a string');
  }
  return body.context as EvaluationContext;
}

/**
 * OFREP 0.3 (specs/ofrep-openapi.yaml): single and bulk evaluation with server or client
 * keys (Authorization or X-API-Key), and the SSE change notifications that bulk responses
 * point at through `eventStreams`. Errors take OFREP's shapes, not problem+json.
 */
export function registerOfrepRoutes(app: FastifyInstance, deps: SdkRouteDeps): void {
  const { hub, keys, cors } = deps;
  const evaluator = new OfrepEvaluator((environment) => hub.feed(environment)?.snapshot);

  app.register(async (ofrep) => {
    ofrep.setErrorHandler((error, request, reply) => sendOfrepError(error, request, reply));

    ofrep.post('/ofrep/v1/evaluate/flags/:key', async (request, reply) => {
      const { key } = request.params as { key: string };
      const principal = sdkPrincipalOf(request, keys, cors);
      const outcome = evaluator.evaluate(
        principal.environment,
        principal.audience,
        key,
        contextOf(request.body, key),
      );
      return reply.code(outcome.status).send(outcome.body);
    });

    ofrep.post('/ofrep/v1/evaluate/flags', async (request, reply) => {
      const principal = sdkPrincipalOf(request, keys, cors);
      const context = contextOf(request.body, undefined);
      const version = hub.feed(principal.environment)!.version;
      const etag = evaluator.bulkEtag(version, principal.audience, context);
      reply.header('etag', etag).header('cache-control', 'private, no-cache');
      if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
      const { flags } = evaluator.evaluateAll(principal.environment, principal.audience, context);
      return reply.send({
        flags,
        metadata: { environment: principal.environment, version },
        eventStreams: [
          { type: 'sse', url: eventStreamUrl(request, principal, deps), inactivityDelaySec: 120 },
        ],
      });
    });

    ofrep.get(
      '/ofrep/v1/events',
      {
        schema: {
          querystring: {
            type: 'object',
            required: ['token'],
            properties: { token: { type: 'string' }, lastEventId: { type: 'string' } },
          },
        },
        exposeHeadRoute: false,
      },
      async (request, reply) => {
        const query = request.query as { token: string; lastEventId?: string };
        const principal = verifyEventStreamToken(query.token, keys);
        if (principal === undefined) {
          // EventSource gives up on a 401; the provider then refetches and gets a fresh URL.
          throw new OfrepFailure(401, {
            errorDetails: 'the event stream token is not valid (any more)',
          });
        }
        cors.check(request, principal);
        admitStream(deps);
        const since = parseSince(request.headers['last-event-id'] ?? query.lastEventId);
        const { socket, subscriber } = deps.sse.open(reply);
        const unsubscribe = hub.subscribe({
          environment: principal.environment,
          kind: 'ofrep',
          subscriber,
          since,
        });
        socket.once('close', unsubscribe);
        if (socket.destroyed) unsubscribe();
        logStream(request, socket, { environment: principal.environment, kind: 'ofrep', since });
      },
    );
  });
}

function eventStreamUrl(
  request: FastifyRequest,
  principal: SdkPrincipal,
  deps: SdkRouteDeps,
): string {
  const token = signEventStreamToken(principal, deps.keys);
  return `${request.protocol}://${request.host}/ofrep/v1/events?token=${encodeURIComponent(token)}`;
}

function sendOfrepError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof OfrepFailure) return reply.code(error.status).send(error.body);
  const key = (request.params as { key?: string } | undefined)?.key;
  const withKey = key !== undefined ? { key } : {};
  const problem = problemFromError(error);
  if (problem.code === 'malformed-json') {
    return reply
      .code(400)
      .send({ ...withKey, errorCode: 'PARSE_ERROR', errorDetails: problem.detail });
  }
  if (problem.code === 'invalid-request') {
    const details =
      problem.errors?.map((e) => `${e.path || '/'} ${e.message}`).join('; ') ?? problem.detail;
    return reply
      .code(400)
      .send({ ...withKey, errorCode: 'INVALID_CONTEXT', errorDetails: details });
  }
  if (problem.status >= 500) request.log.error({ err: error }, 'ofrep request failed');
  if (problem.code === 'unauthorized') reply.header('www-authenticate', 'Bearer');
  return reply
    .code(problem.status)
    .send({ ...withKey, errorCode: 'GENERAL', errorDetails: problem.detail });
}
