/**
 * `pnpm bench:size`: what each OpenFeature web provider adds to a page. Every entry is bundled
 * the same way with esbuild (ESM, browser, ES2022, every dependency included except the host
 * SDK, @openfeature/web-sdk and its @openfeature/core), then minified and gzipped at level 9.
 * Ours is bundled from source (packages/web-provider/src, core, sync), so no build is needed.
 *
 * Prints the table and our largest modules, and writes test/bench/size/RESULTS-size.md.
 * `--check` exits 1 when ours is over budget (12 KB gzipped, and smaller than every peer).
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

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

async function bundle(entry: Entry, minify: boolean) {
  const result = await build({
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
    write: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    alias: sources,
    external: entry.reference ? [] : ['@openfeature/web-sdk', '@openfeature/core'],
  });
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

const command = `pnpm bench:size${process.argv.includes('--check') ? ' --check' : ''}`;
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${kb(totalmem() / 1024).replace(' KB', ' MB')}, Node ${process.version}, ${process.platform}`;
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
].join('\n');

console.log(table.join('\n'));
console.log(`\n${verdict.join('\n')}\n`);
console.log(byPackage.join('\n'));
console.log(`\n${byModule.join('\n')}`);
writeFileSync(resultsFile, report);
console.log(`\nwrote ${resultsFile.slice(root.length)}`);
if (process.argv.includes('--check') && (overBudget || largerThan.length > 0)) process.exitCode = 1;
