/** Any JSON value. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The type every variation value of a flag must have; `object` means a JSON object or array. */
export type FlagType = 'boolean' | 'string' | 'number' | 'object';

/** Clause operators (DESIGN §2). */
export type Operator =
  | 'equals'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'matches'
  | 'lessThan'
  | 'lessThanOrEqual'
  | 'greaterThan'
  | 'greaterThanOrEqual'
  | 'before'
  | 'after'
  | 'semVerEqual'
  | 'semVerLessThan'
  | 'semVerGreaterThan'
  | 'inSegment';

/** Every operator name, in a stable order. */
export const OPERATORS: readonly Operator[] = [
  'equals',
  'contains',
  'startsWith',
  'endsWith',
  'matches',
  'lessThan',
  'lessThanOrEqual',
  'greaterThan',
  'greaterThanOrEqual',
  'before',
  'after',
  'semVerEqual',
  'semVerLessThan',
  'semVerGreaterThan',
  'inSegment',
];

/** Every flag type name. */
export const FLAG_TYPES: readonly FlagType[] = ['boolean', 'string', 'number', 'object'];

/**
 * A list of context keys. Server snapshots hold plaintext keys; client snapshots hold
 * `{ sha256: [hex of SHA-256("<keySalt>:<key>")] }` so browsers never see the keys.
 */
export type KeyList = string[] | HashedKeyList;

/** Context keys hashed with the snapshot's `keySalt` (client snapshots, DESIGN §5). */
export interface HashedKeyList {
  sha256: string[];
}

/** A named value a flag can serve. */
export interface Variation {
  name: string;
  value: JsonValue;
  description?: string;
}

/** One share of a weighted serve; weights are integers summing to 100000. */
export interface WeightedVariation {
  variation: string;
  weight: number;
}

/** Serve one variation to everyone who reaches it. */
export interface FixedServe {
  variation: string;
}

/** Serve variations by bucket (DESIGN §4). */
export interface WeightedServe {
  weights: WeightedVariation[];
  /** Context attribute hashed for the bucket; default the targeting key. */
  bucketBy?: string;
}

/** What a rule or the fallthrough serves: exactly one of the two forms. */
export type Serve = FixedServe | WeightedServe;

/** One condition of a rule: all clauses of a rule must match. */
export interface Clause {
  /** A top-level attribute name, or an RFC 6901 pointer starting with `/`. */
  attribute: string;
  operator: Operator;
  /** The clause matches when the attribute matches any of these; hashed in client snapshots. */
  values: JsonValue[] | HashedKeyList;
  negate?: boolean;
}

/** A targeting rule of a flag. */
export interface Rule {
  id: string;
  description?: string;
  clauses: Clause[];
  variation?: string;
  weights?: WeightedVariation[];
  bucketBy?: string;
  /** Gate with up to 3 decimals: the rule serves only to contexts whose bucket is below it. */
  percentage?: number;
}

/** A flag that must serve a given variation before this one is evaluated. */
export interface Prerequisite {
  flag: string;
  variation: string;
}

/** A progressive rollout (DESIGN §6); admin-only, never sent to SDKs. */
export interface ProgressiveRollout {
  variation: string;
  startAt?: string;
  increment?: number;
  frequency?: 'hourly' | 'daily' | 'weekly';
  phases?: { percentage: number; at: string }[];
  status?: 'active' | 'stopped' | 'finished';
  [extra: string]: JsonValue | undefined;
}

/** A feature flag (DESIGN §2). */
export interface Flag {
  key: string;
  version: number;
  type: FlagType;
  enabled: boolean;
  variations: Variation[];
  offVariation?: string;
  prerequisites?: Prerequisite[];
  targets?: Record<string, KeyList>;
  rules?: Rule[];
  fallthrough: Serve;
  salt?: string;
  clientSide?: boolean;
  name?: string;
  description?: string;
  tags?: string[];
  rollout?: ProgressiveRollout;
}

/** A rule of a segment: clauses AND, then an optional percentage gate. */
export interface SegmentRule {
  id: string;
  description?: string;
  clauses: Clause[];
  percentage?: number;
  bucketBy?: string;
}

/** A reusable group of contexts (DESIGN §2). */
export interface Segment {
  key: string;
  version: number;
  included?: KeyList;
  excluded?: KeyList;
  rules?: SegmentRule[];
  salt?: string;
  name?: string;
  description?: string;
}

/** The flags and segments of one environment at one version. */
export interface Snapshot {
  schemaVersion: 1;
  environment: string;
  version: number;
  flags: Record<string, Flag>;
  segments: Record<string, Segment>;
  /** Present on client snapshots only: the salt hashed in front of every context key. */
  keySalt?: string;
}

/** A change on top of version `from` (DESIGN §5). */
export interface Patch {
  from?: number;
  version: number;
  flags?: Record<string, Flag>;
  segments?: Record<string, Segment>;
  deleted?: { flags?: string[]; segments?: string[] };
}

/** OpenFeature's evaluation context: a targeting key plus attributes. */
export interface EvaluationContext {
  targetingKey?: string;
  [attribute: string]: unknown;
}

/** Resolution reasons (OpenFeature's, plus PREREQUISITE_FAILED). */
export type Reason =
  'STATIC' | 'DEFAULT' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'PREREQUISITE_FAILED' | 'ERROR';

/** OpenFeature error codes the evaluator can answer. */
export type ErrorCode =
  | 'FLAG_NOT_FOUND'
  | 'PARSE_ERROR'
  | 'TYPE_MISMATCH'
  | 'TARGETING_KEY_MISSING'
  | 'INVALID_CONTEXT'
  | 'GENERAL';

/** Metadata that explains a result. */
export interface FlagMetadata {
  flagVersion?: number;
  ruleId?: string;
  ruleIndex?: number;
  bucket?: number;
  prerequisiteKey?: string;
}

/** A variation was served. */
export interface ServedResult {
  value: JsonValue;
  variant: string;
  reason: Exclude<Reason, 'ERROR'>;
  flagMetadata: FlagMetadata;
}

/** Nothing was served (disabled or prerequisite failed without offVariation): use the default. */
export interface UnservedResult {
  value?: undefined;
  variant?: undefined;
  reason: 'DISABLED' | 'PREREQUISITE_FAILED';
  flagMetadata: FlagMetadata;
}

/** The evaluation failed; the caller's default applies. */
export interface ErrorResult {
  value?: undefined;
  variant?: undefined;
  reason: 'ERROR';
  errorCode: ErrorCode;
  errorMessage: string;
  flagMetadata: FlagMetadata;
}

/** What `evaluateFlag` answers: a value, nothing, or an error, never a throw. */
export type EvaluationResult = ServedResult | UnservedResult | ErrorResult;

/** One problem found by validation: where (JSON pointer) and why. */
export interface ValidationError {
  path: string;
  message: string;
}
