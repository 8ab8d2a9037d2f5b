/**
 * Helpers of the browser end-to-end tests: the built demo page (built here when missing or
 * older than its sources, so `pnpm test` alone works), Chromium, and reading the page.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const DEMO_WEB = here('../../../apps/demo-web');
/** Where `pnpm build` puts the page, and where `switchyard-relay --demo` serves it from. */
export const DEMO_DIST = join(DEMO_WEB, 'dist');

/** What the page is built from: its own files and the workspace sources it bundles. */
const SOURCES = [
  join(DEMO_WEB, 'src'),
  join(DEMO_WEB, 'index.html'),
  join(DEMO_WEB, 'vite.config.ts'),
  here('../../../packages/web-provider/src'),
  here('../../../packages/sync/src'),
  here('../../../packages/core/src'),
];

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestMtime(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

/**
 * Builds apps/demo-web with Vite's API unless dist/index.html is newer than every source
 * (CI runs `pnpm build` first, so there it is reused). Answers whether it built.
 */
export async function ensureDemoPageBuilt(): Promise<boolean> {
  const index = join(DEMO_DIST, 'index.html');
  if (existsSync(index)) {
    const built = (await stat(index)).mtimeMs;
    const sources = await Promise.all(SOURCES.map(newestMtime));
    if (Math.max(...sources) < built) return false;
  }
  const { build } = await import('vite');
  // vitest sets NODE_ENV=test, which would bundle React's development build.
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    await build({ configFile: join(DEMO_WEB, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  }
  return true;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/**
 * Serves the built page on its own loopback port, as a web server or CDN would, so the page
 * loads while the relay is down (the relay's own copy goes down with it). The page then
 * names its relay with `?relay=`. Loopback to loopback, so Chromium's local network access
 * checks have nothing to say.
 */
export async function serveDemoPage(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://page');
    const file = resolve(DEMO_DIST, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (!file.startsWith(DEMO_DIST + sep)) return void response.writeHead(404).end();
    readFile(file).then(
      (body) =>
        response
          .writeHead(200, {
            'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
            'cache-control': 'no-cache',
          })
          .end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable with the page's `wallNow`. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

/** What one flag row shows. */
export interface FlagRow {
  value: string;
  variant: string;
  reason: string;
  error: string;
}

/** Reads the flag rows of the page, by flag key. */
export async function readFlags(
  page: Page,
  keys: readonly string[],
): Promise<Record<string, FlagRow>> {
  return page.evaluate((flagKeys) => {
    const text = (id: string) =>
      document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '<missing>';
    return Object.fromEntries(
      flagKeys.map((key) => [
        key,
        {
          value: text(`flag-${key}-value`),
          variant: text(`flag-${key}-variant`),
          reason: text(`flag-${key}-reason`),
          error: text(`flag-${key}-error`),
        },
      ]),
    );
  }, keys);
}

/** The text of the element with this data-testid. */
export const testIdText = async (page: Page, id: string): Promise<string> =>
  (await page.getByTestId(id).textContent()) ?? '';

/**
 * Arms an observer in the page that records the wall-clock time at which the element with
 * `id` first shows `text` (checked on every DOM mutation, so the time is that of React's
 * commit). `settled()` answers that time.
 */
export async function watchText(
  page: Page,
  id: string,
  text: string,
): Promise<{ settled(): Promise<number> }> {
  const slot = `watch-${Math.random().toString(36).slice(2)}`;
  await page.evaluate(
    ([testId, expected, name]) => {
      const target = () => document.querySelector(`[data-testid="${testId}"]`)?.textContent;
      const store = window as unknown as Record<string, Promise<number>>;
      store[name] = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (target() !== expected) return;
          observer.disconnect();
          resolve(performance.timeOrigin + performance.now());
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
    },
    [id, text, slot] as const,
  );
  return {
    settled: () =>
      page.evaluate((name) => (window as unknown as Record<string, Promise<number>>)[name]!, slot),
  };
}

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}
