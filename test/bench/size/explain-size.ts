/**
 * Where the gzipped bytes of our bundle go, for `pnpm bench:size`: the gzip cost of each
 * module (the bundle gzipped without it, against with it), the cost of human-readable
 * message strings, and what a few candidate cuts would save, measured by stubbing modules or
 * rewriting them (the evaluator without its trace points).
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build, transform, type BuildOptions, type Plugin } from 'esbuild';
import ts from 'typescript';

const gzip = (text: string | Uint8Array): number => gzipSync(text, { level: 9 }).length;

/**
 * A module's replacement: its whole source, or a change of its current source (which throws
 * when the source no longer has the shape it expects, so a stale cut is reported, not guessed).
 */
export type Stub = string | ((source: string) => string);

/** A candidate cut: modules replaced by stubs that export the same names. */
export interface WhatIf {
  name: string;
  stubs: Record<string, Stub>;
  /** Why it is not planned, or what it needs; cuts with `notPlanned` stay out of the total. */
  note?: string;
  notPlanned?: boolean;
}

/** Replaces modules whose path ends with a key by the given source. */
const stubPlugin = (stubs: Record<string, Stub>): Plugin => ({
  name: 'stub',
  setup(context) {
    context.onLoad({ filter: /\.ts$/ }, (args) => {
      const stub = Object.entries(stubs).find(([suffix]) => args.path.endsWith(suffix))?.[1];
      if (stub === undefined) return undefined;
      const contents = typeof stub === 'string' ? stub : stub(readFileSync(args.path, 'utf8'));
      return { contents, loader: 'ts' };
    });
  },
});

/**
 * The evaluator without its trace points (the calls that feed explainFlag), as if explaining
 * ran on a path of its own: drops `trace*` functions, the `tracerOf` helper, and every
 * statement that only traces. Throws when a trace point it does not recognise is left.
 */
export function withoutTracePoints(source: string): string {
  const file = ts.createSourceFile('evaluate.ts', source, ts.ScriptTarget.ES2022, true);
  const isTraceName = (name: string): boolean => name === 'tracerOf' || /^trace[A-Z]/.test(name);
  // `traceRule(...)`, or `tracerOf(state)?.(...)`: a call of a trace function's answer.
  const isTraceCall = (node: ts.Expression): boolean =>
    ts.isCallExpression(node) &&
    ((ts.isIdentifier(node.expression) && isTraceName(node.expression.text)) ||
      isTraceCall(node.expression));
  // A statement that only traces: a trace call, or an `if` whose branch holds nothing else.
  const onlyTraces = (statement: ts.Statement): boolean =>
    (ts.isExpressionStatement(statement) && isTraceCall(statement.expression)) ||
    (ts.isIfStatement(statement) &&
      statement.elseStatement === undefined &&
      (ts.isBlock(statement.thenStatement)
        ? statement.thenStatement.statements.every(onlyTraces)
        : onlyTraces(statement.thenStatement)));
  const cuts: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    const declared =
      ts.isFunctionDeclaration(node) && node.name !== undefined
        ? node.name.text
        : ts.isVariableStatement(node)
          ? node.declarationList.declarations.map((d) => d.name.getText(file)).join()
          : undefined;
    if (
      (declared !== undefined && isTraceName(declared)) ||
      ((ts.isExpressionStatement(node) || ts.isIfStatement(node)) && onlyTraces(node))
    ) {
      cuts.push([node.getFullStart(), node.getEnd()]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let result = source;
  for (const [from, to] of cuts.reverse()) result = result.slice(0, from) + result.slice(to);
  if (/\b(?:tracerOf|trace[A-Z]\w*)\(/.test(result))
    throw new Error('evaluate.ts has a trace point this cut does not recognise');
  return result;
}

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

/**
 * Gzip bytes each candidate cut would save; undefined (with the reason) for a cut whose stub
 * no longer fits the code it replaces.
 */
export async function whatIfSavings(options: BuildOptions, whatIfs: WhatIf[]) {
  const base = gzip(await text(options));
  return Promise.all(
    whatIfs.map(async (whatIf) => {
      try {
        const plugins = [...(options.plugins ?? []), stubPlugin(whatIf.stubs)];
        return { ...whatIf, saves: base - gzip(await text({ ...options, plugins })) };
      } catch (error) {
        return { ...whatIf, saves: undefined, failure: (error as Error).message.split('\n')[0] };
      }
    }),
  );
}

/** Gzip bytes saved by the given cuts together (and terse messages, when asked). */
export async function allCutsSavings(
  options: BuildOptions,
  whatIfs: WhatIf[],
  { terseMessages }: { terseMessages: boolean },
): Promise<number> {
  const stubs = Object.assign({}, ...whatIfs.map((whatIf) => whatIf.stubs)) as Record<string, Stub>;
  // Stubs first: the first plugin to load a file wins.
  const plugins = [
    ...(options.plugins ?? []),
    stubPlugin(stubs),
    ...(terseMessages ? [terseMessagesPlugin] : []),
  ];
  return gzip(await text(options)) - gzip(await text({ ...options, plugins }));
}
