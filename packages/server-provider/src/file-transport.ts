import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { validateSnapshot, type Snapshot } from '@switchyard/core';
import type {
  Logger,
  SnapshotTransport,
  TransportConnection,
  TransportHandlers,
} from '@switchyard/sync';
import { parse as parseYaml } from 'yaml';

/** Options of FileTransport. */
export interface FileTransportOptions {
  /** A snapshot file (JSON or YAML); `{ flags, segments }` alone is accepted too. */
  file: string;
  logger: Logger;
  /** Wait this long after a change event before reading (editors write in bursts). Default 100 ms. */
  debounceMs?: number;
}

function parseFlagsFile(file: string, text: string): unknown {
  return /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
}

/**
 * Offline mode: serves a snapshot from a local file and watches it. Every good load becomes a
 * put with the next version (files are edited by hand, their own version may not move); a bad
 * file is logged with the paths of its errors and the last good snapshot stays.
 */
export class FileTransport implements SnapshotTransport {
  readonly name = 'file';
  private version = 0;

  constructor(private readonly options: FileTransportOptions) {}

  connect(_since: number | undefined, handlers: TransportHandlers): TransportConnection {
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    let watcher: FSWatcher | undefined;

    const load = async (): Promise<void> => {
      let parsed: unknown;
      try {
        parsed = parseFlagsFile(this.options.file, await readFile(this.options.file, 'utf8'));
      } catch (error) {
        this.options.logger.error('cannot read the flags file; keeping the last good snapshot', {
          file: this.options.file,
          error: (error as Error).message,
        });
        return;
      }
      const body = parsed as Partial<Snapshot> | null;
      const candidate = {
        schemaVersion: 1,
        environment: typeof body?.environment === 'string' ? body.environment : 'offline',
        version: this.version + 1,
        flags: body?.flags ?? {},
        segments: body?.segments ?? {},
      };
      const result = validateSnapshot(candidate);
      if (!result.ok) {
        this.options.logger.error('the flags file is invalid; keeping the last good snapshot', {
          file: this.options.file,
          errors: result.errors.map((e) => `${e.path}: ${e.message}`),
        });
        return;
      }
      if (closed) return;
      this.version++;
      handlers.onMessage({ type: 'put', ...result.snapshot });
    };

    void load().then(() => {
      if (closed) return;
      handlers.onOpen();
      try {
        // Watch the directory: editors often replace the file, which ends a watch on the file itself.
        const name = basename(this.options.file);
        watcher = watch(dirname(this.options.file), (_event, changed) => {
          if (changed !== null && changed !== name) return;
          clearTimeout(timer);
          timer = setTimeout(() => void load(), this.options.debounceMs ?? 100);
        });
      } catch (error) {
        this.options.logger.warn('cannot watch the flags file; changes will not be seen', {
          error: (error as Error).message,
        });
      }
    });
    return {
      close() {
        closed = true;
        clearTimeout(timer);
        watcher?.close();
      },
    };
  }
}
