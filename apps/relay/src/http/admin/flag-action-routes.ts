import type { Flag, Serve, Snapshot, WeightedVariation } from '@switchyard/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem } from '../http-problem';
import {
  entryParams,
  ref,
  ruleParams,
  serveBody,
  targetsBody,
  weightsBody,
  writeHeaders,
  writeProblemResponses,
} from './admin-schemas';
import { commitEntryWrite, sendWritten, type AdminDeps, type WriteResult } from './admin-write';
import { preconditionFailure } from './entry-errors';

/** A change to one flag: the next flag, `undefined` when nothing changes, or a refusal. */
type FlagEdit = (flag: Flag) => Flag | undefined | HttpProblem;

/** Applies `edit` to a flag inside the store's commit, after checking it exists and If-Match. */
async function editFlag(
  deps: AdminDeps,
  request: FastifyRequest,
  action: string,
  edit: FlagEdit,
  bodyPointer?: (flag: Flag) => string,
): Promise<WriteResult> {
  const { env, key } = request.params as { env: string; key: string };
  const flagOf = (current: Snapshot): Flag | undefined =>
    Object.prototype.hasOwnProperty.call(current.flags, key) ? current.flags[key] : undefined;
  return commitEntryWrite(deps, request, {
    environment: env,
    kind: 'flag',
    key,
    action,
    bodyPointer: (current) => {
      const flag = flagOf(current);
      return flag === undefined || bodyPointer === undefined ? '' : bodyPointer(flag);
    },
    change: (current, expected) => {
      const flag = flagOf(current);
      if (flag === undefined)
        return new HttpProblem('not-found', `there is no flag ${key} in ${env}`);
      const stale = preconditionFailure('flag', key, flag, expected);
      if (stale !== undefined) return stale;
      const next = edit(flag);
      if (next instanceof HttpProblem) return next;
      return next === undefined ? {} : { flags: { [key]: next } };
    },
  });
}

/** Turning a flag off stops its active progressive rollout (DESIGN §6); weights stay. */
function disable(flag: Flag): Flag | undefined {
  if (!flag.enabled) return undefined;
  const rollout = flag.rollout;
  const active = rollout !== undefined && (rollout.status ?? 'active') === 'active';
  return {
    ...flag,
    enabled: false,
    ...(active ? { rollout: { ...rollout, status: 'stopped' as const } } : {}),
  };
}

function retarget(
  flag: Flag,
  body: { variation: string; add?: string[]; remove?: string[] },
): Flag | undefined | HttpProblem {
  if (!flag.variations.some((variation) => variation.name === body.variation)) {
    return new HttpProblem(
      'validation',
      `flag ${flag.key} has no variation ${JSON.stringify(body.variation)}`,
      [
        {
          path: '/variation',
          message: `must be one of ${flag.variations.map((v) => JSON.stringify(v.name)).join(', ')}`,
        },
      ],
    );
  }
  const current = flag.targets?.[body.variation] ?? [];
  if (!Array.isArray(current))
    return new HttpProblem('validation', 'these targets are hashed and cannot be edited by key', [
      { path: '/variation', message: 'targets hashed keys' },
    ]);
  const removed = new Set(body.remove ?? []);
  const next = [...new Set([...current.filter((key) => !removed.has(key)), ...(body.add ?? [])])];
  if (next.length === current.length && next.every((key, i) => key === current[i]))
    return undefined;
  const targets = { ...flag.targets };
  if (next.length === 0) delete targets[body.variation];
  else targets[body.variation] = next;
  return { ...flag, targets };
}

function setRuleWeights(
  flag: Flag,
  ruleId: string,
  body: { weights: WeightedVariation[]; bucketBy?: string },
): Flag | HttpProblem {
  const index = (flag.rules ?? []).findIndex((rule) => rule.id === ruleId);
  if (index < 0)
    return new HttpProblem('not-found', `flag ${flag.key} has no rule ${JSON.stringify(ruleId)}`);
  const { variation: _fixed, ...rule } = flag.rules![index]!;
  const rules = [...flag.rules!];
  rules[index] = {
    ...rule,
    weights: body.weights,
    ...(body.bucketBy !== undefined ? { bucketBy: body.bucketBy } : {}),
  };
  return { ...flag, rules };
}

/**
 * The everyday flag edits: kill switch on and off, target keys, fallthrough and rule
 * weights. Each is one versioned, audited commit; an edit that changes nothing commits nothing.
 */
export function registerFlagActionRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const base = '/admin/v1/environments/:env/flags/:key';
  const tags = ['flags'];
  const response = { 200: ref('Flag'), ...writeProblemResponses };

  for (const [verb, edit] of [
    ['enable', (flag: Flag) => (flag.enabled ? undefined : { ...flag, enabled: true })],
    ['disable', disable],
  ] as const) {
    app.post(
      `${base}/${verb}`,
      {
        schema: {
          summary: `${verb === 'enable' ? 'Enable' : 'Disable (kill switch)'} a flag`,
          operationId: `${verb}Flag`,
          tags,
          params: entryParams,
          headers: writeHeaders,
          response,
        },
      },
      async (request, reply) =>
        sendWritten(reply, await editFlag(deps, request, `flag.${verb}`, edit)),
    );
  }

  app.post(
    `${base}/targets`,
    {
      schema: {
        summary: 'Add or remove context keys targeted to a variation',
        operationId: 'editFlagTargets',
        tags,
        params: entryParams,
        headers: writeHeaders,
        body: targetsBody,
        response,
      },
    },
    async (request, reply) => {
      const body = request.body as { variation: string; add?: string[]; remove?: string[] };
      return sendWritten(
        reply,
        await editFlag(deps, request, 'flag.targets', (flag) => retarget(flag, body)),
      );
    },
  );

  app.put(
    `${base}/fallthrough`,
    {
      schema: {
        summary: 'Set what the flag serves when no target or rule matches',
        operationId: 'setFlagFallthrough',
        tags,
        params: entryParams,
        headers: writeHeaders,
        body: serveBody,
        response,
      },
    },
    async (request, reply) => {
      const serve = request.body as Serve;
      const result = await editFlag(
        deps,
        request,
        'flag.fallthrough',
        (flag) => ({ ...flag, fallthrough: serve }),
        () => '/fallthrough',
      );
      return sendWritten(reply, result);
    },
  );

  app.put(
    `${base}/rules/:ruleId/weights`,
    {
      schema: {
        summary: 'Set the weights a rule serves',
        operationId: 'setFlagRuleWeights',
        tags,
        params: ruleParams,
        headers: writeHeaders,
        body: weightsBody,
        response,
      },
    },
    async (request, reply) => {
      const { ruleId } = request.params as { ruleId: string };
      const body = request.body as { weights: WeightedVariation[]; bucketBy?: string };
      const pointer = (flag: Flag): string =>
        `/rules/${(flag.rules ?? []).findIndex((rule) => rule.id === ruleId)}`;
      const result = await editFlag(
        deps,
        request,
        'flag.rule-weights',
        (flag) => setRuleWeights(flag, ruleId, body),
        pointer,
      );
      return sendWritten(reply, result);
    },
  );
}
