import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SdkPrincipal } from './access-keys';
import { HttpProblem } from './http-problem';
import type { EnvironmentAccess } from './relay-options';

const ALLOWED_HEADERS = 'Authorization, Content-Type, If-None-Match, Last-Event-ID, X-API-Key';

/**
 * CORS for the endpoints browsers call (SDK and OFREP). Which origins may read an
 * environment is per environment (`corsOrigins`), but a preflight carries no key, so it is
 * answered for any origin some environment allows; the real request is then checked
 * against the environment of its key.
 */
export class SdkCors {
  private readonly byEnvironment = new Map<string, { any: boolean; origins: Set<string> }>();

  constructor(environments: Record<string, EnvironmentAccess>) {
    for (const [name, access] of Object.entries(environments)) {
      this.byEnvironment.set(name, {
        any: access.corsOrigins.includes('*'),
        origins: new Set(access.corsOrigins),
      });
    }
  }

  /** Whether any environment lets this origin in. */
  isKnownOrigin(origin: string): boolean {
    for (const { any, origins } of this.byEnvironment.values())
      if (any || origins.has(origin)) return true;
    return false;
  }

  /** Whether a request from `origin` may read this environment (no Origin: not a browser). */
  allows(origin: string | undefined, environment: string, selfOrigin: string): boolean {
    if (origin === undefined || origin === selfOrigin) return true;
    const access = this.byEnvironment.get(environment);
    return access !== undefined && (access.any || access.origins.has(origin));
  }

  /**
   * Adds the preflight routes and a hook that puts CORS headers on every response of the
   * given prefixes (401s included, so a browser can read why it failed).
   */
  register(app: FastifyInstance, prefixes: readonly string[]): void {
    for (const prefix of prefixes) {
      app.options(`${prefix}/*`, async (request, reply) => {
        const origin = request.headers.origin;
        if (origin !== undefined && this.isKnownOrigin(origin)) {
          reply.headers({
            'access-control-allow-origin': origin,
            'access-control-allow-methods': 'GET, POST, OPTIONS',
            'access-control-allow-headers': ALLOWED_HEADERS,
            'access-control-max-age': '600',
            vary: 'Origin',
          });
        }
        return reply.code(204).send();
      });
    }
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const origin = request.headers.origin;
      if (origin === undefined || !prefixes.some((prefix) => request.url.startsWith(`${prefix}/`)))
        return;
      if (this.isKnownOrigin(origin)) {
        reply.headers({
          'access-control-allow-origin': origin,
          'access-control-expose-headers': 'ETag',
          vary: 'Origin',
        });
      }
    });
  }

  /** Refuses a browser request whose origin the key's environment does not allow. */
  check(request: FastifyRequest, principal: SdkPrincipal): void {
    if (
      !this.allows(
        request.headers.origin,
        principal.environment,
        `${request.protocol}://${request.host}`,
      )
    ) {
      throw new HttpProblem('forbidden', 'this origin may not read the environment of this key');
    }
  }
}
