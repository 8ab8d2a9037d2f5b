/**
 * `pnpm bench:serve`: request throughput of one relay process with autocannon (in this
 * process; the relay is a child, so each has a core): the SDK snapshot and the OFREP bulk
 * evaluation, each fresh (200) and revalidated with If-None-Match (304).
 */
import autocannon from 'autocannon';
import { booleanFlag, segment } from '@switchyard/testkit';
import { isMainModule } from '../lib/args';
import { runBenchCommand } from '../lib/bench-command';
import { describeMachine } from '../lib/machine';
import {
  defaultMode,
  launchRelay,
  TEST_KEYS,
  type LaunchedRelay,
  type RelayMode,
} from '../lib/relay-launcher';
import { table } from '../lib/results-file';
import { fixed } from '../lib/stats';

/** Options of a serve run. */
export interface ServeOptions {
  durationS: number;
  warmupS: number;
  connections: number;
  logLevels: string[];
  mode: RelayMode;
  /** Only these scenarios (`snapshot-304`, `ofrep-200`...); default all. */
  only?: string[];
  /** Extra node flags for the relay (`--cpu-prof`, say). */
  relayNodeArgs?: string[];
  log?: (line: string) => void;
}

/** One scenario's figures. */
export interface ServeResult {
  logLevel: string;
  scenario: string;
  status: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  wrongStatus: number;
  errors: number;
  relayCpuPercent: number;
  bodyBytes: number;
}

interface Scenario {
  name: string;
  status: number;
  request: (relay: LaunchedRelay) => Promise<autocannon.Options>;
}

const OFREP_BODY = JSON.stringify({ context: { targetingKey: 'user-42', plan: 'pro' } });

const SCENARIOS: Scenario[] = [
  {
    name: 'snapshot',
    status: 200,
    request: async (relay) => ({
      url: `${relay.url}/sdk/v1/snapshot`,
      headers: { authorization: TEST_KEYS.server },
    }),
  },
  {
    name: 'snapshot',
    status: 304,
    request: async (relay) => {
      const response = await fetch(`${relay.url}/sdk/v1/snapshot`, {
        headers: { authorization: TEST_KEYS.server },
      });
      return {
        url: `${relay.url}/sdk/v1/snapshot`,
        headers: {
          authorization: TEST_KEYS.server,
          'if-none-match': response.headers.get('etag')!,
        },
      };
    },
  },
  {
    name: 'OFREP bulk',
    status: 200,
    request: async (relay) => ({
      url: `${relay.url}/ofrep/v1/evaluate/flags`,
      method: 'POST',
      headers: { authorization: TEST_KEYS.server, 'content-type': 'application/json' },
      body: OFREP_BODY,
    }),
  },
  {
    name: 'OFREP bulk',
    status: 304,
    request: async (relay) => {
      const response = await fetch(`${relay.url}/ofrep/v1/evaluate/flags`, {
        method: 'POST',
        headers: { authorization: TEST_KEYS.server, 'content-type': 'application/json' },
        body: OFREP_BODY,
      });
      return {
        url: `${relay.url}/ofrep/v1/evaluate/flags`,
        method: 'POST',
        headers: {
          authorization: TEST_KEYS.server,
          'content-type': 'application/json',
          'if-none-match': response.headers.get('etag')!,
        },
        body: OFREP_BODY,
      };
    },
  },
];

/** 20 flags (5 with a segment rule) and one segment: a modest real environment. */
async function seed(relay: LaunchedRelay): Promise<void> {
  await relay.admin('POST', '/segments', segment('beta', { included: ['user-1', 'user-2'] }));
  for (let i = 0; i < 20; i++) {
    const rules =
      i % 4 === 0
        ? [
            {
              id: 'beta',
              clauses: [{ attribute: 'key', operator: 'inSegment' as const, values: ['beta'] }],
              variation: 'on',
            },
            {
              id: 'pro',
              clauses: [{ attribute: 'plan', operator: 'equals' as const, values: ['pro'] }],
              weights: [
                { variation: 'on', weight: 25_000 },
                { variation: 'off', weight: 75_000 },
              ],
            },
          ]
        : undefined;
    const created = await relay.admin(
      'POST',
      '/flags',
      booleanFlag(`serve-${i}`, rules === undefined ? {} : { rules }),
    );
    if (created.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(created.body)}`);
  }
}

const cannon = (options: autocannon.Options): Promise<autocannon.Result> =>
  new Promise((resolve, reject) =>
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result))),
  );

/** Runs every scenario at every log level. */
export async function runServe(options: ServeOptions): Promise<ServeResult[]> {
  const log = options.log ?? console.log;
  const results: ServeResult[] = [];
  for (const logLevel of options.logLevels) {
    const relay = await launchRelay({
      mode: options.mode,
      logLevel,
      ...(options.relayNodeArgs === undefined ? {} : { nodeArgs: options.relayNodeArgs }),
    });
    try {
      await seed(relay);
      for (const scenario of SCENARIOS) {
        const id = `${scenario.name === 'snapshot' ? 'snapshot' : 'ofrep'}-${scenario.status}`;
        if (options.only !== undefined && !options.only.includes(id)) continue;
        const request = await scenario.request(relay);
        const base = { ...request, connections: options.connections, pipelining: 1 };
        if (options.warmupS > 0) await cannon({ ...base, duration: options.warmupS });
        const cpu0 = relay.cpuMs();
        const result = await cannon({ ...base, duration: options.durationS });
        const cpu = relay.cpuMs() - cpu0;
        const codes = result.statusCodeStats as unknown as Record<string, { count: number }>;
        const right = codes[String(scenario.status)]?.count ?? 0;
        const row: ServeResult = {
          logLevel,
          scenario: scenario.name,
          status: scenario.status,
          requests: result.requests.total,
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
          wrongStatus: result.requests.total - right,
          errors: result.errors + result.timeouts,
          relayCpuPercent: (cpu / (result.duration * 1000)) * 100,
          bodyBytes: result.throughput.total / Math.max(1, result.requests.total),
        };
        log(
          `  ${logLevel} ${scenario.name} ${scenario.status}: ${fixed(row.rps)} req/s, p99 ${row.p99} ms` +
            ` (${row.wrongStatus} wrong status, ${row.errors} errors, relay CPU ${fixed(row.relayCpuPercent)}%)`,
        );
        results.push(row);
      }
    } finally {
      await relay.stop();
    }
  }
  return results;
}

/** The RESULTS.md section for a run. */
export function serveMarkdown(results: ServeResult[], options: ServeOptions, command: string) {
  return [
    '## Serving throughput',
    '',
    `Command: \`${command}\`. Machine: ${describeMachine()}.`,
    '',
    `autocannon ${options.connections} connections, pipelining 1, ${options.durationS} s per row after a ` +
      `${options.warmupS} s warm-up, against one relay process (\`${options.mode}\`) holding 20 flags ` +
      `(5 with a segment rule and a 25% split) and one segment; server key in \`Authorization\`. OFREP ` +
      `bulk evaluates every flag for \`{"targetingKey": "user-42", "plan": "pro"}\`. 304 rows send ` +
      `the ETag back in \`If-None-Match\`. The log level is the relay's (\`info\`, its default, logs ` +
      `one line per request). autocannon runs in the bench process, so the relay has one core to itself ` +
      `and the load generator the other. Goal: ≥ 20,000 req/s for 304s.`,
    '',
    table(
      [
        'request',
        'status',
        'log level',
        'req/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'bytes/response',
        'relay CPU',
        'wrong status / errors',
        'goal',
      ],
      results.map((r) => [
        r.scenario,
        String(r.status),
        r.logLevel,
        fixed(r.rps),
        String(r.p50),
        String(r.p99),
        String(r.max),
        fixed(r.bodyBytes),
        `${fixed(r.relayCpuPercent)}%`,
        `${r.wrongStatus} / ${r.errors}`,
        r.status === 304 ? (r.rps >= 20_000 ? 'met' : 'missed') : '',
      ]),
    ),
  ].join('\n');
}

if (isMainModule(import.meta.url)) {
  await runBenchCommand({
    name: 'serve',
    usage:
      'pnpm bench:serve [--duration-s=10] [--warmup-s=2] [--connections=50]\n' +
      '  [--log-levels=info,warn] [--only=snapshot-200,snapshot-304,ofrep-200,ofrep-304]\n' +
      '  [--relay-cpu-prof=DIR] [--mode=built|source] [--no-build] [--no-results]',
    options: (args): ServeOptions => ({
      durationS: args.number('duration-s', 10),
      warmupS: args.number('warmup-s', 2),
      connections: args.number('connections', 50),
      logLevels: args.string('log-levels', 'info,warn').split(','),
      mode: args.string('mode', defaultMode()) as RelayMode,
      ...(args.has('only') ? { only: args.string('only', '').split(',') } : {}),
      ...(args.has('relay-cpu-prof')
        ? { relayNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${args.string('relay-cpu-prof', '')}`] }
        : {}),
    }),
    run: runServe,
    markdown: serveMarkdown,
    failed: (results) => !results.every((r) => r.wrongStatus === 0 && r.errors === 0),
  });
}
