import type { FastifyError, FastifyReply } from 'fastify';

/** One field-level problem: a JSON pointer into what was submitted, and why. */
export interface FieldError {
  path: string;
  message: string;
}

/** The stable codes of HTTP problems; each has one status and title. */
export type ProblemCode =
  | 'invalid-request'
  | 'malformed-json'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'referenced'
  | 'body-too-large'
  | 'unsupported-media-type'
  | 'validation'
  | 'idempotency-key-reused'
  | 'unavailable'
  | 'internal';

const PROBLEMS: Record<ProblemCode, { status: number; title: string }> = {
  'invalid-request': { status: 400, title: 'The request does not match the API' },
  'malformed-json': { status: 400, title: 'The body is not valid JSON' },
  unauthorized: { status: 401, title: 'Missing or unknown credentials' },
  forbidden: { status: 403, title: 'Not allowed' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'The resource changed' },
  referenced: { status: 409, title: 'Still referenced' },
  'body-too-large': { status: 413, title: 'The body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported content type' },
  validation: { status: 422, title: 'The change is invalid' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency-Key reused for another request' },
  unavailable: { status: 503, title: 'Unavailable' },
  internal: { status: 500, title: 'Internal error' },
};

/** An RFC 9457 problem document, with field errors. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

/** A typed HTTP error: a stable code, a detail for humans, field errors, and a cause. */
export class HttpProblem extends Error {
  readonly status: number;
  /** Fastify reads `statusCode` when a parser or hook fails with this error. */
  readonly statusCode: number;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = 'HttpProblem';
    this.status = PROBLEMS[code].status;
    this.statusCode = this.status;
  }

  /** The problem+json document. */
  toDocument(): ProblemDocument {
    return {
      type: `https://switchyard.dev/problems/${this.code}`,
      title: PROBLEMS[this.code].title,
      status: this.status,
      detail: this.detail,
      ...(this.errors !== undefined && this.errors.length > 0 ? { errors: this.errors } : {}),
    };
  }
}

/** Sends a problem as `application/problem+json`. */
export function sendProblem(reply: FastifyReply, problem: HttpProblem): FastifyReply {
  if (problem.code === 'unauthorized' && reply.getHeader('www-authenticate') === undefined) {
    reply.header('www-authenticate', 'Bearer');
  }
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send(JSON.stringify(problem.toDocument()));
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const PARTS: Record<string, string> = {
  body: 'body',
  querystring: 'query string',
  params: 'path',
  headers: 'headers',
};

/** Turns a schema validation failure into field errors with JSON pointers. */
function fieldErrors(validation: readonly AjvError[]): FieldError[] {
  return validation.map((error) => {
    if (error.keyword === 'additionalProperties') {
      return {
        path: `${error.instancePath}/${String(error.params.additionalProperty)}`,
        message: 'is not a known field',
      };
    }
    if (error.keyword === 'required') {
      return {
        path: `${error.instancePath}/${String(error.params.missingProperty)}`,
        message: 'is required',
      };
    }
    return { path: error.instancePath, message: error.message ?? error.keyword };
  });
}

/**
 * The one place that maps errors to HTTP problems: our own, Fastify's (schema validation,
 * body parsing, limits), and anything unexpected (500, never leaking internals).
 */
export function problemFromError(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const fastifyError = error as Partial<FastifyError> & {
    validation?: AjvError[];
    validationContext?: string;
  };
  if (Array.isArray(fastifyError.validation)) {
    const part = PARTS[fastifyError.validationContext ?? ''] ?? 'request';
    return new HttpProblem(
      'invalid-request',
      `the ${part} is invalid`,
      fieldErrors(fastifyError.validation),
      { cause: error },
    );
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpProblem(
        'malformed-json',
        fastifyError.message ?? 'the body is not valid JSON',
        undefined,
        { cause: error },
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpProblem(
        'body-too-large',
        'the body is larger than the configured limit',
        undefined,
        { cause: error },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpProblem(
        'unsupported-media-type',
        'send the body as application/json',
        undefined,
        { cause: error },
      );
  }
  const status = fastifyError.statusCode ?? 500;
  if (status === 404)
    return new HttpProblem('not-found', fastifyError.message ?? 'not found', undefined, {
      cause: error,
    });
  if (status >= 400 && status < 500) {
    return new HttpProblem('invalid-request', fastifyError.message ?? 'bad request', undefined, {
      cause: error,
    });
  }
  return new HttpProblem(
    'internal',
    'the relay failed to handle the request; see its logs',
    undefined,
    { cause: error },
  );
}
