/**
 * Where the gzipped bytes of our bundle go, for `pnpm bench:size`: the gzip cost of each
 * module (the bundle gzipped without it, against with it), the cost of human-readable
 * message strings, and what a few candidate cuts would save, measured by stubbing modules.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build, transform, type BuildOptions, type Plugin } from 'esbuild';
import ts from 'typescript';

const gzip = (text: string | Uint8Array): number => gzipSync(text, { level: 9 }).length;

/** A candidate cut: modules replaced by stubs that export the same names. */
export interface WhatIf {
  name: string;
  stubs: Record<string, string>;
}

/** Replaces modules whose path ends with a key by the given source. */
const stubPlugin = (stubs: Record<string, string>): Plugin => ({
  name: 'stub',
  setup(context) {
    context.onLoad({ filter: /\.ts$/ }, (args) => {
      const stub = Object.entries(stubs).find(([suffix]) => args.path.endsWith(suffix));
      return stub === undefined ? undefined : { contents: stub[1], loader: 'ts' };
    });
  },
});

async function text(options: BuildOptions): Promise<string> {
  const result = await build({ ...options, write: false });
  return result.outputFiles![0]!.text;
}

/**
 * Gzip bytes each module adds: the minified bundle is cut at esbuild's `// path` lines (kept
 * by building without whitespace minification), and each module's top-level code is dropped
 * in turn before minifying the whitespace and gzipping. Approximate (a module's bytes also
 * help compress the others), but it ranks them.
 */
export async function gzipCostByModule(options: BuildOptions) {
  const code = await text({
    ...options,
    minify: false,
    minifySyntax: true,
    minifyIdentifiers: true,
  });
  const parts: { path: string; code: string }[] = [{ path: '(bundle glue)', code: '' }];
  for (const line of code.split('\n')) {
    const marker = /^\/\/ (\S+\.[cm]?[jt]s)$/.exec(line);
    if (marker !== null) parts.push({ path: marker[1]!, code: '' });
    else parts.at(-1)!.code += `${line}\n`;
  }
  const gzipMinified = async (source: string) =>
    gzip((await transform(source, { minifyWhitespace: true, format: 'esm' })).code);
  const total = await gzipMinified(code);
  const costs = await Promise.all(
    parts.map(async (part) => ({
      path: part.path,
      gzip:
        total -
        (await gzipMinified(
          parts
            .filter((p) => p !== part)
            .map((p) => p.code)
            .join(''),
        )),
    })),
  );
  return costs.filter((part) => part.gzip > 0).sort((a, b) => b.gzip - a.gzip);
}

/** Whether a string is a message for people: some words, not a key, path or pattern. */
const isMessage = (value: string): boolean => value.length >= 12 && / [a-z]/i.test(value);

/** Replaces every message string (and template) of our TypeScript sources by a short code. */
const terseMessagesPlugin: Plugin = {
  name: 'terse-messages',
  setup(context) {
    context.onLoad({ filter: /\/packages\/[^/]+\/src\/.*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const file = ts.createSourceFile(args.path, source, ts.ScriptTarget.ES2022, true);
      const cuts: [number, number][] = [];
      const visit = (node: ts.Node): void => {
        const literal =
          ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
            ? node.text
            : ts.isTemplateExpression(node)
              ? node.head.text + node.templateSpans.map((span) => span.literal.text).join(' ')
              : undefined;
        const inImport =
          node.parent !== undefined &&
          (ts.isImportDeclaration(node.parent) || ts.isExportDeclaration(node.parent));
        if (literal !== undefined && !inImport && isMessage(literal))
          cuts.push([node.getStart(file), node.getEnd()]);
        else ts.forEachChild(node, visit);
      };
      visit(file);
      let contents = source;
      for (const [from, to] of cuts.reverse())
        contents = `${contents.slice(0, from)}'E${cuts.length}'${contents.slice(to)}`;
      return { contents, loader: 'ts' };
    });
  },
};

/** Gzip bytes spent on messages for people (errors, logs), were they all short codes. */
export async function messageCost(options: BuildOptions): Promise<number> {
  const terse = await text({
    ...options,
    plugins: [...(options.plugins ?? []), terseMessagesPlugin],
  });
  return gzip(await text(options)) - gzip(terse);
}

/** Gzip bytes each candidate cut would save. */
export async function whatIfSavings(options: BuildOptions, whatIfs: WhatIf[]) {
  const base = gzip(await text(options));
  return Promise.all(
    whatIfs.map(async (whatIf) => ({
      name: whatIf.name,
      saves:
        base -
        gzip(
          await text({
            ...options,
            plugins: [...(options.plugins ?? []), stubPlugin(whatIf.stubs)],
          }),
        ),
    })),
  );
}

/** Gzip bytes saved by every candidate cut and terse messages together. */
export async function allCutsSavings(options: BuildOptions, whatIfs: WhatIf[]): Promise<number> {
  const stubs = Object.assign({}, ...whatIfs.map((whatIf) => whatIf.stubs)) as Record<
    string,
    string
  >;
  // Stubs first: the first plugin to load a file wins.
  const plugins = [...(options.plugins ?? []), stubPlugin(stubs), terseMessagesPlugin];
  return gzip(await text(options)) - gzip(await text({ ...options, plugins }));
}
