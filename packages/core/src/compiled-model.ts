import type { AttributeRef } from './attributes';
import type { BucketCache } from './bucket-cache';
import type {
  ErrorResult,
  EvaluationResult,
  FlagType,
  JsonValue,
  Rule,
  Snapshot,
  UnservedResult,
} from './model';
import type { ValueTest } from './operators';
import type { HashPrefix } from './sha1';

/** A clause ready to evaluate. */
export type CompiledClause =
  | { kind: 'value'; attribute: AttributeRef; negate: boolean; test: ValueTest }
  | { kind: 'hashedKey'; attribute: AttributeRef; negate: boolean; hashes: ReadonlySet<string> }
  | { kind: 'segment'; negate: boolean; segmentKeys: readonly string[] };

/** One served variation, by index, with its precomputed result where it never varies. */
export interface CompiledVariation {
  readonly name: string;
  readonly value: JsonValue;
}

/** A serve ready to evaluate: a fixed variation or cumulative weights. */
export type CompiledServe =
  | { kind: 'fixed'; index: number }
  | {
      kind: 'split';
      /** Running sums of the weights, in order. */
      cumulative: readonly number[];
      indices: readonly number[];
      bucketBy: AttributeRef;
    };

/** A flag rule ready to evaluate. */
export interface CompiledRule {
  readonly id: string;
  readonly index: number;
  readonly clauses: readonly CompiledClause[];
  readonly serve: CompiledServe;
  /** `round(percentage * 1000)`, or -1 when the rule has no percentage gate. */
  readonly threshold: number;
  readonly bucketBy: AttributeRef;
  /** The TARGETING_MATCH result of a fixed, ungated rule. */
  readonly matchResult: EvaluationResult | undefined;
  /** The rule as written, for explanations. */
  readonly source: Rule;
}

/** A segment rule ready to evaluate. */
export interface CompiledSegmentRule {
  readonly clauses: readonly CompiledClause[];
  readonly threshold: number;
  readonly bucketBy: AttributeRef;
}

/** Context keys as a set of plaintext keys or of salted SHA-256 hashes. */
export interface CompiledKeySet {
  readonly hashed: boolean;
  readonly keys: ReadonlySet<string>;
}

/** A segment ready to evaluate. */
export interface CompiledSegment {
  readonly key: string;
  readonly version: number;
  readonly included: CompiledKeySet | null;
  readonly excluded: CompiledKeySet | null;
  readonly rules: readonly CompiledSegmentRule[];
  /** `<segmentKey>.<salt>.`, packed for hashing */
  readonly hashPrefix: HashPrefix;
  /** Segments named by inSegment clauses of its rules. */
  readonly segmentRefs: readonly string[];
  readonly parseError: string | undefined;
}

/** A flag ready to evaluate, with every constant result built once. */
export interface CompiledFlag {
  readonly key: string;
  readonly version: number;
  readonly type: FlagType;
  readonly enabled: boolean;
  readonly variations: readonly CompiledVariation[];
  readonly prerequisites: readonly { readonly flag: string; readonly variation: string }[];
  /** Targeted context key (or its hash) -> variation index; null when there are no targets. */
  readonly targets: {
    readonly hashed: boolean;
    readonly byKey: ReadonlyMap<string, number>;
  } | null;
  readonly rules: readonly CompiledRule[];
  readonly fallthrough: CompiledServe;
  /** `<flagKey>.<salt>.`, packed for hashing */
  readonly hashPrefix: HashPrefix;
  readonly segmentRefs: readonly string[];
  /** Why the SDK cannot understand this flag (it answers PARSE_ERROR), if it cannot. */
  readonly parseError: string | undefined;
  readonly results: {
    readonly parseError: ErrorResult | undefined;
    readonly disabled: EvaluationResult;
    readonly target: readonly EvaluationResult[];
    readonly fallthrough: EvaluationResult | undefined;
    readonly prerequisiteFailed: readonly (EvaluationResult | UnservedResult)[];
  };
}

/** A frozen snapshot ready to evaluate (DESIGN §7). */
export interface CompiledSnapshot {
  readonly environment: string;
  readonly version: number;
  /** The snapshot it was compiled from (frozen). */
  readonly snapshot: Snapshot;
  readonly flags: ReadonlyMap<string, CompiledFlag>;
  readonly segments: ReadonlyMap<string, CompiledSegment>;
  /** Salt of hashed context keys (client snapshots). */
  readonly keySalt: string | undefined;
  readonly bucketCache: BucketCache | null;
  /** Deleted flag and segment keys and the version that deleted them. */
  readonly tombstones: {
    readonly flags: ReadonlyMap<string, number>;
    readonly segments: ReadonlyMap<string, number>;
  };
}
