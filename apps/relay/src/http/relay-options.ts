/**
 * The part of the relay configuration the HTTP side needs. The config loader (src/config/)
 * produces a value of this shape; optional fields take the documented defaults here.
 */

/** Who may read an environment, and from which browser origins. */
export interface EnvironmentAccess {
  /** `srv-...` keys: the whole environment. */
  serverKeys: string[];
  /** `cli-...` keys: client-side flags only, with hashed context keys. */
  clientKeys: string[];
  /** Salt hashed in front of every context key in client snapshots (DESIGN §5). */
  keySalt: string;
  /** Origins allowed to call client endpoints from a browser; `*` allows any. */
  corsOrigins: string[];
}

/** An admin API token; its name is recorded in the audit log. */
export interface AdminToken {
  name: string;
  token: string;
  scope: 'read' | 'write';
}

/** Resource limits; every one has a safe default. */
export interface RelayLimits {
  /** Largest request body accepted (413 above). Default 1 MiB. */
  bodyBytes: number;
  /** Unsent bytes after which a stream subscriber is dropped (it resyncs). Default 1 MiB. */
  maxSubscriberBufferBytes: number;
  /** Streams are closed with a reconnect hint after this age; 0 = never. Default 0. */
  maxConnectionAgeMs: number;
  /** Open streams (SSE + WebSocket) above which new ones get 503. Default 18,000. */
  maxConnections: number;
}

/** What `startRelay` needs to know (the config loader's RelayConfig satisfies it). */
export interface RelayServerConfig {
  listen: { host: string; port: number };
  environments: Record<string, EnvironmentAccess>;
  adminTokens: AdminToken[];
  /** Interval of SSE heartbeat comments and WebSocket pings. Default 15,000 ms. */
  heartbeatMs?: number;
  /** How many recent encoded changes the stream hub keeps per audience for resume. Default 1000. */
  changeRing?: number;
  limits?: Partial<RelayLimits>;
  /** A directory of static files (a built web page) served at `/` where no route matches. Default: none. */
  ui?: { dir?: string };
}

/** RelayServerConfig with every default applied. */
export type ResolvedRelayConfig = Required<Omit<RelayServerConfig, 'limits'>> & {
  limits: RelayLimits;
};

/** Documented defaults. */
export const RELAY_DEFAULTS = {
  heartbeatMs: 15_000,
  changeRing: 1000,
  limits: {
    bodyBytes: 1024 * 1024,
    maxSubscriberBufferBytes: 1024 * 1024,
    maxConnectionAgeMs: 0,
    // One process holds at most ~19,900 sockets under a 20k descriptor limit (PERF-NOTES).
    maxConnections: 18_000,
  },
} as const satisfies { heartbeatMs: number; changeRing: number; limits: RelayLimits };

const positive = (value: number, name: string, allowZero = false): number => {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(
      `relay config: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${value}`,
    );
  }
  return value;
};

/**
 * Applies the defaults and rejects contradictions: a key or token used twice (in two
 * environments, as server and client key, or as both an SDK key and an admin token),
 * empty secrets, non-positive limits.
 */
export function resolveRelayConfig(config: RelayServerConfig): ResolvedRelayConfig {
  const seen = new Map<string, string>();
  const claim = (secret: string, where: string): void => {
    if (typeof secret !== 'string' || secret.length === 0)
      throw new Error(`relay config: ${where} is empty`);
    const previous = seen.get(secret);
    if (previous !== undefined)
      throw new Error(`relay config: ${where} is also used as ${previous}`);
    seen.set(secret, where);
  };
  for (const [name, access] of Object.entries(config.environments)) {
    access.serverKeys.forEach((key, i) => claim(key, `environments.${name}.serverKeys[${i}]`));
    access.clientKeys.forEach((key, i) => claim(key, `environments.${name}.clientKeys[${i}]`));
  }
  config.adminTokens.forEach((token, i) => {
    claim(token.token, `adminTokens[${i}] (${token.name})`);
    if (token.scope !== 'read' && token.scope !== 'write') {
      throw new Error(`relay config: adminTokens[${i}].scope must be "read" or "write"`);
    }
  });
  const limits = { ...RELAY_DEFAULTS.limits, ...config.limits };
  positive(limits.bodyBytes, 'limits.bodyBytes');
  positive(limits.maxSubscriberBufferBytes, 'limits.maxSubscriberBufferBytes');
  positive(limits.maxConnectionAgeMs, 'limits.maxConnectionAgeMs', true);
  positive(limits.maxConnections, 'limits.maxConnections');
  return {
    listen: config.listen,
    environments: config.environments,
    adminTokens: config.adminTokens,
    heartbeatMs: positive(config.heartbeatMs ?? RELAY_DEFAULTS.heartbeatMs, 'heartbeatMs'),
    changeRing: positive(config.changeRing ?? RELAY_DEFAULTS.changeRing, 'changeRing'),
    limits,
    ui: config.ui ?? {},
  };
}
