import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AccessKeys, SdkPrincipal } from '../http/access-keys';

const PURPOSE = 'switchyard-ofrep-event-stream';

const macOf = (key: string, environment: string): Buffer =>
  createHmac('sha256', key).update(`${PURPOSE}\u0000${environment}`).digest();

/**
 * The credential of an OFREP event-stream URL (EventSource cannot send headers): the
 * environment, which key it was issued to (by fingerprint), and an HMAC made with that key.
 * It never contains the key, works on every replica that knows the key, and dies with it.
 */
export function signEventStreamToken(principal: SdkPrincipal, keys: AccessKeys): string {
  const key = keys.sdkKeyByFingerprint(principal.fingerprint)?.key;
  if (key === undefined) throw new Error('the principal has no key');
  return [
    Buffer.from(principal.environment).toString('base64url'),
    principal.fingerprint,
    macOf(key, principal.environment).toString('base64url'),
  ].join('.');
}

/** The principal a token was issued to, or undefined when it is forged, revoked or malformed. */
export function verifyEventStreamToken(token: string, keys: AccessKeys): SdkPrincipal | undefined {
  const [encodedEnvironment, fingerprint, mac, extra] = token.split('.');
  if (
    encodedEnvironment === undefined ||
    fingerprint === undefined ||
    mac === undefined ||
    extra !== undefined
  )
    return undefined;
  const environment = Buffer.from(encodedEnvironment, 'base64url').toString('utf8');
  const issuedTo = keys.sdkKeyByFingerprint(fingerprint);
  if (issuedTo === undefined || issuedTo.environment !== environment) return undefined;
  const expected = macOf(issuedTo.key, environment);
  const presented = Buffer.from(mac, 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
    return undefined;
  return { environment, audience: issuedTo.audience, fingerprint: issuedTo.fingerprint };
}
