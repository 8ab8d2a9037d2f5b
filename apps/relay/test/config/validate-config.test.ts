import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../../src/config/config-error';
import { validateConfig } from '../../src/config/validate-config';

const environments = { production: { serverKeys: ['srv-p'], clientKeys: ['cli-p'] } };

/** The issues validateConfig reports for `raw`, as "path: message" lines. */
function issuesOf(raw: unknown): string[] {
  try {
    validateConfig(raw);
  } catch (error) {
    return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
  }
  return [];
}

describe('validateConfig', () => {
  it('accepts a complete configuration as is', () => {
    const raw = {
      listen: { host: '0.0.0.0', port: 0 },
      dataDir: '/var/lib/switchyard',
      store: {
        kind: 'gitops',
        flagsFile: '/etc/flags.yaml',
        compactEvery: 10,
        idempotencyWindow: 0,
        debounceMs: 0,
        pollMs: 0,
      },
      environments: {
        production: {
          serverKeys: ['srv-p'],
          clientKeys: ['cli-p'],
          keySalt: 's',
          corsOrigins: ['*', 'http://localhost:3000'],
        },
      },
      adminTokens: [{ name: 'ci', token: 'tok-123', scope: 'write' }],
      heartbeatMs: 1000,
      changeRing: 10,
      limits: {
        bodyBytes: 2048,
        maxSubscriberBufferBytes: 4096,
        maxConnectionAgeMs: 60000,
        maxConnections: 5,
      },
      logLevel: 'silent',
    };
    expect(validateConfig(raw)).toEqual(raw);
  });

  it.each([
    [
      'a server key without its prefix',
      { environments: { production: { serverKeys: ['cli-x'] } } },
      'environments.production.serverKeys[0]: must start with "srv-"',
    ],
    [
      'a client key without its prefix',
      { environments: { production: { clientKeys: ['srv-x'] } } },
      'environments.production.clientKeys[0]: must start with "cli-"',
    ],
    [
      'a key that is only its prefix',
      { environments: { production: { serverKeys: ['srv-'] } } },
      'environments.production.serverKeys[0]: must have characters after "srv-"',
    ],
    [
      'a key with whitespace',
      { environments: { production: { serverKeys: ['srv-a b'] } } },
      'environments.production.serverKeys[0]: must not contain whitespace',
    ],
    [
      'keys that are not a list',
      { environments: { production: { serverKeys: 'srv-a' } } },
      'environments.production.serverKeys: must be a list, not "srv-a"',
    ],
    [
      'an unknown top-level field',
      { environments, listn: {} },
      'listn: unknown field (expected one of: listen, dataDir, store, environments, adminTokens, heartbeatMs, changeRing, limits, logLevel, ui)',
    ],
    [
      'an unknown environment field',
      { environments: { production: { corsOrigin: [] } } },
      'environments.production.corsOrigin: unknown field (expected one of: serverKeys, clientKeys, keySalt, corsOrigins)',
    ],
    [
      'an unknown limit',
      { environments, limits: { bodySize: 1 } },
      'limits.bodySize: unknown field (expected one of: bodyBytes, maxSubscriberBufferBytes, maxConnectionAgeMs, maxConnections)',
    ],
    ['no environment', {}, 'environments: define at least one environment (or run with --demo)'],
    [
      'environments as a list',
      { environments: [] },
      'environments: must be an object of environments by name',
    ],
    [
      'an environment name that cannot be a directory',
      { environments: { 'prod/eu': {} } },
      'environments["prod/eu"]: environment names must match /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/',
    ],
    [
      'environment names differing by case only',
      { environments: { prod: {}, Prod: {} } },
      'environments.Prod: differs from "prod" only by case',
    ],
    [
      'a port out of range',
      { environments, listen: { port: 70000 } },
      'listen.port: must be from 0 to 65535, not 70000',
    ],
    [
      'a port that is not an integer',
      { environments, listen: { port: 80.5 } },
      'listen.port: must be an integer, not 80.5',
    ],
    ['an empty host', { environments, listen: { host: '' } }, 'listen.host: must not be empty'],
    ['listen as a string', { environments, listen: '0.0.0.0:80' }, 'listen: must be an object'],
    ['an empty data dir', { environments, dataDir: '' }, 'dataDir: must not be empty'],
    [
      'an unknown store kind',
      { environments, store: { kind: 'sqlite' } },
      'store.kind: must be one of "file", "gitops", "memory", not "sqlite"',
    ],
    [
      'a gitops store without a flags file',
      { environments, store: { kind: 'gitops' } },
      'store.flagsFile: is required when store.kind is "gitops"',
    ],
    [
      'a flags file on a file store',
      { environments, store: { flagsFile: 'f.yaml' } },
      'store.flagsFile: is only used when store.kind is "gitops"',
    ],
    [
      'compaction every 0 commits',
      { environments, store: { compactEvery: 0 } },
      'store.compactEvery: must be from 1 to 1000000, not 0',
    ],
    [
      'a CORS origin with a path',
      { environments: { production: { corsOrigins: ['https://app.example.com/'] } } },
      'environments.production.corsOrigins[0]: must be an origin (scheme, host and optional port, no path): "https://app.example.com"?',
    ],
    [
      'a CORS origin that is not a URL',
      { environments: { production: { corsOrigins: ['app.example.com'] } } },
      'environments.production.corsOrigins[0]: must be "*" or an origin such as "https://app.example.com"',
    ],
    [
      'an empty key salt',
      { environments: { production: { keySalt: '' } } },
      'environments.production.keySalt: must not be empty',
    ],
    [
      'a token without a name',
      { environments, adminTokens: [{ token: 't', scope: 'read' }] },
      'adminTokens[0].name: is required (the audit log records it)',
    ],
    [
      'a token without a token',
      { environments, adminTokens: [{ name: 'ci', scope: 'read' }] },
      'adminTokens[0].token: is required',
    ],
    [
      'a token with an unknown scope',
      { environments, adminTokens: [{ name: 'ci', token: 't', scope: 'admin' }] },
      'adminTokens[0].scope: must be one of "read", "write", not "admin"',
    ],
    [
      'a token that is not an object',
      { environments, adminTokens: ['t'] },
      'adminTokens[0]: must be an object',
    ],
    [
      'two tokens with one name',
      {
        environments,
        adminTokens: [
          { name: 'ci', token: 'a', scope: 'read' },
          { name: 'ci', token: 'b', scope: 'read' },
        ],
      },
      'adminTokens[1].name: "ci" is already used by another token',
    ],
    [
      'one key in two environments',
      { environments: { a: { serverKeys: ['srv-x'] }, b: { serverKeys: ['srv-x'] } } },
      'environments.b.serverKeys[0]: is the same secret as environments.a.serverKeys[0]; each key and token must be unique',
    ],
    [
      'a token equal to an SDK key',
      {
        environments: { a: { serverKeys: ['srv-x'] } },
        adminTokens: [{ name: 'ci', token: 'srv-x', scope: 'read' }],
      },
      'adminTokens[0].token: is the same secret as environments.a.serverKeys[0]; each key and token must be unique',
    ],
    [
      'a heartbeat that is not a number',
      { environments, heartbeatMs: '15s' },
      'heartbeatMs: must be an integer, not "15s"',
    ],
    [
      'a change ring of zero',
      { environments, changeRing: 0 },
      'changeRing: must be from 1 to 1000000, not 0',
    ],
    [
      'a tiny body limit',
      { environments, limits: { bodyBytes: 10 } },
      'limits.bodyBytes: must be from 1024 to 1073741824, not 10',
    ],
    [
      'a negative connection age',
      { environments, limits: { maxConnectionAgeMs: -1 } },
      'limits.maxConnectionAgeMs: must be from 0 to 9007199254740991, not -1',
    ],
    [
      'zero connections',
      { environments, limits: { maxConnections: 0 } },
      'limits.maxConnections: must be from 1 to 10000000, not 0',
    ],
    [
      'an unknown log level',
      { environments, logLevel: 'verbose' },
      'logLevel: must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent", not "verbose"',
    ],
    ['a configuration that is not an object', 'port: 80', '(root): must be an object'],
  ])('rejects %s', (_name, raw, expected) => {
    expect(issuesOf(raw)).toContain(expected);
  });
});
