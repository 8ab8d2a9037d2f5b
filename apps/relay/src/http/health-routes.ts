import type { FastifyInstance } from 'fastify';
import type { RelayMetrics } from '../metrics/relay-metrics';
import type { FlagStore } from '../store/flag-store';

/** `/healthz` (the process answers), `/readyz` (the store is loaded and good), `/metrics`. */
export function registerHealthRoutes(
  app: FastifyInstance,
  deps: { store: FlagStore; metrics: RelayMetrics; isClosing: () => boolean },
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    // A relay that is shutting down is not ready: load balancers stop sending it streams.
    if (deps.isClosing())
      return reply.code(503).send({ status: 'not-ready', detail: 'shutting down' });
    const health = deps.store.health();
    if (!health.ready)
      return reply
        .code(503)
        .send({ status: 'not-ready', detail: health.detail ?? 'the store is not ready' });
    return { status: 'ready', ...(health.detail !== undefined ? { detail: health.detail } : {}) };
  });

  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await deps.metrics.render();
    return reply.type(contentType).send(body);
  });
}
