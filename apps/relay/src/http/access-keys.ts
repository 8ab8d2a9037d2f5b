import { hash } from 'node:crypto';
import type { ResolvedRelayConfig } from './relay-options';

/** Whose SDK key it is: one environment, server or client audience. */
export interface SdkPrincipal {
  environment: string;
  audience: 'server' | 'client';
  /** SHA-256 of the key, as hex: identifies it without revealing it. */
  fingerprint: string;
}

/** An admin token's owner, recorded in the audit log. */
export interface AdminPrincipal {
  name: string;
  scope: 'read' | 'write';
}

/** SHA-256 hex of a secret (one-shot hashing: about 3x cheaper per request than a Hash object). */
export const fingerprintOf = (secret: string): string => hash('sha256', secret, 'hex');

/**
 * Every credential the relay accepts. Lookups go through the SHA-256 of what was presented,
 * so their timing says nothing about how close a guess was to a real key.
 */
export class AccessKeys {
  private readonly sdk = new Map<string, SdkPrincipal & { key: string }>();
  private readonly admin = new Map<string, AdminPrincipal>();

  constructor(config: Pick<ResolvedRelayConfig, 'environments' | 'adminTokens'>) {
    for (const [environment, access] of Object.entries(config.environments)) {
      for (const [audience, keys] of [
        ['server', access.serverKeys],
        ['client', access.clientKeys],
      ] as const) {
        for (const key of keys) {
          const fingerprint = fingerprintOf(key);
          this.sdk.set(fingerprint, { environment, audience, fingerprint, key });
        }
      }
    }
    for (const { token, name, scope } of config.adminTokens)
      this.admin.set(fingerprintOf(token), { name, scope });
  }

  /** The owner of an SDK key, if it is one. */
  sdkKey(key: string): SdkPrincipal | undefined {
    const found = this.sdk.get(fingerprintOf(key));
    return found === undefined
      ? undefined
      : {
          environment: found.environment,
          audience: found.audience,
          fingerprint: found.fingerprint,
        };
  }

  /** The SDK key with this fingerprint (to check a signature made with it), if any. */
  sdkKeyByFingerprint(fingerprint: string): (SdkPrincipal & { key: string }) | undefined {
    return this.sdk.get(fingerprint);
  }

  /** The owner of an admin token, if it is one. */
  adminToken(token: string): AdminPrincipal | undefined {
    return this.admin.get(fingerprintOf(token));
  }
}
