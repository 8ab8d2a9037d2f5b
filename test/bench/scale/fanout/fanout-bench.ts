/**
 * `pnpm bench:fanout`: one server, N subscribers (half SSE, half WebSocket) spread over
 * several client processes, M writes at a steady pace; per write, the propagation from the
 * writer's acknowledgement to the last subscriber applying the patch. Runs the floor
 * (floor-server.ts: node:http + ws writing one pre-encoded buffer) and the relay against
 * the same clients in the same run, and reports every relay figure as a ratio to the floor.
 */
import { fileURLToPath } from 'node:url';
import { booleanFlag } from '@switchyard/testkit';
import { isMainModule } from '../lib/args';
import { runBenchCommand } from '../lib/bench-command';
import { describeMachine } from '../lib/machine';
import { rssBytes, cpuMs, sampleRss } from '../lib/proc-stats';
import {
  defaultMode,
  launchRelay,
  TEST_KEYS,
  type LaunchedRelay,
  type RelayMode,
} from '../lib/relay-launcher';
import { table } from '../lib/results-file';
import { fixed, median, ratio, sleep, summary, waitFor, wallNow } from '../lib/stats';
import { forkWorker, type Worker } from '../lib/worker-rpc';
import { callAll, forkWorkers, killAll, split } from '../lib/workers';
import type { FanoutReport } from './fanout-client';

const CLIENT = fileURLToPath(new URL('./fanout-client.ts', import.meta.url));
const FLOOR = fileURLToPath(new URL('./floor-server.ts', import.meta.url));
const SEED_FLAGS = 10;
const WRITTEN_FLAG = 'fanout-0';

/** Options of a fan-out run. */
export interface FanoutOptions {
  sizes: number[];
  /** Writes per size and server. */
  writes: number;
  /** The first writes, left out of the steady-state figures. */
  warmup: number;
  /** Milliseconds between writes; undefined: 100 + 0.04 × N. */
  intervalMs?: number;
  /** Client processes. */
  workers: number;
  /** Connections each client process opens at once. */
  concurrency: number;
  mode: RelayMode;
  /** The relay's heartbeat; long by default so heartbeats do not land inside the writes. */
  heartbeatMs: number;
  logLevel: string;
  /** Which servers to run (default both). */
  servers: ('floor' | 'relay')[];
  /** Print every write's propagation. */
  verbose?: boolean;
  /** Extra node flags for the relay (`--cpu-prof`, say). */
  relayNodeArgs?: string[];
  log?: (line: string) => void;
}

/** What one server did for one N. */
export interface PhaseResult {
  server: 'floor' | 'relay';
  n: number;
  opened: number;
  failed: number;
  connectMs: number;
  writes: number;
  intervalMs: number;
  all: { p50: number; p99: number; max: number };
  steady: { p50: number; p99: number; max: number };
  /** Subscriber-writes that never arrived (expected N per write). */
  lost: number;
  gaps: number;
  closedEarly: number;
  rssBaseline: number;
  rssIdle: number;
  bytesPerIdleConnection: number;
  peakRss: number;
  cpuPerChangeUs: number;
  patchBytes: { sse: number; ws: number };
}

interface Server {
  pid: number;
  write(index: number): Promise<{ version: number; ackAt: number }>;
  stop(): Promise<void>;
  port: number;
}

const flagBody = (index: number) =>
  booleanFlag(WRITTEN_FLAG, {
    description: `fan-out write ${index}`,
    fallthrough: { variation: index % 2 === 0 ? 'on' : 'off' },
  });

async function startFloor(): Promise<Server> {
  const worker: Worker = forkWorker(FLOOR);
  const flags = Object.fromEntries(
    Array.from({ length: SEED_FLAGS }, (_, i) => [`fanout-${i}`, booleanFlag(`fanout-${i}`)]),
  );
  const put = {
    schemaVersion: 1,
    environment: TEST_KEYS.environment,
    version: SEED_FLAGS,
    flags,
    segments: {},
  };
  const port = await worker.call<number>('start', { port: 0, put });
  return {
    pid: worker.pid,
    port,
    async write(index) {
      const response = await fetch(`http://127.0.0.1:${port}/publish`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(flagBody(index)),
      });
      const { version } = (await response.json()) as { version: number };
      return { version, ackAt: wallNow() };
    },
    stop: () => worker.kill(),
  };
}

async function startRelayServer(options: FanoutOptions): Promise<Server> {
  const relay: LaunchedRelay = await launchRelay({
    mode: options.mode,
    logLevel: options.logLevel,
    config: { heartbeatMs: options.heartbeatMs },
    ...(options.relayNodeArgs === undefined ? {} : { nodeArgs: options.relayNodeArgs }),
  });
  for (let i = 0; i < SEED_FLAGS; i++) {
    const created = await relay.admin('POST', '/flags', booleanFlag(`fanout-${i}`));
    if (created.status !== 201) throw new Error(`seeding failed: ${JSON.stringify(created)}`);
  }
  return {
    pid: relay.pid,
    port: relay.port,
    async write(index) {
      const written = await relay.admin('PUT', `/flags/${WRITTEN_FLAG}`, flagBody(index));
      const ackAt = wallNow();
      if (written.status !== 200) throw new Error(`write failed: ${JSON.stringify(written)}`);
      return { version: Number(JSON.parse(written.headers.get('etag')!)), ackAt };
    },
    stop: async () => {
      await relay.stop();
    },
  };
}

const rssMedian = async (pid: number): Promise<number> => {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssBytes(pid));
    await sleep(100);
  }
  return median(samples);
};

async function runPhase(
  kind: 'floor' | 'relay',
  n: number,
  options: FanoutOptions,
): Promise<PhaseResult> {
  const log = options.log ?? console.log;
  const intervalMs = options.intervalMs ?? Math.round(100 + 0.04 * n);
  const server = kind === 'floor' ? await startFloor() : await startRelayServer(options);
  const workers = forkWorkers(CLIENT, options.workers);
  try {
    await sleep(500);
    const rssBaseline = await rssMedian(server.pid);
    const shares = split(n, options.workers);
    const connectStart = performance.now();
    const opened = await Promise.all(
      workers.map((worker, i) => {
        const [sse, ws] = split(shares[i]!, 2);
        return worker.call<{ opened: number; failed: number }>('open', {
          host: '127.0.0.1',
          port: server.port,
          key: TEST_KEYS.server,
          sse,
          ws,
          concurrency: options.concurrency,
        });
      }),
    );
    const connectMs = performance.now() - connectStart;
    const openedCount = opened.reduce((sum, o) => sum + o.opened, 0);
    const failed = opened.reduce((sum, o) => sum + o.failed, 0);
    log(`  ${kind} N=${n}: ${openedCount} subscribed (${failed} failed) in ${fixed(connectMs)} ms`);
    await callAll(workers, 'reset');
    await sleep(2000);
    const rssIdle = await rssMedian(server.pid);
    const idleCpu0 = cpuMs(server.pid);
    await sleep(1000);
    const idleRate = (cpuMs(server.pid) - idleCpu0) / 1000;

    const rss = sampleRss(() => server.pid, 50);
    const cpuStart = cpuMs(server.pid);
    const wallStart = performance.now();
    const acks: { version: number; ackAt: number }[] = [];
    for (let i = 0; i < options.writes; i++) {
      const due = wallStart + i * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      acks.push(await server.write(i));
    }
    const last = acks[acks.length - 1]!.version;
    const allApplied = await waitFor(async () => {
      const progress = await callAll<{ at: number; open: number }>(workers, 'progress', last);
      return progress.reduce((sum, p) => sum + p.at, 0) >= openedCount;
    }, 60_000);
    const elapsed = performance.now() - wallStart;
    const cpuUsed = cpuMs(server.pid) - cpuStart - idleRate * elapsed;
    const peakRss = rss.stop();
    if (!allApplied) log(`  ${kind} N=${n}: not every subscriber reached version ${last} in 60 s`);

    const reports = await callAll<FanoutReport>(workers, 'report');
    const merged = new Map<number, { count: number; last: number }>();
    for (const report of reports) {
      for (const [version, count, , lastAt] of report.versions) {
        const seen = merged.get(version) ?? { count: 0, last: -Infinity };
        seen.count += count;
        seen.last = Math.max(seen.last, lastAt);
        merged.set(version, seen);
      }
    }
    const propagation = acks.map(({ version, ackAt }) => {
      const seen = merged.get(version);
      return seen === undefined ? NaN : seen.last - ackAt;
    });
    if (options.verbose === true) {
      log(`  ${kind} N=${n} per write (ms): ${propagation.map((p) => p.toFixed(0)).join(' ')}`);
    }
    const lost = acks.reduce(
      (sum, { version }) => sum + (openedCount - (merged.get(version)?.count ?? 0)),
      0,
    );
    const gaps = reports.reduce((sum, r) => sum + r.gaps, 0);
    const samples = reports.flatMap((r) => r.gapSamples).slice(0, 3);
    if (gaps > 0) log(`  ${kind} N=${n}: ${gaps} out-of-order patches, e.g. ${samples.join('; ')}`);
    const result: PhaseResult = {
      server: kind,
      n,
      opened: openedCount,
      failed,
      connectMs,
      writes: acks.length,
      intervalMs,
      all: summary(propagation.filter(Number.isFinite)),
      steady: summary(propagation.slice(options.warmup).filter(Number.isFinite)),
      lost,
      gaps,
      closedEarly: reports.reduce((sum, r) => sum + r.closedEarly, 0),
      rssBaseline,
      rssIdle,
      bytesPerIdleConnection: (rssIdle - rssBaseline) / Math.max(1, openedCount),
      peakRss,
      cpuPerChangeUs: (cpuUsed * 1000) / acks.length,
      patchBytes: reports[0]?.patchBytes ?? { sse: NaN, ws: NaN },
    };
    log(
      `  ${kind} N=${n}: steady p50 ${fixed(result.steady.p50, 1)} ms, p99 ${fixed(result.steady.p99, 1)} ms, ` +
        `max ${fixed(result.steady.max, 1)} ms; lost ${lost}; ${fixed(result.bytesPerIdleConnection / 1024, 1)} KB/conn; ` +
        `${fixed(result.cpuPerChangeUs)} µs CPU/change`,
    );
    return result;
  } finally {
    await callAll(workers, 'close').catch(() => undefined);
    await killAll(workers);
    await server.stop();
    await sleep(500);
  }
}

/** Runs every size against the floor then the relay. */
export async function runFanout(options: FanoutOptions): Promise<PhaseResult[]> {
  const results: PhaseResult[] = [];
  for (const n of options.sizes) {
    for (const server of options.servers) {
      results.push(await runPhase(server, n, options));
    }
  }
  return results;
}

const ms = (value: number): string => fixed(value, 1);
const goal = (value: number, floor: number, limit = 1.25): string =>
  !Number.isFinite(value) || !Number.isFinite(floor)
    ? '-'
    : value / floor <= limit
      ? 'met'
      : 'missed';

/** The RESULTS.md section for a run. */
export function fanoutMarkdown(
  results: PhaseResult[],
  options: FanoutOptions,
  command: string,
): string {
  const sizes = [...new Set(results.map((r) => r.n))];
  const pair = (n: number) => ({
    floor: results.find((r) => r.n === n && r.server === 'floor'),
    relay: results.find((r) => r.n === n && r.server === 'relay'),
  });
  const propagationRows = (which: 'steady' | 'all') =>
    sizes.map((n) => {
      const { floor, relay } = pair(n);
      const f = floor?.[which];
      const r = relay?.[which];
      return [
        n.toLocaleString('en-US'),
        ms(f?.p50 ?? NaN),
        ms(f?.p99 ?? NaN),
        ms(f?.max ?? NaN),
        ms(r?.p50 ?? NaN),
        ms(r?.p99 ?? NaN),
        ms(r?.max ?? NaN),
        ratio(r?.p50 ?? NaN, f?.p50 ?? NaN),
        ratio(r?.p99 ?? NaN, f?.p99 ?? NaN),
        `${goal(r?.p50 ?? NaN, f?.p50 ?? NaN)} / ${goal(r?.p99 ?? NaN, f?.p99 ?? NaN)}`,
      ];
    });
  const header = [
    'N',
    'floor p50',
    'floor p99',
    'floor max',
    'relay p50',
    'relay p99',
    'relay max',
    'p50 ratio',
    'p99 ratio',
    'goal ≤ 1.25× (p50 / p99)',
  ];
  const resourceRows = sizes.map((n) => {
    const { floor, relay } = pair(n);
    const kb = (r?: PhaseResult) => fixed((r?.bytesPerIdleConnection ?? NaN) / 1024, 1);
    const mb = (value: number) => fixed(value / 1024 ** 2);
    const perWrite = (r?: PhaseResult) => fixed((r?.cpuPerChangeUs ?? NaN) / n, 1);
    return [
      n.toLocaleString('en-US'),
      kb(floor),
      kb(relay),
      ratio(relay?.bytesPerIdleConnection ?? NaN, floor?.bytesPerIdleConnection ?? NaN),
      goal(relay?.bytesPerIdleConnection ?? NaN, floor?.bytesPerIdleConnection ?? NaN),
      `${mb(floor?.rssIdle ?? NaN)} / ${mb(floor?.peakRss ?? NaN)}`,
      `${mb(relay?.rssIdle ?? NaN)} / ${mb(relay?.peakRss ?? NaN)}`,
      `${fixed((floor?.cpuPerChangeUs ?? NaN) / 1000, 1)} (${perWrite(floor)})`,
      `${fixed((relay?.cpuPerChangeUs ?? NaN) / 1000, 1)} (${perWrite(relay)})`,
      ratio(relay?.cpuPerChangeUs ?? NaN, floor?.cpuPerChangeUs ?? NaN),
    ];
  });
  const deliveryRows = results.map((r) => [
    `${r.n.toLocaleString('en-US')} ${r.server}`,
    `${r.opened} / ${r.failed}`,
    fixed(r.connectMs),
    `${r.writes} every ${r.intervalMs} ms`,
    `${(r.writes * r.opened - r.lost).toLocaleString('en-US')} / ${(r.writes * r.opened).toLocaleString('en-US')}`,
    String(r.lost),
    String(r.gaps),
    String(r.closedEarly),
    `${r.patchBytes.sse} / ${r.patchBytes.ws}`,
  ]);
  return [
    '## Fan-out: propagation of one change to N subscribers',
    '',
    `Command: \`${command}\` (about ${Math.ceil(sizes.reduce((s, n) => s + 60 + n / 200, 0) / 60)} minutes). Machine: ${describeMachine()}.`,
    '',
    `Half the subscribers use SSE and half WebSocket, spread over ${options.workers} client processes; ` +
      `${options.writes} writes per size at a steady pace (an admin \`PUT\` of one flag for the relay, ` +
      `\`POST /publish\` for the floor), each awaited before the next. Propagation = the writer's ` +
      `acknowledgement to the last subscriber having parsed and applied the patch ` +
      `(\`from\` checked against the held version), all clocks \`performance.timeOrigin + performance.now()\`. ` +
      `Steady state leaves out the first ${options.warmup} writes. The floor is \`fanout/floor-server.ts\` ` +
      `(node:http + ws, one pre-encoded buffer, sliced 1,000 per turn, like the relay). Relay: ` +
      `\`${options.mode}\`, log level \`${options.logLevel}\`, heartbeat ${options.heartbeatMs / 1000} s.`,
    '',
    '### Propagation, steady state (ms)',
    '',
    table(header, propagationRows('steady')),
    '',
    '### Propagation, every write including the warm-up (ms)',
    '',
    table(header, propagationRows('all')),
    '',
    '### Memory and CPU',
    '',
    'KB per idle connection = (RSS with N idle subscribers − RSS before any) / N, medians of 5 ' +
      'samples. CPU per change = process CPU time during the writes (less its idle rate) / writes; ' +
      'in brackets per subscriber write (µs). RSS idle / peak during the writes in MB.',
    '',
    table(
      [
        'N',
        'floor KB/conn',
        'relay KB/conn',
        'ratio',
        'goal ≤ 1.25×',
        'floor RSS MB',
        'relay RSS MB',
        'floor CPU ms/change (µs/write)',
        'relay CPU ms/change (µs/write)',
        'CPU ratio',
      ],
      resourceRows,
    ),
    '',
    '### Delivery (goal: nothing lost, in order)',
    '',
    table(
      [
        'N, server',
        'subscribed / failed',
        'connect ms',
        'writes',
        'applied / expected',
        'lost',
        'out of order',
        'dropped',
        'patch bytes SSE / WS',
      ],
      deliveryRows,
    ),
  ].join('\n');
}

if (isMainModule(import.meta.url)) {
  await runBenchCommand({
    name: 'fanout',
    label: 'fan-out',
    usage:
      'pnpm bench:fanout [--sizes=1000,5000,10000] [--writes=40] [--warmup=5] [--interval-ms=auto]\n' +
      '  [--workers=4] [--concurrency=100] [--servers=floor,relay] [--mode=built|source]\n' +
      '  [--log-level=info] [--heartbeat-ms=300000] [--verbose] [--relay-cpu-prof=DIR]\n' +
      '  [--no-build] [--no-results]',
    options: (args): FanoutOptions => ({
      sizes: args.numbers('sizes', [1000, 5000, 10_000]),
      writes: args.number('writes', 40),
      warmup: args.number('warmup', 5),
      ...(args.has('interval-ms') ? { intervalMs: args.number('interval-ms', 0) } : {}),
      workers: args.number('workers', 4),
      concurrency: args.number('concurrency', 100),
      mode: args.string('mode', defaultMode()) as RelayMode,
      heartbeatMs: args.number('heartbeat-ms', 300_000),
      logLevel: args.string('log-level', 'info'),
      servers: args.string('servers', 'floor,relay').split(',') as ('floor' | 'relay')[],
      verbose: args.has('verbose'),
      ...(args.has('relay-cpu-prof')
        ? { relayNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${args.string('relay-cpu-prof', '')}`] }
        : {}),
    }),
    run: runFanout,
    markdown: fanoutMarkdown,
    failed: (results) => results.reduce((sum, r) => sum + r.lost + r.gaps + r.failed, 0) > 0,
  });
}
