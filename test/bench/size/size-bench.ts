/**
 * `pnpm bench:size`: what each OpenFeature web provider adds to a page. Every entry is bundled
 * the same way with esbuild (ESM, browser, ES2022, every dependency included except the host
 * SDK, @openfeature/web-sdk and its @openfeature/core), then minified and gzipped at level 9.
 * Ours is bundled from source (packages/web-provider/src, core, sync), so no build is needed.
 *
 * Prints the table, our largest modules and what candidate cuts would save (measured by stubbing
 * modules; a cut whose stub no longer fits the code says so), and writes RESULTS-size.md here.
 * `--check` exits 1 when ours is over budget (12 KB gzipped, and smaller than every peer).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { format, resolveConfig } from 'prettier';
import {
  allCutsSavings,
  gzipCostByModule,
  messageCost,
  whatIfSavings,
  withoutTracePoints,
  type WhatIf,
} from './explain-size';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const resultsFile = fileURLToPath(new URL('./RESULTS-size.md', import.meta.url));
const BUDGET_GZIP = 12 * 1024;

interface Entry {
  name: string;
  /** What a page imports. */
  source: string;
  ours?: boolean;
  /** Shown for scale, not compared: the host SDK every provider needs anyway. */
  reference?: boolean;
  /** Where its imports resolve from. Default: the repository root. */
  resolveDir?: string;
}

const entries: Entry[] = [
  {
    name: '@switchyard/web-provider',
    source: "export { SwitchyardWebProvider } from '@switchyard/web-provider';",
    ours: true,
  },
  {
    name: '@openfeature/ofrep-web-provider',
    source: "export { OFREPWebProvider } from '@openfeature/ofrep-web-provider';",
  },
  {
    name: '@openfeature/flagd-web-provider',
    source: "export { FlagdWebProvider } from '@openfeature/flagd-web-provider';",
  },
  {
    name: '@launchdarkly/js-client-sdk',
    source: "export { createClient } from '@launchdarkly/js-client-sdk';",
  },
  {
    name: '@openfeature/web-sdk (host SDK, external above)',
    source: "export { OpenFeature } from '@openfeature/web-sdk';",
    reference: true,
    resolveDir: `${root}packages/web-provider`,
  },
];

// Our workspace packages resolve to their sources, like the vitest projects.
const sources = {
  '@switchyard/web-provider': `${root}packages/web-provider/src/index.ts`,
  '@switchyard/sync': `${root}packages/sync/src/index.ts`,
  '@switchyard/core/protocol': `${root}packages/core/src/protocol.ts`,
  '@switchyard/core': `${root}packages/core/src/index.ts`,
};

const buildOptions = (entry: Entry, minify: boolean): BuildOptions => ({
  stdin: {
    contents: entry.source,
    resolveDir: entry.resolveDir ?? root,
    loader: 'ts',
    sourcefile: 'entry.ts',
  },
  bundle: true,
  minify,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  logLevel: 'silent',
  legalComments: 'none',
  alias: sources,
  external: entry.reference ? [] : ['@openfeature/web-sdk', '@openfeature/core'],
});

async function bundle(entry: Entry, minify: boolean) {
  const result = await build({ ...buildOptions(entry, minify), write: false, metafile: true });
  return { code: result.outputFiles[0]!.contents, metafile: result.metafile };
}

interface Measured {
  entry: Entry;
  raw: number;
  min: number;
  gzip: number;
  metafile: Metafile;
}

async function measure(entry: Entry): Promise<Measured> {
  const raw = await bundle(entry, false);
  const min = await bundle(entry, true);
  return {
    entry,
    raw: raw.code.length,
    min: min.code.length,
    gzip: gzipSync(min.code, { level: 9 }).length,
    metafile: min.metafile,
  };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** Minified bytes per input module of a bundle, largest first. */
function modules(metafile: Metafile): { path: string; bytes: number }[] {
  const output = Object.values(metafile.outputs)[0]!;
  return Object.entries(output.inputs)
    .map(([path, input]) => ({ path: path.replace(/^(\.\.\/)+/, ''), bytes: input.bytesInOutput }))
    .filter((m) => m.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

/** Minified bytes per package (our three packages, or a node_modules package). */
function packages(metafile: Metafile): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const { path, bytes } of modules(metafile)) {
    const name =
      /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ??
      /packages\/([^/]+)\//.exec(path)?.[1]?.replace(/^/, '@switchyard/') ??
      path;
    totals.set(name, (totals.get(name) ?? 0) + bytes);
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

const results = await Promise.all(entries.map(measure));
const ours = results.find((r) => r.entry.ours)!;
const peers = results.filter((r) => !r.entry.ours && !r.entry.reference);

const table = [
  '| bundle | raw | minified | gzip -9 | ours / it (gzip) |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...results.map(
    (r) =>
      `| ${r.entry.name} | ${r.raw} B | ${r.min} B | ${r.gzip} B (${kb(r.gzip)}) | ${
        r.entry.ours ? '1.00' : (ours.gzip / r.gzip).toFixed(2)
      } |`,
  ),
];
const overBudget = ours.gzip > BUDGET_GZIP;
const largerThan = peers.filter((p) => ours.gzip >= p.gzip).map((p) => p.entry.name);
const verdict = [
  `Budget: at most ${kb(BUDGET_GZIP)} gzipped: ${overBudget ? `OVER by ${ours.gzip - BUDGET_GZIP} B` : 'met'}.`,
  `Smaller than every peer: ${largerThan.length === 0 ? 'yes' : `no (not smaller than ${largerThan.join(', ')})`}.`,
];
const byPackage = [
  '| package | minified bytes | share |',
  '| --- | ---: | ---: |',
  ...packages(ours.metafile).map(
    (p) => `| ${p.name} | ${p.bytes} | ${((100 * p.bytes) / ours.min).toFixed(0)}% |`,
  ),
];
const byModule = [
  '| module | minified bytes | share |',
  '| --- | ---: | ---: |',
  ...modules(ours.metafile)
    .slice(0, 15)
    .map((m) => `| ${m.path} | ${m.bytes} | ${((100 * m.bytes) / ours.min).toFixed(0)}% |`),
];

// Candidate cuts, measured by stubbing modules out (the stubs keep the exported names).
const whatIfs: WhatIf[] = [
  {
    name: 'SSE only: no WebSocketTransport or PollingTransport in the bundle',
    notPlanned: true,
    note:
      'not planned: every transport stays. It bounds loading them lazily, which with esbuild ' +
      'splitting costs an SSE page more than it saves (the helpers they share go to a chunk of their own)',
    stubs: {
      'sync/src/transports/websocket-transport.ts': 'export class WebSocketTransport {}',
      'sync/src/transports/polling-transport.ts': 'export class PollingTransport {}',
    },
  },
  {
    name: 'no regex-safety check in the SDK',
    notPlanned: true,
    note: 'not planned: a flag with an unsafe pattern must answer PARSE_ERROR in the SDK too',
    stubs: {
      'core/src/regex-safety.ts':
        'export const MAX_PATTERN_LENGTH = 1024; export const whyRegexIsUnsafe = (_p: string): string | undefined => undefined;',
    },
  },
  {
    name: 'the evaluator without trace points (explainFlag tracing on a path of its own)',
    note: 'needs a change in core/src/evaluate.ts',
    stubs: { 'core/src/evaluate.ts': withoutTracePoints },
  },
  {
    name: 'SHA-1 buckets without the packed-head fast path (`<head><value>` hashed whole)',
    note: 'needs a browser form of core/src/sha1.ts, chosen like #sha1-compress',
    stubs: {
      'core/src/sha1.ts': `
        import { compressBlock } from './sha1-compress';
        import { encodedBytes, encodePaddedUtf8, readBlock } from './utf8-blocks';
        const block = new Int32Array(16);
        const state = new Int32Array(5);
        export interface HashPrefix { readonly text: string; readonly words: Int32Array | null }
        export const hashPrefix = (text: string): HashPrefix => Object.freeze({ text, words: null });
        function sha1Into(input: string): void {
          state[0] = 0x67452301; state[1] = 0xefcdab89 | 0; state[2] = 0x98badcfe | 0;
          state[3] = 0x10325476; state[4] = 0xc3d2e1f0 | 0;
          const blockCount = encodePaddedUtf8(input);
          const bytes = encodedBytes();
          for (let i = 0; i < blockCount; i++) { readBlock(bytes, i, block); compressBlock(block, state); }
        }
        export function sha1Hex(input: string): string {
          sha1Into(input);
          let hex = '';
          for (const word of state) hex += (word >>> 0).toString(16).padStart(8, '0');
          return hex;
        }
        export function bucketFor(input: string): number {
          sha1Into(input);
          return Math.floor((((state[0]! >>> 0) * 0x10000000 + (state[1]! >>> 4)) / 2 ** 60) * 100000);
        }
        export const bucketWithPrefix = (prefix: HashPrefix, tail: string): number => bucketFor(prefix.text + tail);`,
    },
  },
  {
    name: 'no bucket cache in browsers (every bucket hashed)',
    note: 'needs core/src/bucket-cache.ts or compile.ts to leave it out of browser builds',
    stubs: {
      'core/src/bucket-cache.ts': `
        export interface BucketCache { get(prefix: string, value: string): number | undefined; set(prefix: string, value: string, bucket: number): void }
        export const createBoundedBucketCache = (_maxEntries = 10_000): BucketCache | null => null;
        export const defaultBucketCache: BucketCache | null = null;`,
    },
  },
  {
    name: 'UTF-8 for hashing through TextEncoder.encodeInto instead of by hand',
    note: 'needs a change in core/src/utf8-blocks.ts',
    stubs: {
      'core/src/utf8-blocks.ts': (source) => {
        const loop =
          /(\n\s*const bytes = buffer;\n)\s*let n = 0;[^]*?\n(\s*const messageBytes = n;)/;
        if (!loop.test(source)) throw new Error('utf8-blocks.ts changed shape');
        return source
          .replace(loop, '$1  let n = encoder.encodeInto(input, bytes).written;\n$2')
          .replace(/^let buffer = /m, 'const encoder = new TextEncoder();\nlet buffer = ');
      },
    },
  },
];
// SHA-256 constants derived at load (fractions of cube and square roots of the first primes).
const sha256Source = readFileSync(`${root}packages/core/src/sha256.ts`, 'utf8');
const sha256Tables =
  /const K = new Int32Array\(\[[^\]]*\]\);\s*const INITIAL = new Int32Array\(\[[^\]]*\]\);/;
if (sha256Tables.test(sha256Source)) {
  whatIfs.push({
    name: 'SHA-256 constants computed at load (roots of the first 64 primes) instead of a table',
    stubs: {
      'core/src/sha256.ts': sha256Source.replace(
        sha256Tables,
        `const PRIMES: number[] = [];
        for (let n = 2; PRIMES.length < 64; n++) if (PRIMES.every((p) => n % p)) PRIMES.push(n);
        const fraction = (x: number): number => ((x - Math.floor(x)) * 2 ** 32) | 0;
        const K = new Int32Array(PRIMES.map((p) => fraction(Math.cbrt(p))));
        const INITIAL = new Int32Array(PRIMES.slice(0, 8).map((p) => fraction(Math.sqrt(p))));`,
      ),
    },
  });
}
// A choice already made: browsers get the looped SHA-1 compression (see #sha1-compress).
const unrolledSha1: WhatIf = {
  name: 'the unrolled SHA-1 compression servers run',
  stubs: {
    'core/src/sha1-compress.ts': "export { compressBlock } from './sha1-compress-unrolled';",
  },
};
const planned = whatIfs.filter((w) => w.notPlanned !== true);
const oursOptions = buildOptions(ours.entry, true);
const [costs, messages, savings, plannedCuts, allCuts, [unrolled]] = await Promise.all([
  gzipCostByModule(oursOptions),
  messageCost(oursOptions),
  whatIfSavings(oursOptions, whatIfs),
  allCutsSavings(oursOptions, planned, { terseMessages: false }),
  allCutsSavings(oursOptions, whatIfs, { terseMessages: true }),
  whatIfSavings(oursOptions, [unrolledSha1]),
]);
const byGzipCost = [
  '| module | gzip bytes it adds (approx.) |',
  '| --- | ---: |',
  ...costs.slice(0, 20).map((c) => `| ${c.path.replace(/^(\.\.\/)+/, '')} | ${c.gzip} |`),
];
const cuts = [
  '| candidate cut | gzip bytes saved | note |',
  '| --- | ---: | --- |',
  `| every message for people (errors, logs) in core, sync and the provider turned into a short code | ${messages} | not planned: errors must name the field and the reason |`,
  ...savings.map(
    (w) =>
      `| ${w.name} | ${w.saves ?? 'n/a'} | ${w.saves === undefined ? `stub out of date: ${w.failure}` : (w.note ?? '')} |`,
  ),
  `| the cuts not marked "not planned", together (ours would be ${kb(ours.gzip - plannedCuts)}) | ${plannedCuts} | |`,
  `| all of the above together (ours would be ${kb(ours.gzip - allCuts)}) | ${allCuts} | |`,
];
const choices = [
  `Browsers get the looped SHA-1 compression (package.json \`imports\`, \`#sha1-compress\`, ` +
    `condition \`browser\`); ${
      unrolled?.saves === undefined
        ? 'its saving could not be measured'
        : `the unrolled one servers run would add ${-unrolled.saves} B gzipped`
    }.`,
];

const command = `pnpm bench:size${process.argv.includes('--check') ? ' --check' : ''}`;
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const report = [
  '# Web bundle sizes',
  '',
  `Command: \`${command}\` (test/bench/size/size-bench.ts). Date: ${new Date().toISOString()}.`,
  `Machine: ${machine}. esbuild ${(await import('esbuild')).version}.`,
  '',
  'Each entry imports only the provider (or client) class, bundled with every dependency except',
  'the host SDK (`@openfeature/web-sdk`, `@openfeature/core`), ESM, browser, ES2022, minified,',
  'then gzip -9. Ours is bundled from source. The last row is the host SDK alone, for scale.',
  '',
  ...table,
  '',
  ...verdict,
  '',
  '## What our bundle is made of (minified bytes before gzip)',
  '',
  ...byPackage,
  '',
  ...byModule,
  '',
  '## Gzip cost per module',
  '',
  'The bundle (minified but for whitespace, so module boundaries show) gzipped without each',
  'module, against with it. Approximate: shared strings compress across modules.',
  '',
  ...byGzipCost,
  '',
  '## Candidate cuts',
  '',
  ...choices,
  '',
  ...cuts,
  '',
].join('\n');

console.log(table.join('\n'));
console.log(`\n${verdict.join('\n')}\n`);
console.log(byPackage.join('\n'));
console.log(`\n${byModule.join('\n')}`);
console.log(`\n${byGzipCost.join('\n')}`);
console.log(`\n${choices.join('\n')}\n\n${cuts.join('\n')}`);
// Formatted as `pnpm format:check` wants it, so the file can be committed as written.
const prettierOptions = { ...(await resolveConfig(resultsFile)), parser: 'markdown' };
writeFileSync(resultsFile, await format(report, prettierOptions));
console.log(`\nwrote ${resultsFile.slice(root.length)}`);
if (process.argv.includes('--check') && (overBudget || largerThan.length > 0)) process.exitCode = 1;
