import { defaultBucketCache, type BucketCache } from './bucket-cache';
import { brokenFlag, compileFlag, compileSegment, freezeJson } from './compile-flag';
import type { CompiledFlag, CompiledSegment, CompiledSnapshot } from './compiled-model';
import { isPlainObject } from './json';
import type { Snapshot } from './model';

/** Options of compileSnapshot. */
export interface CompileOptions {
  /** Where buckets are cached; `null` disables caching. Default: a shared 10,000-entry Map. */
  bucketCache?: BucketCache | null;
  /** Tombstones to carry forward (applyPatch uses this). */
  tombstones?: CompiledSnapshot['tombstones'];
}

// Compiled forms are pure functions of the (frozen) raw objects, so a flag or segment that
// did not change between snapshots is compiled once: regexes and sets are reused by patches.
const compiledFlags = new WeakMap<object, CompiledFlag>();
const compiledSegments = new WeakMap<object, CompiledSegment>();

function compileCachedFlag(raw: unknown, key: string): CompiledFlag {
  if (!isPlainObject(raw)) return compileFlag(raw, key);
  const cached = compiledFlags.get(raw);
  if (cached !== undefined && cached.key === key) return cached;
  const compiled = compileFlag(raw, key);
  compiledFlags.set(raw, compiled);
  return compiled;
}

function compileCachedSegment(raw: unknown, key: string): CompiledSegment {
  if (!isPlainObject(raw)) return compileSegment(raw, key);
  const cached = compiledSegments.get(raw);
  if (cached !== undefined && cached.key === key) return cached;
  const compiled = compileSegment(raw, key);
  compiledSegments.set(raw, compiled);
  return compiled;
}

/**
 * A flag that depends, through prerequisites or segments, on something the SDK cannot
 * understand answers PARSE_ERROR too (DESIGN §2): never a silent false. Cycles are left to
 * the evaluator, which answers GENERAL.
 */
function propagateParseErrors(
  flags: Map<string, CompiledFlag>,
  segments: ReadonlyMap<string, CompiledSegment>,
): void {
  const segmentMemo = new Map<string, string | undefined>();
  const segmentProblem = (key: string): string | undefined => {
    if (segmentMemo.has(key)) return segmentMemo.get(key);
    segmentMemo.set(key, undefined); // in progress: a cycle is not a parse error
    const segment = segments.get(key);
    let problem = segment?.parseError;
    for (const ref of segment?.segmentRefs ?? []) {
      if (problem !== undefined) break;
      const nested = segmentProblem(ref);
      if (nested !== undefined) problem = `segment ${key} depends on ${nested}`;
    }
    segmentMemo.set(key, problem);
    return problem;
  };
  const flagMemo = new Map<string, string | undefined>();
  const flagProblem = (key: string): string | undefined => {
    if (flagMemo.has(key)) return flagMemo.get(key);
    flagMemo.set(key, undefined);
    const flag = flags.get(key);
    let problem = flag?.parseError;
    for (const prerequisite of flag?.prerequisites ?? []) {
      if (problem !== undefined) break;
      const nested = flagProblem(prerequisite.flag);
      if (nested !== undefined)
        problem = `prerequisite ${prerequisite.flag} cannot be parsed (${nested})`;
    }
    for (const ref of flag?.segmentRefs ?? []) {
      if (problem !== undefined) break;
      const nested = segmentProblem(ref);
      if (nested !== undefined) problem = `segment ${ref} cannot be parsed (${nested})`;
    }
    flagMemo.set(key, problem);
    return problem;
  };
  for (const [key, flag] of flags) {
    const problem = flagProblem(key);
    if (problem !== undefined && flag.parseError === undefined) {
      flags.set(key, brokenFlag(key, flag.version, `flag ${key} depends on a ${problem}`, flag));
    }
  }
}

const NO_TOMBSTONES: CompiledSnapshot['tombstones'] = Object.freeze({
  flags: new Map<string, number>(),
  segments: new Map<string, number>(),
});

/**
 * Compiles a snapshot once, when it arrives (DESIGN §7): lookup maps, compiled regexes,
 * parsed dates and versions, target sets, salts and every constant result. The snapshot
 * JSON is frozen in place and the compiled form is frozen. Each flag compiles on its own:
 * one the SDK cannot understand answers PARSE_ERROR, the others keep working. Call
 * validateSnapshot first for data written by people; this never throws on a snapshot-shaped
 * object.
 */
export function compileSnapshot(
  snapshot: Snapshot,
  options: CompileOptions = {},
): CompiledSnapshot {
  freezeJson(snapshot);
  const flagsIn: Record<string, unknown> = isPlainObject(snapshot.flags) ? snapshot.flags : {};
  const segmentsIn: Record<string, unknown> = isPlainObject(snapshot.segments)
    ? snapshot.segments
    : {};
  const segments = new Map<string, CompiledSegment>();
  for (const key of Object.keys(segmentsIn))
    segments.set(key, compileCachedSegment(segmentsIn[key], key));
  const flags = new Map<string, CompiledFlag>();
  for (const key of Object.keys(flagsIn)) flags.set(key, compileCachedFlag(flagsIn[key], key));
  propagateParseErrors(flags, segments);
  return Object.freeze({
    environment: typeof snapshot.environment === 'string' ? snapshot.environment : '',
    version: typeof snapshot.version === 'number' ? snapshot.version : 0,
    snapshot,
    flags,
    segments,
    keySalt: typeof snapshot.keySalt === 'string' ? snapshot.keySalt : undefined,
    bucketCache: options.bucketCache === undefined ? defaultBucketCache : options.bucketCache,
    tombstones: options.tombstones ?? NO_TOMBSTONES,
  });
}
