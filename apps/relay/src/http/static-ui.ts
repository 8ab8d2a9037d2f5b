import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Content types of what a built web page holds; anything else is sent as bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Files under `/assets/` carry a content hash in their name (Vite's output): cache them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves a directory of static files (a built web page, such as the demo page) at `/`:
 * `GET`/`HEAD` only, `index.html` for a path ending in `/`, a content type by extension,
 * and nothing outside the directory: `..`, dot files, encoded separators, NUL bytes and
 * symbolic links leading out are refused as not found. The relay consults it only for
 * paths no route matched, so the API is never shadowed.
 */
export class StaticUi {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Whether the directory holds an `index.html` (checked at start, for the log and banner). */
  async present(): Promise<boolean> {
    try {
      return (await stat(resolve(this.dir, 'index.html'))).isFile();
    } catch {
      return false;
    }
  }

  /** The file a request path names, or undefined if it names nothing servable. */
  async fileFor(url: string): Promise<string | undefined> {
    const pathname = url.split('?')[0]!.split('#')[0]!;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined; // malformed %-escapes
    }
    if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\'))
      return undefined;
    const segments = decoded.slice(1).split('/');
    if (decoded.endsWith('/')) segments[segments.length - 1] = 'index.html';
    // No `.` or `..`, and no dot files (`.env`, `.git`): nothing a built page needs.
    if (segments.some((segment) => segment === '' || segment.startsWith('.'))) return undefined;
    const file = resolve(this.dir, ...segments);
    if (!file.startsWith(this.dir + sep)) return undefined;
    try {
      // A symbolic link may point anywhere: what it resolves to must be inside too.
      const [real, root] = await Promise.all([realpath(file), realpath(this.dir)]);
      if (!real.startsWith(root + sep) || !(await stat(real)).isFile()) return undefined;
      return real;
    } catch {
      return undefined;
    }
  }

  /** Sends the file `request` names and answers true, or answers false (the caller sends 404). */
  async serve(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const file = await this.fileFor(request.url);
    if (file === undefined) return false;
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return false;
    }
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const immutable = request.url.startsWith('/assets/');
    reply
      .code(200)
      .headers({
        'content-type': type,
        'cache-control': immutable ? IMMUTABLE : 'no-cache',
        'x-content-type-options': 'nosniff',
      })
      .send(body);
    return true;
  }
}
