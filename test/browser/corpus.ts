/// <reference types="vite/client" />
/**
 * The conformance corpus for any runtime: the fixtures come in through Vite's JSON import
 * (import.meta.glob) instead of node:fs, so the same test runs in Node and in Chromium.
 *
 * `projectResult` and `comparableExpected` repeat test/conformance/load-corpus.ts, which cannot
 * load in a browser (it reads the directory with node:fs when imported). Keep them in step.
 */
import type { CorpusExpected, CorpusFile, ObservedResult } from '../conformance/load-corpus';

export type { CorpusCase, CorpusExpected, CorpusFile } from '../conformance/load-corpus';

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

/** The observed result projected onto the shape of `expected` (see load-corpus.ts). */
export function projectResult(expected: CorpusExpected, observed: ObservedResult): CorpusExpected {
  const projected: Record<string, unknown> = { value: observed.value };
  if (observed.variant !== undefined || expected.variant !== undefined)
    projected['variant'] = observed.variant;
  projected['reason'] = observed.reason;
  if (observed.errorCode !== undefined || expected.errorCode !== undefined)
    projected['errorCode'] = observed.errorCode;
  if (expected.flagMetadata) {
    const metadata: Record<string, unknown> = {};
    for (const key of Object.keys(expected.flagMetadata))
      metadata[key] = observed.flagMetadata?.[key];
    projected['flagMetadata'] = metadata;
  }
  return projected as unknown as CorpusExpected;
}

/** The expected result without documentation-only fields (see load-corpus.ts). */
export function comparableExpected(expected: CorpusExpected): CorpusExpected {
  const out: CorpusExpected = { value: expected.value, reason: expected.reason };
  if (expected.variant !== undefined) out.variant = expected.variant;
  if (expected.errorCode !== undefined) out.errorCode = expected.errorCode;
  if (expected.flagMetadata !== undefined) out.flagMetadata = expected.flagMetadata;
  return out;
}
