import type { Flag, Segment, Snapshot } from '@switchyard/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminWriteOutcome, RelayMetrics } from '../../metrics/relay-metrics';
import type { FlagStore, Mutation, MutationOutcome } from '../../store/flag-store';
import { HttpProblem } from '../http-problem';
import { adminOf } from './admin-auth';
import { parsePrecondition, toSubmittedPaths, type Precondition } from './entry-errors';

/** What the admin routes need. */
export interface AdminDeps {
  store: FlagStore;
  metrics: RelayMetrics;
}

/** One admin write to one flag or segment. */
export interface EntryWrite {
  environment: string;
  kind: 'flag' | 'segment';
  key: string;
  /** The audit log's action, e.g. `flag.enable`. */
  action: string;
  /**
   * Computes the change from the current snapshot, inside the store's commit (so checks
   * such as If-Match are atomic with it). Answers the entries to write, `{}` for "nothing
   * to do", or a problem to refuse with.
   */
  change: (current: Snapshot, expected: Precondition) => Mutation | HttpProblem;
  /** Where the request body sits inside the entry ('' = it is the entry), for error paths. */
  bodyPointer?: (current: Snapshot) => string;
}

/** What a write did. */
export interface WriteResult {
  /** The entry as committed (or as it is, when nothing changed); undefined once deleted. */
  entry: Flag | Segment | undefined;
  replayed: boolean;
}

const OUTCOMES: Partial<Record<HttpProblem['code'], AdminWriteOutcome>> = {
  conflict: 'conflict',
  referenced: 'conflict',
  validation: 'invalid',
  'invalid-request': 'invalid',
  'not-found': 'not_found',
  'idempotency-key-reused': 'rejected',
};

/** The current snapshot of an environment, or 404. */
export function snapshotOf(store: FlagStore, environment: string): Snapshot {
  const snapshot = store.snapshot(environment);
  if (snapshot === undefined)
    throw new HttpProblem('not-found', `there is no environment ${JSON.stringify(environment)}`);
  return snapshot;
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Runs an entry write through `store.update` (which validates the whole environment with
 * core and makes it durable), with `If-Match` checked inside the commit, `Idempotency-Key`
 * passed to the store, and every refusal turned into a problem whose paths point into the
 * submitted body. Counts the outcome.
 */
export async function commitEntryWrite(
  deps: AdminDeps,
  request: FastifyRequest,
  write: EntryWrite,
): Promise<WriteResult> {
  try {
    const result = await runWrite(deps, request, write);
    deps.metrics.adminWrite(result.outcome);
    return result;
  } catch (error) {
    deps.metrics.adminWrite(
      error instanceof HttpProblem ? (OUTCOMES[error.code] ?? 'rejected') : 'error',
    );
    throw error;
  }
}

async function runWrite(
  deps: AdminDeps,
  request: FastifyRequest,
  write: EntryWrite,
): Promise<WriteResult & { outcome: AdminWriteOutcome }> {
  snapshotOf(deps.store, write.environment);
  const expected = parsePrecondition(request.headers['if-match']);
  const idempotencyKey = header(request, 'idempotency-key');
  let refusal: HttpProblem | undefined;
  let bodyPointer = '';
  const result = await deps.store.update(write.environment, {
    actor: adminOf(request).name,
    action: write.action,
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    mutate: (current): MutationOutcome => {
      bodyPointer = write.bodyPointer?.(current) ?? '';
      const change = write.change(current, expected);
      if (!(change instanceof HttpProblem)) return { ok: true, mutation: change };
      refusal = change;
      return {
        ok: false,
        status: change.status === 404 ? 404 : change.status === 409 ? 409 : 422,
        message: change.detail,
      };
    },
  });
  const plural = write.kind === 'flag' ? 'flags' : 'segments';
  if (!result.ok) {
    if (refusal !== undefined) throw refusal;
    if (result.status === 422) {
      const errors = toSubmittedPaths(result.errors ?? [], write.kind, write.key, bodyPointer);
      throw new HttpProblem(
        'validation',
        `the ${write.kind} is invalid: ${errors.length} error(s)`,
        errors,
      );
    }
    throw new HttpProblem(result.status === 404 ? 'not-found' : 'conflict', result.message);
  }
  const { change } = result;
  if (result.replayed) {
    const concerns =
      change !== null &&
      (change.patch[plural]?.[write.key] !== undefined ||
        change.patch.deleted?.[plural]?.includes(write.key));
    if (!concerns)
      throw new HttpProblem(
        'idempotency-key-reused',
        `Idempotency-Key ${JSON.stringify(idempotencyKey)} was used for another change`,
      );
  }
  const written = change?.patch[plural]?.[write.key];
  const deleted = change?.patch.deleted?.[plural]?.includes(write.key) === true;
  const entry = deleted ? undefined : (written ?? result.snapshot[plural][write.key]);
  const outcome: AdminWriteOutcome = result.replayed
    ? 'replayed'
    : change === null
      ? 'unchanged'
      : 'ok';
  return { entry, replayed: result.replayed, outcome };
}

/** Answers a written entry with its version as ETag (or 204 once deleted). */
export function sendWritten(reply: FastifyReply, result: WriteResult, status = 200): FastifyReply {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  if (result.entry === undefined) return reply.code(204).send();
  return reply.code(status).header('etag', `"${result.entry.version}"`).send(result.entry);
}

/** The request body as an object, or a 400 naming what it is instead. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const what =
      body === undefined ? 'missing' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
    throw new HttpProblem('invalid-request', `the body must be a JSON object; it is ${what}`, [
      { path: '', message: 'must be an object' },
    ]);
  }
  return body as Record<string, unknown>;
}
