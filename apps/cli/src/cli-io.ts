/** Anything text can be written to: `process.stdout`, or a test's collector. */
export interface TextSink {
  write(text: string): unknown;
}

/** Where the CLI writes and which directory relative paths resolve against. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  cwd: string;
}

/** The real terminal: process streams and the working directory. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/** Writes one line (a newline is appended) to a sink. */
export function writeLine(sink: TextSink, line: string): void {
  sink.write(`${line}\n`);
}
