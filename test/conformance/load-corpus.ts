/**
 * Loads the Switchyard conformance corpus (test/conformance/*.json, written by generate.ts).
 *
 * The corpus is runner-neutral: conformance.test.ts runs it against @switchyard/core directly,
 * and the server and web OpenFeature providers can run the same files through their SDKs
 * (`client.getBooleanDetails(flag, default, context)` etc.) and compare with `compareResult`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusFile } from './corpus-types';

export * from './corpus-types';

/** The directory holding the fixtures. */
export const corpusDir: string = fileURLToPath(new URL('.', import.meta.url));

/** Every fixture file, sorted by file name. */
export function loadCorpus(dir: string = corpusDir): CorpusFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<CorpusFile, 'file'>;
      return { file, ...parsed };
    });
}
