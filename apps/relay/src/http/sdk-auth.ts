import type { IncomingHttpHeaders } from 'node:http';
import type { AccessKeys, SdkPrincipal } from './access-keys';
import { HttpProblem } from './http-problem';

/** What authenticating an SDK request answers. */
export type SdkAuthResult =
  { ok: true; principal: SdkPrincipal } | { ok: false; problem: HttpProblem };

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Finds the SDK key of a request: `Authorization: <key>` or `Authorization: Bearer <key>`,
 * `X-API-Key: <key>` (OFREP), or `?key=` for client keys only (browsers cannot set headers
 * on EventSource or WebSocket). A server key in a URL is refused: URLs end up in logs.
 */
export function authenticateSdk(
  keys: AccessKeys,
  headers: IncomingHttpHeaders,
  queryKey: string | undefined,
): SdkAuthResult {
  const authorization = header(headers, 'authorization')?.trim();
  const fromHeader =
    authorization?.replace(/^Bearer\s+/i, '') || header(headers, 'x-api-key')?.trim();
  const presented = fromHeader || queryKey;
  if (presented === undefined || presented === '') {
    return {
      ok: false,
      problem: new HttpProblem('unauthorized', 'send an SDK key in the Authorization header'),
    };
  }
  const principal = keys.sdkKey(presented);
  if (principal === undefined)
    return { ok: false, problem: new HttpProblem('unauthorized', 'the SDK key is not known') };
  if (!fromHeader && principal.audience === 'server') {
    return {
      ok: false,
      problem: new HttpProblem(
        'forbidden',
        'server keys are not accepted in URLs; send them in the Authorization header',
      ),
    };
  }
  return { ok: true, principal };
}
