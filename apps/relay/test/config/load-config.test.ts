import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { temporaryDirectory } from '../store/store-test-helpers';

const production = {
  serverKeys: ['srv-prod-1'],
  clientKeys: ['cli-prod-1'],
  keySalt: 'salt',
  corsOrigins: ['https://app.example.com'],
};

async function configFile(
  content: unknown,
  name = 'relay.yaml',
): Promise<{ directory: string; path: string }> {
  const directory = await temporaryDirectory('switchyard-config-');
  const path = join(directory, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return { directory, path };
}

describe('loadConfig', () => {
  it('fills every default around the one required thing, an environment', async () => {
    const { path, directory } = await configFile({
      environments: { production: { serverKeys: ['srv-a'] } },
    });
    const config = await loadConfig({ file: path, cwd: directory });
    expect(config).toEqual({
      listen: { host: '127.0.0.1', port: 8080 },
      dataDir: join(directory, '.switchyard/data'),
      store: {
        kind: 'file',
        compactEvery: 100,
        idempotencyWindow: 1000,
        debounceMs: 200,
        pollMs: 5000,
      },
      environments: {
        production: {
          serverKeys: ['srv-a'],
          clientKeys: [],
          keySalt: 'production',
          corsOrigins: [],
        },
      },
      adminTokens: [],
      heartbeatMs: 15000,
      changeRing: 1000,
      limits: {
        bodyBytes: 1048576,
        maxSubscriberBufferBytes: 1048576,
        maxConnectionAgeMs: 0,
        maxConnections: 18000,
      },
      logLevel: 'info',
    });
  });

  it('lets flags beat env vars, env vars beat the file, and the file beat the defaults', async () => {
    const { path, directory } = await configFile({
      listen: { host: '0.0.0.0', port: 7000 },
      logLevel: 'warn',
      heartbeatMs: 5000,
      environments: { production },
    });
    const env = {
      SWITCHYARD_PORT: '7100',
      SWITCHYARD_LOG_LEVEL: 'debug',
      SWITCHYARD_CHANGE_RING: '50',
    };
    const config = await loadConfig({ file: path, cwd: directory, env, argv: ['--port', '7200'] });
    expect(config.listen).toEqual({ host: '0.0.0.0', port: 7200 });
    expect(config.logLevel).toBe('debug');
    expect(config.heartbeatMs).toBe(5000);
    expect(config.changeRing).toBe(50);
  });

  it('merges an environment given by env var into the file one field by field', async () => {
    const { path, directory } = await configFile({ environments: { production } });
    const env = {
      SWITCHYARD_ENVIRONMENTS: JSON.stringify({
        production: { serverKeys: ['srv-from-secret'] },
        staging: {},
      }),
    };
    const config = await loadConfig({ file: path, cwd: directory, env });
    expect(config.environments.production).toEqual({
      ...production,
      serverKeys: ['srv-from-secret'],
    });
    expect(Object.keys(config.environments)).toEqual(['production', 'staging']);
  });

  it('takes the config file from --config first, then SWITCHYARD_CONFIG, then the file option', async () => {
    const a = await configFile({ environments: { a: {} } });
    const b = await configFile({ environments: { b: {} } });
    const c = await configFile({ environments: { c: {} } });
    const names = async (options: Parameters<typeof loadConfig>[0]) =>
      Object.keys((await loadConfig(options)).environments);
    expect(
      await names({ argv: ['--config', a.path], env: { SWITCHYARD_CONFIG: b.path }, file: c.path }),
    ).toEqual(['a']);
    expect(await names({ env: { SWITCHYARD_CONFIG: b.path }, file: c.path })).toEqual(['b']);
    expect(await names({ file: c.path })).toEqual(['c']);
  });

  it('resolves paths from a file against its directory, and from flags and env vars against the working directory', async () => {
    const { path, directory } = await configFile({
      dataDir: 'data',
      store: { kind: 'gitops', flagsFile: 'flags/prod.yaml' },
      environments: { production },
    });
    const fromFile = await loadConfig({ file: path, cwd: '/somewhere/else' });
    expect(fromFile.dataDir).toBe(join(directory, 'data'));
    expect(fromFile.store.flagsFile).toBe(join(directory, 'flags/prod.yaml'));
    const fromFlag = await loadConfig({
      file: path,
      cwd: '/srv',
      argv: ['--data-dir', 'state'],
      env: { SWITCHYARD_FLAGS_FILE: 'f.json' },
    });
    expect(fromFlag.dataDir).toBe('/srv/state');
    expect(fromFlag.store.flagsFile).toBe('/srv/f.json');
  });

  it('reads YAML with comments as well as JSON', async () => {
    const yaml =
      '# the relay\nlisten:\n  port: 9001 # custom\nenvironments:\n  production:\n    serverKeys: [srv-x]\n';
    const { path, directory } = await configFile(yaml);
    expect((await loadConfig({ file: path, cwd: directory })).listen.port).toBe(9001);
  });

  it('gives --demo a ready environment, keys, token and data dir, which flags still override', async () => {
    const directory = await temporaryDirectory('switchyard-config-');
    const config = await loadConfig({ argv: ['--demo', '--port', '0'], cwd: directory });
    expect(config.dataDir).toBe(join(directory, '.switchyard/demo'));
    expect(config.listen.port).toBe(0);
    expect(config.environments.demo).toEqual({
      serverKeys: ['srv-demo-server-key'],
      clientKeys: ['cli-demo-client-key'],
      keySalt: 'switchyard-demo',
      corsOrigins: ['*'],
    });
    expect(config.adminTokens).toEqual([
      { name: 'demo-admin', token: 'demo-admin-token', scope: 'write' },
    ]);
    expect(
      (await loadConfig({ argv: ['--demo', '--data-dir', '/tmp/elsewhere'], cwd: directory }))
        .dataDir,
    ).toBe('/tmp/elsewhere');
  });

  it('reports a missing file, a syntax error with its line, and a file that is not an object', async () => {
    await expect(loadConfig({ file: '/nonexistent/relay.yaml' })).rejects.toMatchObject({
      code: 'CONFIG_FILE',
      message: 'config file /nonexistent/relay.yaml: cannot be read: no such file',
    });
    const broken = await configFile('listen:\n  port: [1,\n', 'broken.yaml');
    await expect(loadConfig({ file: broken.path })).rejects.toMatchObject({
      code: 'CONFIG_FILE',
      message: expect.stringMatching(/syntax error.*line 3/s),
    });
    const json = await configFile('{"listen": ', 'broken.json');
    await expect(loadConfig({ file: json.path })).rejects.toMatchObject({
      message: expect.stringContaining('broken.json: syntax error'),
    });
    const list = await configFile('- a\n- b\n', 'list.yaml');
    await expect(loadConfig({ file: list.path })).rejects.toMatchObject({
      message: expect.stringContaining('must hold an object of settings'),
    });
  });

  it('rejects an unknown command-line flag as a usage error', async () => {
    await expect(loadConfig({ argv: ['--prot', '80'] })).rejects.toMatchObject({
      code: 'CONFIG_USAGE',
      message: expect.stringContaining("unknown option '--prot'"),
    });
  });

  it('names the input that set a bad value', async () => {
    const { path } = await configFile({ environments: { production } });
    const error = await loadConfig({ file: path, env: { SWITCHYARD_PORT: 'eighty' } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(
      'listen.port: must be an integer, not "eighty" (from SWITCHYARD_PORT)',
    );
    const fromFile = await configFile({
      environments: { production: { serverKeys: ['prod-key'] } },
    });
    await expect(loadConfig({ file: fromFile.path })).rejects.toMatchObject({
      message: expect.stringContaining(
        `environments.production.serverKeys[0]: must start with "srv-" (from config file ${fromFile.path})`,
      ),
    });
  });

  it('lists every problem at once, never echoing a secret', async () => {
    const { path } = await configFile({
      listn: {},
      environments: {
        production: { serverKeys: ['secret-value-1'], clientKeys: ['secret-value-2'] },
      },
    });
    const error = (await loadConfig({ file: path }).catch(
      (caught: unknown) => caught,
    )) as ConfigError;
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'listn',
      'environments.production.serverKeys[0]',
      'environments.production.clientKeys[0]',
    ]);
    expect(error.message).toMatch(
      /^invalid configuration \(3 problems\):\n {2}listn: unknown field/,
    );
    expect(error.message).not.toContain('secret-value');
  });
});
