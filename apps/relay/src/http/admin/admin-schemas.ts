/**
 * JSON schemas of the admin routes. They drive request validation (except flag and segment
 * bodies, which core validates against the whole environment) and the OpenAPI document.
 */

/** A reference to a component of the OpenAPI document (see openapi.ts). */
export const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

const str = (description: string): { type: 'string'; description: string } => ({
  type: 'string',
  description,
});

/** `:env`. */
export const envParams = {
  type: 'object',
  required: ['env'],
  properties: { env: str('Environment name.') },
} as const;

/** `:env` and `:key`. */
export const entryParams = {
  type: 'object',
  required: ['env', 'key'],
  properties: { env: str('Environment name.'), key: str('Flag or segment key.') },
} as const;

/** `:env`, `:key` and `:ruleId`. */
export const ruleParams = {
  type: 'object',
  required: ['env', 'key', 'ruleId'],
  properties: { ...entryParams.properties, ruleId: str('Rule id.') },
} as const;

/** Headers every write accepts. */
export const writeHeaders = {
  type: 'object',
  properties: {
    'if-match': str(
      'The version last read, as an entity tag ("42"); the write fails with 409 if it changed. `*`: it must exist.',
    ),
    'idempotency-key': {
      ...str('A retried write with the same key applies once and answers the first result.'),
      maxLength: 256,
    },
  },
} as const;

/** `?limit=` of audit listings. */
export const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: {
      type: 'string',
      pattern: '^[1-9][0-9]{0,3}$',
      description: 'Newest entries to answer, 1-9999 (default 100).',
    },
  },
} as const;

const weights = {
  type: 'array',
  minItems: 1,
  maxItems: 1000,
  description: 'Weighted variations, integers summing to 100000.',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['variation', 'weight'],
    properties: {
      variation: { type: 'string' },
      weight: { type: 'integer', minimum: 0, maximum: 100000 },
    },
  },
} as const;

/** `POST .../targets`: add or remove context keys targeted to one variation. */
export const targetsBody = {
  type: 'object',
  additionalProperties: false,
  required: ['variation'],
  properties: {
    variation: str('The variation the keys are targeted to.'),
    add: {
      type: 'array',
      maxItems: 10000,
      items: { type: 'string', minLength: 1, maxLength: 1024 },
    },
    remove: {
      type: 'array',
      maxItems: 10000,
      items: { type: 'string', minLength: 1, maxLength: 1024 },
    },
  },
} as const;

/** `PUT .../fallthrough`: exactly one of `variation` or `weights`. */
export const serveBody = {
  type: 'object',
  additionalProperties: false,
  description: 'Exactly one of `variation` or `weights`.',
  properties: {
    variation: str('Serve this variation.'),
    weights,
    bucketBy: str('Attribute hashed for the bucket.'),
  },
} as const;

/** `PUT .../rules/:ruleId/weights`. */
export const weightsBody = {
  type: 'object',
  additionalProperties: false,
  required: ['weights'],
  properties: { weights, bucketBy: str('Attribute hashed for the bucket.') },
} as const;

/** Error answers every admin route can give. */
export const problemResponses = {
  400: { description: 'Malformed request', ...ref('Problem') },
  401: { description: 'Missing or unknown admin token', ...ref('Problem') },
  403: { description: 'The token lacks the scope', ...ref('Problem') },
  404: { description: 'Unknown environment or entry', ...ref('Problem') },
} as const;

/** Extra error answers of writes. */
export const writeProblemResponses = {
  ...problemResponses,
  409: { description: 'If-Match conflict, already exists, or still referenced', ...ref('Problem') },
  413: { description: 'Body over the limit', ...ref('Problem') },
  422: { description: 'Validation errors, each with a path into the body', ...ref('Problem') },
} as const;

/** Routes whose body core validates: the schema documents it, Ajv does not check it. */
export const coreValidatedBody = { validatorCompiler: () => () => true } as const;
