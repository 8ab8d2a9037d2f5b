import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';

/** test/bench/RESULTS.md: one section per scale bench, each rewritten by its own script. */
export const RESULTS_FILE = fileURLToPath(new URL('../../RESULTS.md', import.meta.url));

/** The sections, in the order the file lists them. */
export const SECTIONS = ['fanout', 'herd', 'crash', 'soak', 'serve'] as const;
export type SectionId = (typeof SECTIONS)[number];

const HEADER = `# Scale and fault results

Measured on this repository's 2-core machine against loopback only. Every section below is
written by the script named in it (\`pnpm bench:<name>\` rewrites its own section and leaves
the others alone); do not edit the tables by hand. How each bench works:
\`test/bench/scale/README.md\`.
`;

const begin = (id: string): string => `<!-- scale:${id}:begin -->`;
const end = (id: string): string => `<!-- scale:${id}:end -->`;

/** Replaces (or adds) section `id` of RESULTS.md with `markdown`, keeping the other sections. */
export async function writeResultsSection(id: SectionId, markdown: string): Promise<void> {
  const current = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '';
  const kept = new Map<string, string>();
  for (const other of SECTIONS) {
    const from = current.indexOf(begin(other));
    const to = current.indexOf(end(other));
    if (from >= 0 && to > from) kept.set(other, current.slice(from, to + end(other).length));
  }
  kept.set(id, `${begin(id)}\n\n${markdown.trim()}\n\n${end(id)}`);
  const body = SECTIONS.filter((section) => kept.has(section))
    .map((section) => kept.get(section)!)
    .join('\n\n');
  const text = `${HEADER}\n${body}\n`;
  // Formatted as `pnpm format:check` wants it, so the file can be committed as written.
  const options = { ...(await resolveConfig(RESULTS_FILE)), parser: 'markdown' as const };
  writeFileSync(RESULTS_FILE, await format(text, options));
}

/** A markdown table from a header row and body rows. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(header), line(align), ...rows.map(line)].join('\n');
}
