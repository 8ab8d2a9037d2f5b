import { request as httpRequest } from 'node:http';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config';
import type { ConfigError } from '../../src/config/config-error';
import { validateConfig } from '../../src/config/validate-config';
import { formatDemoBanner } from '../../src/demo/demo-banner';
import { demoUiDir } from '../../src/demo/demo-config';
import { startTestRelay, type TestRelay } from './relay-harness';

const INDEX = '<!doctype html><title>demo</title><script src="./assets/app-3f2a.js"></script>';
const SCRIPT = 'console.log("the page");';
const SECRET = 'outside the web root';

/** A built page in `<tmp>/site/`, with a secret beside it and a symbolic link leading to it. */
let root: string;
let site: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'switchyard-ui-'));
  site = join(root, 'site');
  await mkdir(join(site, 'assets'), { recursive: true });
  await mkdir(join(site, 'docs'), { recursive: true });
  await writeFile(join(site, 'index.html'), INDEX);
  await writeFile(join(site, 'assets', 'app-3f2a.js'), SCRIPT);
  await writeFile(join(site, 'assets', 'app-3f2a.css'), 'body { margin: 0 }');
  await writeFile(join(site, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(site, 'docs', 'index.html'), '<p>docs</p>');
  await writeFile(join(site, 'data.bin'), Buffer.from([0, 1, 2]));
  await writeFile(join(site, '.env'), `TOKEN=${SECRET}`);
  await writeFile(join(root, 'secret.txt'), SECRET);
  await symlink(join(root, 'secret.txt'), join(site, 'link.txt'));
});

let t: TestRelay | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A raw GET: fetch would normalise `..` away before sending, a browser too; an attacker would not. */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, path, method: 'GET' }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('the web UI (config ui.dir)', () => {
  it('serves index.html at / and the assets with their content types', async () => {
    t = await startTestRelay({ config: { ui: { dir: site } } });
    const page = await fetch(`${t.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toBe(INDEX);
    expect(await (await fetch(`${t.url}/index.html?transport=ws`)).text()).toBe(INDEX);

    const script = await fetch(`${t.url}/assets/app-3f2a.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe(SCRIPT);
    for (const [path, type] of [
      ['/assets/app-3f2a.css', 'text/css; charset=utf-8'],
      ['/assets/logo.svg', 'image/svg+xml'],
      ['/docs/', 'text/html; charset=utf-8'],
      ['/data.bin', 'application/octet-stream'],
    ]) {
      const response = await fetch(`${t.url}${path}`);
      expect([path, response.status, response.headers.get('content-type')]).toEqual([
        path,
        200,
        type,
      ]);
    }

    const head = await fetch(`${t.url}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await head.text()).toBe('');
    expect(t.logs.join('')).toContain('serving the web UI');
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets%2f..%2f..%2fsecret.txt',
    '/assets/..%5c..%5csecret.txt',
    '/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/.env',
    '/assets/%2e%2e/.env',
    '/link.txt',
    '/index.html%00.js',
    '//etc/passwd',
  ])('refuses %s as not found', async (path) => {
    t ??= await startTestRelay({ config: { ui: { dir: site } } });
    const response = await rawGet(t.url, path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain(SECRET);
    expect(JSON.parse(response.body)).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('never shadows the API, and answers unknown paths and other methods as before', async () => {
    t = await startTestRelay({ config: { ui: { dir: site } } });
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const unknownApi = await fetch(`${t.url}/sdk/v1/nothing`);
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toMatchObject({ detail: 'no route GET /sdk/v1/nothing' });
    expect((await fetch(`${t.url}/missing.js`)).status).toBe(404);
    expect((await fetch(`${t.url}/docs`)).status).toBe(404); // a directory without its slash
    const post = await fetch(`${t.url}/`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect(await post.json()).toMatchObject({ detail: 'no route POST /' });
    const openapi = (await (await fetch(`${t.url}/admin/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths).every((path) => path.startsWith('/admin/v1'))).toBe(true);
  });

  it('serves nothing at / without ui.dir', async () => {
    t = await startTestRelay();
    expect(t.relay.ui).toBeUndefined();
    const response = await fetch(`${t.url}/`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ detail: 'no route GET /' });
  });

  it('says so in the log when ui.dir has no index.html, and serves it once it is built', async () => {
    const later = join(root, 'not-built-yet');
    t = await startTestRelay({ config: { ui: { dir: later } } });
    expect(t.relay.ui).toEqual({ url: `${t.url}/`, dir: later, present: false });
    const warning = t.logs.find((line) => line.includes('ui.dir has no index.html'));
    expect(JSON.parse(warning!)).toMatchObject({ level: 40, dir: later });
    expect((await fetch(`${t.url}/`)).status).toBe(404);
    await mkdir(later);
    await writeFile(join(later, 'index.html'), INDEX);
    expect(await (await fetch(`${t.url}/`)).text()).toBe(INDEX);
  });
});

describe('the ui config field', () => {
  const environments = { production: { serverKeys: ['srv-p'] } };
  const issuesOf = (raw: unknown): string[] => {
    try {
      validateConfig(raw);
      return [];
    } catch (error) {
      return (error as ConfigError).issues.map((issue) => `${issue.path}: ${issue.message}`);
    }
  };

  it('is validated like the other fields, and left out when not given', () => {
    expect(validateConfig({ environments }).ui).toBeUndefined();
    expect(validateConfig({ environments, ui: {} }).ui).toEqual({});
    expect(validateConfig({ environments, ui: { dir: '/srv/page' } }).ui).toEqual({
      dir: '/srv/page',
    });
    expect(issuesOf({ environments, ui: { dir: 5 } })).toEqual(['ui.dir: must be a string, not 5']);
    expect(issuesOf({ environments, ui: { dir: '' } })).toEqual(['ui.dir: must not be empty']);
    expect(issuesOf({ environments, ui: 'page' })).toEqual(['ui: must be an object']);
    expect(issuesOf({ environments, ui: { path: '/x' } })).toEqual([
      'ui.path: unknown field (expected one of: dir)',
    ]);
  });

  it('resolves a relative dir against the config file, or the working directory for env vars', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'switchyard-ui-config-'));
    await writeFile(
      join(directory, 'relay.json'),
      JSON.stringify({ environments, ui: { dir: 'page/dist' } }),
    );
    const fromFile = await loadConfig({ argv: ['--config', join(directory, 'relay.json')] });
    expect(fromFile.ui).toEqual({ dir: join(directory, 'page/dist') });
    const fromEnv = await loadConfig({
      argv: ['--config', join(directory, 'relay.json')],
      env: { SWITCHYARD_UI_DIR: 'elsewhere' },
      cwd: '/srv',
    });
    expect(fromEnv.ui).toEqual({ dir: '/srv/elsewhere' });
  });

  it('defaults to the repository demo page with --demo, and the banner points at it', async () => {
    const dir = demoUiDir();
    expect(dir).toMatch(/apps[/\\]demo-web[/\\]dist$/);
    const config = await loadConfig({ argv: ['--demo'], cwd: root });
    expect(config.ui).toEqual({ dir });
    // From the build (dist/main.js) the relay package is found the same way.
    expect(demoUiDir(new URL('../../dist/main.js', import.meta.url).href)).toBe(dir);
    expect(demoUiDir('file:///nowhere/at/all.js')).toBeUndefined();

    const page = { url: 'http://127.0.0.1:8080/', dir: dir!, present: true };
    expect(formatDemoBanner('http://127.0.0.1:8080', '/data', true, page)).toContain(
      'demo page    http://127.0.0.1:8080/',
    );
    expect(
      formatDemoBanner('http://127.0.0.1:8080', '/data', true, { ...page, present: false }),
    ).toContain('not built yet: run `pnpm build`');
    expect(formatDemoBanner('http://127.0.0.1:8080', '/data', true)).not.toContain('demo page');
  });
});
