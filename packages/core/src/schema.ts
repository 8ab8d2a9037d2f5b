import { hasOwn, isPlainObject, whyNotJson } from './json';
import { escapePointerToken } from './json-pointer';
import { FLAG_TYPES, OPERATORS, type ValidationError } from './model';

/**
 * A small schema language for the model: the one source from which both the structural
 * validator and the published JSON Schema are derived. Semantic checks (references,
 * weights, cycles, operator operands) live in validate-*.ts.
 */
export type SchemaNode =
  | { kind: 'string'; pattern?: RegExp; maxLength?: number; description?: string }
  | { kind: 'number'; integer?: boolean; minimum?: number; maximum?: number; description?: string }
  | { kind: 'boolean'; description?: string }
  | { kind: 'enum'; values: readonly (string | number)[]; description?: string }
  | { kind: 'json'; description?: string }
  | { kind: 'array'; items: SchemaNode; maxItems?: number; description?: string }
  | { kind: 'record'; values: SchemaNode; keyPattern?: RegExp; description?: string }
  | {
      kind: 'object';
      properties: Record<string, SchemaNode>;
      required: readonly string[];
      /** Whether unknown properties are allowed (only where the model is open). */
      open?: boolean;
      description?: string;
    }
  | { kind: 'anyOf'; options: SchemaNode[]; description?: string }
  | { kind: 'ref'; name: string };

/** Flag and segment keys (DESIGN §2). */
export const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const str = (
  description?: string,
  extra: { pattern?: RegExp; maxLength?: number } = {},
): SchemaNode => ({
  kind: 'string',
  description,
  ...extra,
});
const int = (description?: string, minimum = 0): SchemaNode => ({
  kind: 'number',
  integer: true,
  minimum,
  maximum: Number.MAX_SAFE_INTEGER,
  description,
});
const obj = (
  properties: Record<string, SchemaNode>,
  required: readonly string[],
  description?: string,
): SchemaNode => ({ kind: 'object', properties, required, description });
const arr = (items: SchemaNode, description?: string): SchemaNode => ({
  kind: 'array',
  items,
  description,
});
const ref = (name: string): SchemaNode => ({ kind: 'ref', name });

const hashedKeyList = obj(
  { sha256: arr(str('hex of SHA-256("<keySalt>:<key>")', { pattern: /^[0-9a-f]{64}$/ })) },
  ['sha256'],
  'Context keys hashed for client snapshots.',
);
const keyList: SchemaNode = {
  kind: 'anyOf',
  options: [arr(str('a context key', { maxLength: 1024 })), hashedKeyList],
  description: 'Context keys, plaintext or hashed.',
};
const weights = arr(
  obj({ variation: str('variation name'), weight: int('share out of 100000') }, [
    'variation',
    'weight',
  ]),
  'Weighted variations; integers summing to 100000.',
);
const percentage: SchemaNode = {
  kind: 'number',
  minimum: 0,
  maximum: 100,
  description: 'Percentage gate, 0-100 with at most 3 decimals.',
};
const bucketBy = str('Context attribute hashed for the bucket; default the targeting key.');

/** Named definitions of the model (become `$defs` in the JSON Schema). */
export const definitions: Record<string, SchemaNode> = {
  KeyList: keyList,
  Clause: obj(
    {
      attribute: str('Attribute name, or an RFC 6901 pointer starting with "/".', {
        maxLength: 1024,
      }),
      operator: { kind: 'enum', values: OPERATORS },
      values: {
        kind: 'anyOf',
        options: [arr({ kind: 'json' }), hashedKeyList],
        description: 'Operands; the clause matches when any matches.',
      },
      negate: { kind: 'boolean' },
    },
    ['attribute', 'operator', 'values'],
  ),
  Serve: obj(
    { variation: str('variation name'), weights, bucketBy },
    [],
    'Exactly one of `variation` or `weights`.',
  ),
  Rule: obj(
    {
      id: str('Unique within the flag.', { maxLength: 128 }),
      description: str(),
      clauses: arr(ref('Clause')),
      variation: str('variation name'),
      weights,
      bucketBy,
      percentage,
    },
    ['id', 'clauses'],
  ),
  SegmentRule: obj(
    {
      id: str('Unique within the segment.', { maxLength: 128 }),
      description: str(),
      clauses: arr(ref('Clause')),
      percentage,
      bucketBy,
    },
    ['id', 'clauses'],
  ),
  ProgressiveRollout: {
    kind: 'object',
    properties: {
      variation: str('variation rolled out'),
      startAt: str('ISO 8601 start time'),
      increment: { kind: 'number', minimum: 0, maximum: 100 },
      frequency: { kind: 'enum', values: ['hourly', 'daily', 'weekly'] },
      phases: arr(obj({ percentage, at: str('ISO 8601 time') }, ['percentage', 'at'])),
    },
    required: ['variation'],
    open: true,
    description: 'Admin-only; never sent to SDKs.',
  },
  Flag: obj(
    {
      key: str('Flag key.', { pattern: KEY_PATTERN }),
      version: int('Environment version of its last change.'),
      type: { kind: 'enum', values: FLAG_TYPES },
      enabled: {
        kind: 'boolean',
        description: 'false = kill switch: serve offVariation to everyone.',
      },
      variations: arr(
        obj(
          {
            name: str('Unique within the flag.', { maxLength: 128 }),
            value: { kind: 'json' },
            description: str(),
          },
          ['name', 'value'],
        ),
      ),
      offVariation: str('Served when disabled; absent = the caller default.'),
      prerequisites: arr(
        obj({ flag: str('flag key'), variation: str('variation name') }, ['flag', 'variation']),
      ),
      targets: {
        kind: 'record',
        values: ref('KeyList'),
        description: 'Variation name -> context keys.',
      },
      rules: arr(ref('Rule')),
      fallthrough: ref('Serve'),
      salt: str('Hash salt; defaults to the flag key.'),
      clientSide: { kind: 'boolean' },
      name: str(),
      description: str(),
      tags: arr(str()),
      rollout: ref('ProgressiveRollout'),
    },
    ['key', 'version', 'type', 'enabled', 'variations', 'fallthrough'],
  ),
  Segment: obj(
    {
      key: str('Segment key.', { pattern: KEY_PATTERN }),
      version: int(),
      included: ref('KeyList'),
      excluded: ref('KeyList'),
      rules: arr(ref('SegmentRule')),
      salt: str('Hash salt; defaults to the segment key.'),
      name: str(),
      description: str(),
    },
    ['key', 'version'],
  ),
};

/** The environment snapshot, the root of the model. */
export const snapshotSchema: SchemaNode = obj(
  {
    schemaVersion: { kind: 'enum', values: [1] },
    environment: str('Environment name.', { pattern: KEY_PATTERN }),
    version: int('Strictly increasing with every change.'),
    flags: { kind: 'record', values: ref('Flag'), keyPattern: KEY_PATTERN },
    segments: { kind: 'record', values: ref('Segment'), keyPattern: KEY_PATTERN },
    keySalt: str('Client snapshots only: salt of the hashed context keys.'),
  },
  ['schemaVersion', 'environment', 'version', 'flags', 'segments'],
);

const describe = (node: SchemaNode): string => {
  switch (node.kind) {
    case 'string':
      return 'a string';
    case 'number':
      return node.integer === true ? 'an integer' : 'a number';
    case 'boolean':
      return 'a boolean';
    case 'enum':
      return `one of ${node.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'json':
      return 'a JSON value';
    case 'array':
      return 'an array';
    case 'record':
    case 'object':
      return 'an object';
    case 'anyOf':
      return node.options.map(describe).join(' or ');
    case 'ref':
      return describe(definitions[node.name]!);
  }
};

/**
 * Checks `value` against a schema node, pushing an error (JSON pointer + reason) for every
 * problem. `strict` refuses unknown properties; SDKs compile leniently so that an optional
 * field from a newer relay does not break them.
 */
export function checkSchema(
  node: SchemaNode,
  value: unknown,
  path: string,
  errors: ValidationError[],
  strict: boolean,
): void {
  const fail = (message: string): void => {
    errors.push({ path, message });
  };
  switch (node.kind) {
    case 'ref':
      checkSchema(definitions[node.name]!, value, path, errors, strict);
      return;
    case 'string':
      if (typeof value !== 'string') return fail(`must be ${describe(node)}`);
      if (node.maxLength !== undefined && value.length > node.maxLength) {
        return fail(`must be at most ${node.maxLength} characters`);
      }
      if (node.pattern !== undefined && !node.pattern.test(value)) {
        return fail(`must match ${String(node.pattern)}`);
      }
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return fail(`must be ${describe(node)}`);
      if (node.integer === true && !Number.isInteger(value)) return fail('must be an integer');
      if (node.minimum !== undefined && value < node.minimum)
        return fail(`must be at least ${node.minimum}`);
      if (node.maximum !== undefined && value > node.maximum)
        return fail(`must be at most ${node.maximum}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('must be a boolean');
      return;
    case 'enum':
      if (!node.values.includes(value as string | number)) fail(`must be ${describe(node)}`);
      return;
    case 'json': {
      const why = whyNotJson(value);
      if (why !== undefined || value === undefined)
        fail(`must be a JSON value: it ${why ?? 'is missing'}`);
      return;
    }
    case 'array':
      if (!Array.isArray(value)) return fail('must be an array');
      value.forEach((item, index) =>
        checkSchema(node.items, item, `${path}/${index}`, errors, strict),
      );
      return;
    case 'record':
      if (!isPlainObject(value)) return fail('must be an object');
      for (const key of Object.keys(value)) {
        const keyPath = `${path}/${escapePointerToken(key)}`;
        if (node.keyPattern !== undefined && !node.keyPattern.test(key)) {
          errors.push({ path: keyPath, message: `key must match ${String(node.keyPattern)}` });
          continue;
        }
        checkSchema(node.values, value[key], keyPath, errors, strict);
      }
      return;
    case 'object': {
      if (!isPlainObject(value)) return fail('must be an object');
      for (const name of node.required) {
        if (!hasOwn(value, name) || value[name] === undefined) {
          errors.push({ path: `${path}/${escapePointerToken(name)}`, message: 'is required' });
        }
      }
      for (const name of Object.keys(value)) {
        const propertyPath = `${path}/${escapePointerToken(name)}`;
        const child = hasOwn(node.properties, name) ? node.properties[name] : undefined;
        if (child === undefined) {
          if (strict && node.open !== true)
            errors.push({ path: propertyPath, message: 'is not a known field' });
          continue;
        }
        if (value[name] === undefined && !node.required.includes(name)) continue;
        checkSchema(child, value[name], propertyPath, errors, strict);
      }
      return;
    }
    case 'anyOf': {
      for (const option of node.options) {
        const attempt: ValidationError[] = [];
        checkSchema(option, value, path, attempt, strict);
        if (attempt.length === 0) return;
      }
      // Report the option whose shape the value has, so the message is precise.
      const shaped = node.options.find((option) =>
        option.kind === 'array'
          ? Array.isArray(value)
          : option.kind === 'object' && isPlainObject(value),
      );
      if (shaped !== undefined) checkSchema(shaped, value, path, errors, strict);
      else fail(`must be ${describe(node)}`);
      return;
    }
  }
}

type JsonSchema = Record<string, unknown>;

function toJsonSchemaNode(node: SchemaNode): JsonSchema {
  const base: JsonSchema = {};
  if ('description' in node && node.description !== undefined) base.description = node.description;
  switch (node.kind) {
    case 'ref':
      return { $ref: `#/$defs/${node.name}` };
    case 'string':
      return {
        ...base,
        type: 'string',
        ...(node.pattern ? { pattern: node.pattern.source } : {}),
        ...(node.maxLength !== undefined ? { maxLength: node.maxLength } : {}),
      };
    case 'number':
      return {
        ...base,
        type: node.integer === true ? 'integer' : 'number',
        ...(node.minimum !== undefined ? { minimum: node.minimum } : {}),
        ...(node.maximum !== undefined ? { maximum: node.maximum } : {}),
      };
    case 'boolean':
      return { ...base, type: 'boolean' };
    case 'enum':
      return { ...base, enum: [...node.values] };
    case 'json':
      return base;
    case 'array':
      return { ...base, type: 'array', items: toJsonSchemaNode(node.items) };
    case 'record':
      return {
        ...base,
        type: 'object',
        additionalProperties: toJsonSchemaNode(node.values),
        ...(node.keyPattern ? { propertyNames: { pattern: node.keyPattern.source } } : {}),
      };
    case 'object':
      return {
        ...base,
        type: 'object',
        properties: Object.fromEntries(
          Object.entries(node.properties).map(([name, child]) => [name, toJsonSchemaNode(child)]),
        ),
        required: [...node.required],
        additionalProperties: node.open === true,
      };
    case 'anyOf':
      return { ...base, anyOf: node.options.map(toJsonSchemaNode) };
  }
}

/** The JSON Schema (2020-12) of an environment snapshot, for editors and other tooling. */
export function snapshotJsonSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://switchyard.dev/schemas/snapshot.schema.json',
    title: 'Switchyard environment snapshot',
    ...toJsonSchemaNode(snapshotSchema),
    $defs: Object.fromEntries(
      Object.entries(definitions).map(([name, node]) => [name, toJsonSchemaNode(node)]),
    ),
  };
}
