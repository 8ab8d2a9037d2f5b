import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { CliError } from './cli-error.js';

/** The parsed, not yet validated, content of a snapshot file. */
export interface SnapshotFile {
  /** The path as the user wrote it, for messages. */
  displayPath: string;
  data: unknown;
}

type SourceFormat = 'json' | 'yaml';

/**
 * Reads a snapshot file as JSON or YAML. YAML when the extension says so; otherwise JSON,
 * falling back to YAML for content that cannot be a JSON object anyway.
 * Throws `CliError` naming the file (and line:column for syntax errors).
 */
export async function readSnapshotFile(path: string, cwd: string): Promise<SnapshotFile> {
  const text = await readText(path, cwd);
  return { displayPath: path, data: parseSnapshotText(text, path) };
}

async function readText(path: string, cwd: string): Promise<string> {
  try {
    const text = await readFile(resolve(cwd, path), 'utf8');
    // Editors on Windows like to prepend a BOM; neither parser accepts it.
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch (error) {
    throw new CliError('FILE_UNREADABLE', `${path}: cannot read file: ${describeIoError(error)}`, {
      cause: error,
    });
  }
}

/** Parses snapshot text; `path` only decides the format and names the file in errors. */
export function parseSnapshotText(text: string, path: string): unknown {
  if (text.trim() === '') {
    throw new CliError('FILE_SYNTAX', `${path}: file is empty`);
  }
  if (formatFromExtension(path) === 'yaml') return parseYaml(text, path);
  try {
    return JSON.parse(text) as unknown;
  } catch (jsonError) {
    // Content starting with `{` was meant as JSON: its JSON error is the useful one.
    if (text.trimStart().startsWith('{')) throw jsonSyntaxError(jsonError, text, path);
    return parseYaml(text, path);
  }
}

function formatFromExtension(path: string): SourceFormat {
  const extension = extname(path).toLowerCase();
  return extension === '.yaml' || extension === '.yml' ? 'yaml' : 'json';
}

function parseYaml(text: string, path: string): unknown {
  // prettyErrors adds a multi-line code frame; we want one line, positioned by us.
  const document = parseDocument(text, { prettyErrors: false });
  const [firstError] = document.errors;
  if (firstError) {
    const { line, column } = lineAndColumn(text, firstError.pos[0]);
    throw new CliError(
      'FILE_SYNTAX',
      `${path}:${line}:${column}: YAML syntax error: ${firstError.message}`,
      { cause: firstError },
    );
  }
  try {
    return document.toJS() as unknown;
  } catch (error) {
    // toJS fails on things the parser lets through, such as an alias to an unknown anchor.
    throw new CliError('FILE_SYNTAX', `${path}: YAML error: ${messageOf(error)}`, { cause: error });
  }
}

function jsonSyntaxError(error: unknown, text: string, path: string): CliError {
  const message = messageOf(error);
  // V8 reports "... in JSON at position N" (newer versions add "(line L column C)").
  const position = /\bat position (\d+)/.exec(message);
  const plainMessage = message.replace(/\s*in JSON at position \d+.*$/, '');
  const offset = position?.[1] === undefined ? text.length : Number(position[1]);
  const { line, column } = lineAndColumn(text, offset);
  return new CliError(
    'FILE_SYNTAX',
    `${path}:${line}:${column}: JSON syntax error: ${plainMessage}`,
    {
      cause: error,
    },
  );
}

/** 1-based line and column of a character offset, as editors count them. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function describeIoError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  return messageOf(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
