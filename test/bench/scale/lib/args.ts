import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Command-line options of the scale benches: `--name=value` and bare `--flag` (true). */
export interface BenchArgs {
  has(name: string): boolean;
  string(name: string, fallback: string): string;
  number(name: string, fallback: number): number;
  numbers(name: string, fallback: number[]): number[];
}

/** Parses `argv` (without node and the script path). Unknown options are the caller's to refuse. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const values = new Map<string, string>();
  for (const arg of argv) {
    const match = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    if (match === null) throw new Error(`unexpected argument ${JSON.stringify(arg)}`);
    values.set(match[1]!, match[2] ?? 'true');
  }
  const number = (name: string, fallback: number): number => {
    const raw = values.get(name);
    if (raw === undefined) return fallback;
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, not ${raw}`);
    return value;
  };
  return {
    has: (name) => values.has(name),
    string: (name, fallback) => values.get(name) ?? fallback,
    number,
    numbers: (name, fallback) => {
      const raw = values.get(name);
      if (raw === undefined) return fallback;
      return raw.split(',').map((part) => {
        const value = Number(part.replace(/[_k]/g, (c) => (c === 'k' ? '000' : '')));
        if (!Number.isFinite(value)) throw new Error(`--${name}: ${part} is not a number`);
        return value;
      });
    },
  };
}

/** Whether the module at `url` is the script node was started with. */
export function isMainModule(url: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(resolve(script)) === realpathSync(fileURLToPath(url));
  } catch {
    return false;
  }
}
