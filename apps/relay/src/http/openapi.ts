import { snapshotJsonSchema } from '@switchyard/core';
import type { RouteOptions } from 'fastify';

type Json = Record<string, unknown>;

declare module 'fastify' {
  /** Documentation keys of route schemas, read by OpenApiCollector (Fastify ignores them). */
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
    operationId?: string;
  }
}

interface CollectedRoute {
  method: string;
  url: string;
  schema: Json;
  isPublic: boolean;
}

/** Rewrites core's `#/$defs/X` references to OpenAPI components. */
function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string'
        ? inner.replace('#/$defs/', '#/components/schemas/')
        : toComponentRefs(inner),
    ]),
  );
}

const withoutRequired = (schema: Json, field: string): Json => ({
  ...schema,
  required: (schema.required as string[]).filter((name) => name !== field),
});

const listOf = (plural: string, item: string): Json => ({
  type: 'object',
  required: ['environment', 'version', plural],
  properties: {
    environment: { type: 'string' },
    version: { type: 'integer' },
    [plural]: { type: 'array', items: { $ref: `#/components/schemas/${item}` } },
  },
});

/** The model (from core's JSON Schema) and the admin API's own shapes. */
function components(): Record<string, Json> {
  const {
    $defs,
    $schema: _dialect,
    $id: _id,
    ...snapshot
  } = snapshotJsonSchema() as Json & { $defs: Record<string, Json> };
  const model = toComponentRefs({ Snapshot: snapshot, ...$defs }) as Record<string, Json>;
  return {
    ...model,
    FlagInput: {
      ...withoutRequired(model.Flag!, 'version'),
      description: 'A flag as submitted; the store assigns `version`.',
    },
    SegmentInput: {
      ...withoutRequired(model.Segment!, 'version'),
      description: 'A segment as submitted; the store assigns `version`.',
    },
    FlagList: listOf('flags', 'Flag'),
    SegmentList: listOf('segments', 'Segment'),
    EnvironmentList: {
      type: 'object',
      properties: {
        environments: {
          type: 'array',
          items: {
            type: 'object',
            properties: { name: { type: 'string' }, version: { type: 'integer' } },
          },
        },
      },
    },
    AuditList: {
      type: 'object',
      properties: {
        environment: { type: 'string' },
        kind: { enum: ['flag', 'segment'] },
        key: { type: 'string' },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              version: { type: 'integer' },
              at: { type: 'string', format: 'date-time' },
              actor: { type: 'string', description: 'Admin token name, or a system actor.' },
              action: { type: 'string' },
              before: { description: 'The entry before the change (null: created).' },
              after: { description: 'The entry after the change (null: deleted).' },
            },
          },
        },
      },
    },
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem details (application/problem+json).',
      required: ['type', 'title', 'status', 'detail'],
      properties: {
        type: { type: 'string', format: 'uri' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        errors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'message'],
            properties: {
              path: { type: 'string', description: 'JSON pointer into the submitted body.' },
              message: { type: 'string' },
            },
          },
        },
      },
    },
  };
}

function parametersOf(schema: Json): Json[] {
  const from = (part: unknown, where: 'path' | 'query' | 'header'): Json[] => {
    const { properties = {}, required = [] } = (part ?? {}) as {
      properties?: Record<string, Json>;
      required?: string[];
    };
    return Object.entries(properties).map(([name, property]) => {
      const { description, ...rest } = property;
      return {
        name,
        in: where,
        required: where === 'path' || required.includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      };
    });
  };
  return [
    ...from(schema.params, 'path'),
    ...from(schema.querystring, 'query'),
    ...from(schema.headers, 'header'),
  ];
}

function responsesOf(schema: Json): Json {
  const responses = (schema.response ?? { 200: { description: 'OK' } }) as Record<string, Json>;
  return Object.fromEntries(
    Object.entries(responses).map(([status, response]) => {
      const { description = 'OK', ...body } = response;
      const mediaType = Number(status) >= 400 ? 'application/problem+json' : 'application/json';
      const hasBody = body.type !== 'null' && Object.keys(body).length > 0;
      return [
        status,
        { description, ...(hasBody ? { content: { [mediaType]: { schema: body } } } : {}) },
      ];
    }),
  );
}

/**
 * Builds the OpenAPI 3.1 document of a route prefix from the routes' own schemas (summary,
 * params, querystring, headers, body, response), collected through Fastify's `onRoute`
 * hook, so the document cannot drift from what the routes validate.
 */
export class OpenApiCollector {
  private readonly routes: CollectedRoute[] = [];
  private cached: Json | undefined;

  constructor(
    private readonly prefix: string,
    private readonly info: { title: string; version: string; description?: string },
  ) {}

  /** Register with `app.addHook('onRoute', collector.onRoute)` before the routes. */
  readonly onRoute = (route: RouteOptions): void => {
    if (!route.url.startsWith(this.prefix)) return;
    const isPublic = (route.config as { publicRoute?: boolean } | undefined)?.publicRoute === true;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD')
        this.routes.push({
          method: method.toLowerCase(),
          url: route.url,
          schema: (route.schema ?? {}) as Json,
          isPublic,
        });
    }
    this.cached = undefined;
  };

  /** The document. */
  document(): Json {
    if (this.cached !== undefined) return this.cached;
    const paths: Record<string, Record<string, Json>> = {};
    for (const { method, url, schema, isPublic } of this.routes) {
      const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const { summary, description, tags, operationId, body } = schema;
      (paths[path] ??= {})[method] = {
        ...(operationId ? { operationId } : {}),
        ...(summary ? { summary } : {}),
        ...(description ? { description } : {}),
        ...(tags ? { tags } : {}),
        parameters: parametersOf(schema),
        ...(body
          ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } }
          : {}),
        responses: responsesOf(schema),
        ...(isPublic ? { security: [] } : {}),
      };
    }
    this.cached = {
      openapi: '3.1.0',
      info: this.info,
      paths,
      components: {
        schemas: components(),
        securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ adminToken: [] }],
    };
    return this.cached;
  }
}
