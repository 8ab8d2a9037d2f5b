import type { Snapshot, ValidationError } from '@switchyard/core';
import { writeLine, type TextSink } from './cli-io.js';

/** One line per validation error: `<json pointer>: <message>`; the root pointer reads `(root)`. */
export function formatValidationErrors(errors: readonly ValidationError[]): string[] {
  return errors.map((error) => `${error.path === '' ? '(root)' : error.path}: ${error.message}`);
}

/** Writes a heading naming the file and the error count, then one line per error. */
export function writeValidationErrors(
  sink: TextSink,
  heading: string,
  errors: readonly ValidationError[],
): void {
  writeLine(sink, `${heading} (${countOf(errors.length, 'error')})`);
  for (const line of formatValidationErrors(errors)) writeLine(sink, line);
}

/** A one-line description of a valid snapshot: environment, version and counts. */
export function summarizeSnapshot(snapshot: Snapshot): string {
  const flags = countOf(Object.keys(snapshot.flags).length, 'flag');
  const segments = countOf(Object.keys(snapshot.segments).length, 'segment');
  return `environment "${snapshot.environment}", version ${snapshot.version}, ${flags}, ${segments}`;
}

function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
