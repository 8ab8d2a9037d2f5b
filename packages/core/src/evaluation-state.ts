import { bucketWithPrefix, type HashPrefix } from './sha1';
import type { CompiledFlag, CompiledRule, CompiledServe, CompiledSnapshot } from './compiled-model';

/** Deeper chains of prerequisites or nested segments than this abort the evaluation. */
export const MAX_DEPTH = 64;

/** Thrown inside the evaluator only, for cycles and runaway depth; evaluateFlag turns it into GENERAL. */
export class EvaluationAbort extends Error {
  override readonly name = 'EvaluationAbort';
}

/** One step of an explanation (see explainFlag). */
export interface ExplainStep {
  step: 'flag' | 'disabled' | 'prerequisite' | 'target' | 'rule' | 'fallthrough' | 'type' | 'error';
  message: string;
  [detail: string]: unknown;
}

/** What the evaluator reports to an explanation, as data; explain.ts turns it into text. */
export type TraceEvent =
  | { kind: 'abort'; step: 'flag' | 'type' | 'error'; message: string }
  | { kind: 'disabled'; flag: CompiledFlag }
  | {
      kind: 'prerequisite';
      prerequisite: { flag: string; variation: string };
      target: CompiledFlag | undefined;
      served: string | undefined;
      passed: boolean;
    }
  | { kind: 'target'; variation: string }
  | {
      kind: 'rule';
      rule: CompiledRule;
      matched: boolean;
      gate?: { bucket: number | undefined; threshold: number; inside: boolean };
    }
  | {
      kind: 'split';
      flag: CompiledFlag;
      rule: CompiledRule | undefined;
      serve: Extract<CompiledServe, { kind: 'split' }>;
      slot: number;
      bucket: number;
      hashInput: string;
    }
  | { kind: 'unbucketable'; attribute: string }
  | { kind: 'fallthrough'; variation: string };

/** Receives trace events while explaining an evaluation. */
export type Tracer = (event: TraceEvent) => void;

/**
 * What an evaluation carries only when it recurses (prerequisites, nested segments) or is
 * being explained; the common path passes `undefined` and allocates nothing.
 */
export interface EvaluationState {
  readonly flags: string[];
  readonly segments: string[];
  readonly trace: Tracer | undefined;
  /** How deep in prerequisites we are; only the top level is traced. */
  depth: number;
}

export const newState = (trace?: Tracer): EvaluationState => ({
  flags: [],
  segments: [],
  trace,
  depth: 0,
});

/** Marks a flag as being evaluated; a flag met again on the way down is a cycle. */
export function enterFlag(state: EvaluationState | undefined, flagKey: string): EvaluationState {
  const current = state ?? newState();
  if (current.flags.includes(flagKey)) {
    throw new EvaluationAbort(`prerequisite cycle: ${[...current.flags, flagKey].join(' -> ')}`);
  }
  if (current.flags.length >= MAX_DEPTH)
    throw new EvaluationAbort(`prerequisites nest deeper than ${MAX_DEPTH}`);
  current.flags.push(flagKey);
  return current;
}

export const leaveFlag = (state: EvaluationState): void => {
  state.flags.pop();
};

/** Marks a segment as being evaluated; a segment met again on the way down is a cycle. */
export function enterSegment(
  state: EvaluationState | undefined,
  segmentKey: string,
): EvaluationState {
  const current = state ?? newState();
  if (current.segments.includes(segmentKey)) {
    throw new EvaluationAbort(`segment cycle: ${[...current.segments, segmentKey].join(' -> ')}`);
  }
  if (current.segments.length >= MAX_DEPTH)
    throw new EvaluationAbort(`segments nest deeper than ${MAX_DEPTH}`);
  current.segments.push(segmentKey);
  return current;
}

export const leaveSegment = (state: EvaluationState): void => {
  state.segments.pop();
};

/** The bucket of `<prefix><value>`, through the snapshot's bucket cache when it has one. */
export function bucketOf(compiled: CompiledSnapshot, prefix: HashPrefix, value: string): number {
  const cache = compiled.bucketCache;
  if (cache === null) return bucketWithPrefix(prefix, value);
  let bucket = cache.get(prefix.text, value);
  if (bucket === undefined) {
    bucket = bucketWithPrefix(prefix, value);
    cache.set(prefix.text, value, bucket);
  }
  return bucket;
}
