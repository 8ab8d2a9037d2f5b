import type { Flag, Segment, Snapshot } from '@switchyard/core';
import type { FastifyInstance } from 'fastify';
import { HttpProblem } from '../http-problem';
import {
  coreValidatedBody,
  entryParams,
  envParams,
  problemResponses,
  ref,
  writeHeaders,
  writeProblemResponses,
} from './admin-schemas';
import {
  bodyObject,
  commitEntryWrite,
  sendWritten,
  snapshotOf,
  type AdminDeps,
} from './admin-write';
import { dependantsOfFlag, dependantsOfSegment } from './dependants';
import { KEY_PATTERN, preconditionFailure } from './entry-errors';

const has = (record: object, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(record, key);

const describeDependants = (dependants: { kind: string; key: string }[]): string =>
  [...new Set(dependants.map((d) => `${d.kind} ${d.key}`))].join(', ');

/**
 * List, get, create (POST), replace (PUT) and delete for flags or segments of an
 * environment. Bodies are whole entries, validated by core inside the store's commit.
 */
export function registerEntryRoutes(
  app: FastifyInstance,
  deps: AdminDeps,
  kind: 'flag' | 'segment',
): void {
  const plural = kind === 'flag' ? 'flags' : 'segments';
  const Kind = kind === 'flag' ? 'Flag' : 'Segment';
  const base = `/admin/v1/environments/:env/${plural}`;
  const tags = [plural];
  const entriesOf = (snapshot: Snapshot): Record<string, Flag | Segment> => snapshot[plural];

  app.get(
    base,
    {
      schema: {
        summary: `List the ${plural} of an environment`,
        operationId: `list${Kind}s`,
        tags,
        params: envParams,
        response: { 200: ref(`${Kind}List`), ...problemResponses },
      },
    },
    async (request) => {
      const { env } = request.params as { env: string };
      const snapshot = snapshotOf(deps.store, env);
      const entries = Object.values(entriesOf(snapshot)).sort((a, b) => (a.key < b.key ? -1 : 1));
      return { environment: env, version: snapshot.version, [plural]: entries };
    },
  );

  app.get(
    `${base}/:key`,
    {
      schema: {
        summary: `Get a ${kind}; ETag is its version`,
        operationId: `get${Kind}`,
        tags,
        params: entryParams,
        response: { 200: ref(Kind), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { env, key } = request.params as { env: string; key: string };
      const entries = entriesOf(snapshotOf(deps.store, env));
      if (!has(entries, key))
        throw new HttpProblem('not-found', `there is no ${kind} ${key} in ${env}`);
      const entry = entries[key]!;
      return reply.header('etag', `"${entry.version}"`).send(entry);
    },
  );

  app.post(
    base,
    {
      ...coreValidatedBody,
      schema: {
        summary: `Create a ${kind}`,
        operationId: `create${Kind}`,
        tags,
        params: envParams,
        headers: writeHeaders,
        body: ref(`${Kind}Input`),
        response: { 201: ref(Kind), ...writeProblemResponses },
      },
    },
    async (request, reply) => {
      const { env } = request.params as { env: string };
      const body = bodyObject(request.body);
      const key = body.key;
      if (typeof key !== 'string')
        throw new HttpProblem('validation', `the ${kind} needs a key`, [
          { path: '/key', message: 'is required (a string)' },
        ]);
      if (!KEY_PATTERN.test(key))
        throw new HttpProblem('validation', `the ${kind} key is invalid`, [
          { path: '/key', message: `must match ${String(KEY_PATTERN)}` },
        ]);
      const result = await commitEntryWrite(deps, request, {
        environment: env,
        kind,
        key,
        action: `${kind}.create`,
        change: (current) =>
          has(entriesOf(current), key)
            ? new HttpProblem('conflict', `${kind} ${key} already exists; replace it with PUT`)
            : { [plural]: { [key]: body as unknown as Flag & Segment } },
      });
      reply.header(
        'location',
        `/admin/v1/environments/${encodeURIComponent(env)}/${plural}/${encodeURIComponent(key)}`,
      );
      return sendWritten(reply, result, 201);
    },
  );

  app.put(
    `${base}/:key`,
    {
      ...coreValidatedBody,
      schema: {
        summary: `Replace a ${kind}`,
        operationId: `replace${Kind}`,
        tags,
        params: entryParams,
        headers: writeHeaders,
        body: ref(`${Kind}Input`),
        response: { 200: ref(Kind), ...writeProblemResponses },
      },
    },
    async (request, reply) => {
      const { env, key } = request.params as { env: string; key: string };
      const body = bodyObject(request.body);
      if (body.key !== undefined && body.key !== key) {
        throw new HttpProblem('validation', `the body is for another ${kind}`, [
          { path: '/key', message: `must equal the key in the URL (${JSON.stringify(key)})` },
        ]);
      }
      const result = await commitEntryWrite(deps, request, {
        environment: env,
        kind,
        key,
        action: `${kind}.replace`,
        change: (current, expected) => {
          const existing = entriesOf(current)[key];
          if (existing === undefined || !has(entriesOf(current), key))
            return new HttpProblem(
              'not-found',
              `there is no ${kind} ${key} in ${env}; create it with POST`,
            );
          return (
            preconditionFailure(kind, key, existing, expected) ?? {
              [plural]: { [key]: { ...body, key } as unknown as Flag & Segment },
            }
          );
        },
      });
      return sendWritten(reply, result);
    },
  );

  app.delete(
    `${base}/:key`,
    {
      schema: {
        summary: `Delete a ${kind} (204 when already gone; 409 while something uses it)`,
        operationId: `delete${Kind}`,
        tags,
        params: entryParams,
        headers: writeHeaders,
        response: {
          204: { description: 'Deleted, or already gone', type: 'null' },
          ...writeProblemResponses,
        },
      },
    },
    async (request, reply) => {
      const { env, key } = request.params as { env: string; key: string };
      const result = await commitEntryWrite(deps, request, {
        environment: env,
        kind,
        key,
        action: `${kind}.delete`,
        change: (current, expected) => {
          if (!has(entriesOf(current), key)) return {}; // already gone: deletes are idempotent
          const stale = preconditionFailure(kind, key, entriesOf(current)[key], expected);
          if (stale !== undefined) return stale;
          const dependants =
            kind === 'flag' ? dependantsOfFlag(current, key) : dependantsOfSegment(current, key);
          if (dependants.length > 0) {
            return new HttpProblem(
              'referenced',
              `${kind} ${key} is still used by ${describeDependants(dependants)}; change those first`,
              dependants.map((d) => ({
                path: d.path,
                message: `${d.kind} ${d.key} uses ${kind} ${key}`,
              })),
            );
          }
          return { [plural]: { [key]: null } };
        },
      });
      return sendWritten(reply, { ...result, entry: undefined });
    },
  );
}
