/**
 * @switchyard/core: the flag model, its validation, and a pure synchronous evaluator that
 * runs the same in Node and in browsers. No I/O, no runtime dependencies.
 */
export type * from './model';
export { OPERATORS, FLAG_TYPES } from './model';
export { validateSnapshot, type ValidationResult } from './validate-snapshot';
export { compileSnapshot, type CompileOptions } from './compile';
export type { CompiledSnapshot, CompiledFlag, CompiledSegment } from './compiled-model';
export { evaluateFlag } from './evaluate';
export { withDefault, type ResolvedValue } from './resolution';
export { explainFlag, type Explanation } from './explain';
export type { ExplainStep } from './evaluation-state';
export { bucketFor, sha1Hex } from './sha1';
export { sha256Hex, hashContextKey } from './sha256';
export { createBoundedBucketCache, defaultBucketCache, type BucketCache } from './bucket-cache';
export { toClientSnapshot, toServerSnapshot } from './client-snapshot';
export { applyPatch, changedFlagKeys, withDependants, type ApplyPatchResult } from './patch';
export { snapshotJsonSchema } from './schema';
export { percentageThreshold, WEIGHT_TOTAL } from './percentage';
export { parseSemVer, compareSemVer } from './semver';
export { parseRfc3339 } from './dates';
export { whyRegexIsUnsafe } from './regex-safety';
