import type { FastifyRequest } from 'fastify';
import type { AccessKeys, AdminPrincipal } from '../access-keys';
import { HttpProblem } from '../http-problem';

const principals = new WeakMap<FastifyRequest, AdminPrincipal>();

/** The admin who made an authenticated request (the audit log's actor). */
export function adminOf(request: FastifyRequest): AdminPrincipal {
  const principal = principals.get(request);
  if (principal === undefined)
    throw new HttpProblem('unauthorized', 'the request is not authenticated');
  return principal;
}

/**
 * The admin API's `onRequest` hook: `Authorization: Bearer <token>`; read scope for GETs,
 * write scope for everything else; routes with `config.publicRoute` are open. It runs
 * before the body is read, so a request without a valid token costs nothing more.
 */
export function adminAuthHook(keys: AccessKeys) {
  return async (request: FastifyRequest): Promise<void> => {
    if ((request.routeOptions.config as { publicRoute?: boolean }).publicRoute === true) return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (match === null)
      throw new HttpProblem('unauthorized', 'send an admin token: Authorization: Bearer <token>');
    const principal = keys.adminToken(match[1]!);
    if (principal === undefined)
      throw new HttpProblem('unauthorized', 'the admin token is not known');
    const reads = request.method === 'GET' || request.method === 'HEAD';
    if (!reads && principal.scope !== 'write') {
      throw new HttpProblem(
        'forbidden',
        `token "${principal.name}" has read scope; ${request.method} needs write scope`,
      );
    }
    principals.set(request, principal);
  };
}
