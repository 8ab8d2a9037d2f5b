/// <reference types="vite/client" />
/**
 * The conformance corpus for any runtime: the fixtures come in through Vite's JSON import
 * (import.meta.glob) instead of node:fs, so the same test runs in Node and in Chromium.
 */
import type { CorpusFile } from '../conformance/corpus-types';

export type { CorpusCase, CorpusExpected, CorpusFile } from '../conformance/corpus-types';
export { comparableExpected, projectResult } from '../conformance/corpus-types';

const fixtures = import.meta.glob<Omit<CorpusFile, 'file'>>('../conformance/*.json', {
  eager: true,
  import: 'default',
});

/** Every fixture file, sorted by file name, each a fresh copy. */
export function loadPortableCorpus(): CorpusFile[] {
  return Object.keys(fixtures)
    .sort()
    .map((path) => ({
      file: path.slice(path.lastIndexOf('/') + 1),
      ...structuredClone(fixtures[path]!),
    }));
}
