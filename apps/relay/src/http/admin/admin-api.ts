import type { FastifyInstance } from 'fastify';
import type { AccessKeys } from '../access-keys';
import type { OpenApiCollector } from '../openapi';
import { adminAuthHook } from './admin-auth';
import type { AdminDeps } from './admin-write';
import { registerEntryRoutes } from './entry-routes';
import { registerEnvironmentRoutes } from './environment-routes';
import { registerFlagActionRoutes } from './flag-action-routes';

/**
 * The admin API (`/admin/v1`, DESIGN §6) in its own Fastify scope: bearer tokens with read
 * or write scope, every write through `store.update`, and the OpenAPI document built from
 * the routes' schemas.
 */
export function registerAdminApi(
  app: FastifyInstance,
  deps: AdminDeps & { keys: AccessKeys; openapi: OpenApiCollector },
): void {
  app.register(async (admin) => {
    admin.addHook('onRequest', adminAuthHook(deps.keys));
    admin.get(
      '/admin/v1/openapi.json',
      {
        config: { publicRoute: true },
        schema: { summary: 'This document', operationId: 'getOpenApi', tags: ['meta'] },
      },
      async () => deps.openapi.document(),
    );
    registerEnvironmentRoutes(admin, deps);
    registerEntryRoutes(admin, deps, 'flag');
    registerFlagActionRoutes(admin, deps);
    registerEntryRoutes(admin, deps, 'segment');
  });
}
