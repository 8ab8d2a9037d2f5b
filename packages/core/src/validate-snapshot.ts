import { hasOwn, isPlainObject } from './json';
import { escapePointerToken } from './json-pointer';
import type {
  Clause,
  Flag,
  Prerequisite,
  Rule,
  Segment,
  SegmentRule,
  Snapshot,
  ValidationError,
} from './model';
import { checkSchema, KEY_PATTERN, snapshotSchema } from './schema';
import { segmentReferences } from './references';
import { checkFlag, checkSegment } from './validate-flag';

/** What validateSnapshot answers: the typed snapshot, or every error found. */
export type ValidationResult =
  { ok: true; snapshot: Snapshot } | { ok: false; errors: ValidationError[] };

/** Array items that are objects, keeping indexes (others were reported by the schema). */
const items = <T>(value: unknown): (T | undefined)[] =>
  (Array.isArray(value) ? value : []).map((item) =>
    isPlainObject(item) ? (item as T) : undefined,
  );

const flagPath = (key: string): string => `/flags/${escapePointerToken(key)}`;
const segmentPath = (key: string): string => `/segments/${escapePointerToken(key)}`;

function checkEntryShape(
  definition: 'Flag' | 'Segment',
  key: string,
  value: unknown,
  path: string,
  errors: ValidationError[],
): void {
  if (!KEY_PATTERN.test(key)) {
    errors.push({ path, message: `key must match ${String(KEY_PATTERN)}` });
    return;
  }
  checkSchema({ kind: 'ref', name: definition }, value, path, errors, true);
}

/**
 * Finds cycles in a graph of references and reports one error per cycle, at the path of
 * the reference that closes it. `edges` lists each node's references with their paths.
 */
function reportCycles(
  nodes: readonly string[],
  edges: (node: string) => { key: string; path: string }[],
  describe: string,
  errors: ValidationError[],
): void {
  const known = new Set(nodes);
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    trail.push(node);
    for (const edge of edges(node)) {
      const seen = state.get(edge.key);
      if (seen === 'visiting') {
        const cycle = [...trail.slice(trail.indexOf(edge.key)), edge.key];
        errors.push({ path: edge.path, message: `${describe} cycle: ${cycle.join(' -> ')}` });
      } else if (seen === undefined && known.has(edge.key)) {
        visit(edge.key);
      }
    }
    trail.pop();
    state.set(node, 'done');
  };
  for (const node of nodes) if (!state.has(node)) visit(node);
}

function usesHashedLists(flags: Flag[], segments: Segment[]): boolean {
  const hashed = (list: unknown): boolean => isPlainObject(list);
  return (
    flags.some(
      (flag) =>
        Object.values(isPlainObject(flag.targets) ? flag.targets : {}).some(hashed) ||
        items<Rule>(flag.rules).some((rule) =>
          items<Clause>(rule?.clauses).some((clause) => hashed(clause?.values)),
        ),
    ) ||
    segments.some(
      (segment) =>
        hashed(segment.included) ||
        hashed(segment.excluded) ||
        items<SegmentRule>(segment.rules).some((rule) =>
          items<Clause>(rule?.clauses).some((clause) => hashed(clause?.values)),
        ),
    )
  );
}

/**
 * Validates an environment snapshot (DESIGN §2, §7): its shape, every flag and segment,
 * every reference, and the absence of prerequisite and segment cycles. Reports all errors,
 * each with a JSON pointer and a reason. Unknown fields are errors.
 */
export function validateSnapshot(json: unknown): ValidationResult {
  const errors: ValidationError[] = [];
  if (!isPlainObject(json))
    return { ok: false, errors: [{ path: '', message: 'must be an object' }] };

  // The shape of the envelope, then each flag and segment on its own, so one broken flag
  // does not hide the semantic errors of the others.
  const envelope = { ...json, flags: {}, segments: {} };
  checkSchema(snapshotSchema, envelope, '', errors, true);
  const flagsIn = isPlainObject(json.flags) ? json.flags : {};
  const segmentsIn = isPlainObject(json.segments) ? json.segments : {};
  if (json.flags !== undefined && !isPlainObject(json.flags))
    errors.push({ path: '/flags', message: 'must be an object' });
  if (json.segments !== undefined && !isPlainObject(json.segments)) {
    errors.push({ path: '/segments', message: 'must be an object' });
  }

  const flags = new Map<string, Flag>();
  for (const key of Object.keys(flagsIn)) {
    const path = flagPath(key);
    const shapeErrors: ValidationError[] = [];
    checkEntryShape('Flag', key, flagsIn[key], path, shapeErrors);
    errors.push(...shapeErrors);
    if (!isPlainObject(flagsIn[key])) continue;
    // Semantic checks run on a misshapen flag too, so every error is reported at once.
    const flag = flagsIn[key] as unknown as Flag;
    if (flag.key !== key)
      errors.push({
        path: `${path}/key`,
        message: `must equal its key in flags (${JSON.stringify(key)})`,
      });
    checkFlag(flag, path, errors);
    flags.set(key, flag);
  }
  const segments = new Map<string, Segment>();
  for (const key of Object.keys(segmentsIn)) {
    const path = segmentPath(key);
    const shapeErrors: ValidationError[] = [];
    checkEntryShape('Segment', key, segmentsIn[key], path, shapeErrors);
    errors.push(...shapeErrors);
    if (!isPlainObject(segmentsIn[key])) continue;
    const segment = segmentsIn[key] as unknown as Segment;
    if (segment.key !== key) {
      errors.push({
        path: `${path}/key`,
        message: `must equal its key in segments (${JSON.stringify(key)})`,
      });
    }
    checkSegment(segment, path, errors);
    segments.set(key, segment);
  }

  // References between flags and segments.
  const segmentKeysKnown = (key: string): boolean => hasOwn(segmentsIn, key);
  const flagSegmentRefs = (key: string, flag: Flag) =>
    items<Rule>(flag.rules).flatMap((rule, i) =>
      rule === undefined ? [] : segmentReferences(rule.clauses, `${flagPath(key)}/rules/${i}`),
    );
  const segmentSegmentRefs = (key: string, segment: Segment) =>
    items<SegmentRule>(segment.rules).flatMap((rule, i) =>
      rule === undefined ? [] : segmentReferences(rule.clauses, `${segmentPath(key)}/rules/${i}`),
    );

  for (const [key, flag] of flags) {
    items<Prerequisite>(flag.prerequisites).forEach((prerequisite, index) => {
      if (prerequisite === undefined || typeof prerequisite.flag !== 'string') return;
      const path = `${flagPath(key)}/prerequisites/${index}`;
      const target = hasOwn(flagsIn, prerequisite.flag) ? flags.get(prerequisite.flag) : undefined;
      if (!hasOwn(flagsIn, prerequisite.flag)) {
        errors.push({
          path: `${path}/flag`,
          message: `names a missing flag ${JSON.stringify(prerequisite.flag)}`,
        });
        return;
      }
      if (target === undefined) return; // that flag is broken and reported already
      const names = items<{ name: string }>(target.variations).map((variation) => variation?.name);
      if (typeof prerequisite.variation === 'string' && !names.includes(prerequisite.variation)) {
        errors.push({
          path: `${path}/variation`,
          message: `names a variation flag ${JSON.stringify(prerequisite.flag)} does not have`,
        });
      }
      if (flag.clientSide === true && target.clientSide !== true) {
        errors.push({
          path: `${path}/flag`,
          message: `client-side flag depends on ${JSON.stringify(prerequisite.flag)}, which is not client-side`,
        });
      }
    });
    for (const reference of flagSegmentRefs(key, flag)) {
      if (!segmentKeysKnown(reference.key)) {
        errors.push({
          path: reference.path,
          message: `names a missing segment ${JSON.stringify(reference.key)}`,
        });
      }
    }
  }
  for (const [key, segment] of segments) {
    for (const reference of segmentSegmentRefs(key, segment)) {
      if (!segmentKeysKnown(reference.key)) {
        errors.push({
          path: reference.path,
          message: `names a missing segment ${JSON.stringify(reference.key)}`,
        });
      }
    }
  }

  reportCycles(
    [...flags.keys()],
    (key) =>
      items<Prerequisite>(flags.get(key)?.prerequisites).flatMap((prerequisite, index) =>
        prerequisite === undefined
          ? []
          : [{ key: prerequisite.flag, path: `${flagPath(key)}/prerequisites/${index}/flag` }],
      ),
    'prerequisite',
    errors,
  );
  reportCycles(
    [...segments.keys()],
    (key) => {
      const segment = segments.get(key);
      return segment === undefined ? [] : segmentSegmentRefs(key, segment);
    },
    'segment',
    errors,
  );

  if (json.keySalt === undefined && usesHashedLists([...flags.values()], [...segments.values()])) {
    errors.push({ path: '/keySalt', message: 'is required when context keys are hashed' });
  }

  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, snapshot: json as unknown as Snapshot };
}
