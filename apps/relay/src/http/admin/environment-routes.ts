import type { FastifyInstance } from 'fastify';
import { matchesIfNoneMatch } from '../etag';
import { auditQuery, entryParams, envParams, problemResponses, ref } from './admin-schemas';
import { snapshotOf, type AdminDeps } from './admin-write';

/** Environments, whole snapshots (admin view, with rollouts) and per-entry audit logs. */
export function registerEnvironmentRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get(
    '/admin/v1/environments',
    {
      schema: {
        summary: 'List environments and their versions',
        operationId: 'listEnvironments',
        tags: ['environments'],
        response: { 200: ref('EnvironmentList'), ...problemResponses },
      },
    },
    async () => ({
      environments: deps.store
        .environments()
        .map((name) => ({ name, version: deps.store.snapshot(name)?.version ?? 0 })),
    }),
  );

  app.get(
    '/admin/v1/environments/:env/snapshot',
    {
      schema: {
        summary: 'The whole environment, admin-only fields included; ETag is its version',
        operationId: 'getSnapshot',
        tags: ['environments'],
        params: envParams,
        response: {
          200: ref('Snapshot'),
          304: { description: 'Not modified', type: 'null' },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { env } = request.params as { env: string };
      const snapshot = snapshotOf(deps.store, env);
      const etag = `"${snapshot.version}"`;
      reply.header('etag', etag);
      if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
      return reply.send(snapshot);
    },
  );

  for (const kind of ['flag', 'segment'] as const) {
    app.get(
      `/admin/v1/environments/:env/${kind}s/:key/audit`,
      {
        schema: {
          summary: `Who changed a ${kind}, when, and how (newest first)`,
          operationId: `get${kind === 'flag' ? 'Flag' : 'Segment'}Audit`,
          tags: [`${kind}s`],
          params: entryParams,
          querystring: auditQuery,
          response: { 200: ref('AuditList'), ...problemResponses },
        },
      },
      async (request) => {
        const { env, key } = request.params as { env: string; key: string };
        const { limit } = request.query as { limit?: string };
        snapshotOf(deps.store, env);
        const entries = await deps.store.audit(env, {
          kind,
          key,
          limit: limit === undefined ? 100 : Number(limit),
        });
        return { environment: env, kind, key, entries };
      },
    );
  }
}
