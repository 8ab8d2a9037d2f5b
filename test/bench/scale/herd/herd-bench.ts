/**
 * `pnpm bench:herd`: N connected SDK sync clients (half SSE, half WebSocket, over several
 * processes), then one event: the relay restarted (SIGTERM and a new process on the same
 * port and data), killed and restarted (SIGKILL), or every socket dropped (`ss -K`). One
 * admin write follows at once. Measures the time until every client holds that write's
 * version, the relay's peak RSS, and how clients caught up: patches (resume) or a full put.
 */
import { fileURLToPath } from 'node:url';
import { booleanFlag } from '@switchyard/testkit';
import { isMainModule } from '../lib/args';
import { runBenchCommand } from '../lib/bench-command';
import { dropSockets } from '../lib/drop-sockets';
import { describeMachine } from '../lib/machine';
import { sampleRss } from '../lib/proc-stats';
import {
  defaultMode,
  launchRelay,
  TEST_KEYS,
  type LaunchedRelay,
  type RelayMode,
} from '../lib/relay-launcher';
import { table } from '../lib/results-file';
import { fixed, percentile, sleep, waitFor, wallNow } from '../lib/stats';
import { callAll, forkWorkers, killAll, split } from '../lib/workers';
import type { HerdClientReport } from './herd-client';

const CLIENT = fileURLToPath(new URL('./herd-client.ts', import.meta.url));

/** The event a scenario inflicts. */
export type HerdEvent = 'restart' | 'kill' | 'drop';

/** Options of a herd run. */
export interface HerdOptions {
  clients: number;
  events: HerdEvent[];
  workers: number;
  concurrency: number;
  mode: RelayMode;
  logLevel: string;
  /** Give up waiting for the herd after this long. */
  timeoutMs: number;
  backoff?: { initialMs?: number; maxMs?: number };
  log?: (line: string) => void;
}

/** What one scenario measured. */
export interface HerdResult {
  event: HerdEvent;
  clients: number;
  ready: number;
  connectMs: number;
  /** Event to every client holding the target version (ms); NaN if some never did. */
  allCurrentMs: number;
  /** From the relay answering again (restart/kill) or the drop (ms). */
  fromRelayUpMs: number;
  downMs: number;
  p50Ms: number;
  p99Ms: number;
  current: number;
  viaPatches: number;
  viaPut: number;
  reconnects: number;
  refused: number;
  errors: number;
  rssBefore: number;
  peakRss: number;
  dropped: number;
}

async function runScenario(event: HerdEvent, options: HerdOptions): Promise<HerdResult> {
  const log = options.log ?? console.log;
  let relay: LaunchedRelay = await launchRelay({ mode: options.mode, logLevel: options.logLevel });
  for (let i = 0; i < 10; i++) await relay.admin('POST', '/flags', booleanFlag(`herd-${i}`));
  const workers = forkWorkers(CLIENT, options.workers);
  try {
    const shares = split(options.clients, options.workers);
    const opened = await Promise.all(
      workers.map((worker, i) => {
        const [sse, ws] = split(shares[i]!, 2);
        return worker.call<{ ready: number; ms: number }>('open', {
          relayUrl: relay.url,
          key: TEST_KEYS.server,
          sse,
          ws,
          concurrency: options.concurrency,
          ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
        });
      }),
    );
    const ready = opened.reduce((sum, o) => sum + o.ready, 0);
    const connectMs = Math.max(...opened.map((o) => o.ms));
    log(`  ${event}: ${ready} clients ready in ${fixed(connectMs)} ms`);
    // A few changes the clients hold, so a resume has history to start from.
    for (let i = 0; i < 3; i++) {
      await relay.admin('PUT', '/flags/herd-0', booleanFlag('herd-0', { description: `pre ${i}` }));
    }
    await sleep(1500);
    await callAll(workers, 'arm');
    const rssBefore = relay.rss();
    let rss = sampleRss(() => relay.pid, 25);
    let peakRss = 0;
    let dropped = 0;
    const t0 = wallNow();
    let upAt = t0;
    if (event === 'drop') {
      dropped = dropSockets(relay.port);
    } else {
      await (event === 'restart' ? relay.stop() : relay.kill());
      peakRss = rss.stop();
      relay = await relay.restart();
      upAt = wallNow();
      rss = sampleRss(() => relay.pid, 25);
    }
    const written = await relay.admin(
      'PUT',
      '/flags/herd-0',
      booleanFlag('herd-0', { description: `after ${event}` }),
    );
    if (written.status !== 200) throw new Error(`write failed: ${JSON.stringify(written)}`);
    const target = Number(JSON.parse(written.headers.get('etag')!));
    await waitFor(
      async () =>
        (await callAll<number>(workers, 'progress', target)).reduce((a, b) => a + b, 0) >= ready,
      options.timeoutMs,
      25,
    );
    peakRss = Math.max(peakRss, rss.stop(), relay.peakRss());
    const reports = (await callAll<HerdClientReport[]>(workers, 'report', target)).flat();
    const times = reports
      .filter((r) => r.reachedAt !== null && r.reachedAt >= 0)
      .map((r) => r.reachedAt! - t0);
    const current = reports.filter((r) => r.reachedAt !== null).length;
    const last = Math.max(...times);
    const result: HerdResult = {
      event,
      clients: options.clients,
      ready,
      connectMs,
      allCurrentMs: current === ready ? last : NaN,
      fromRelayUpMs: current === ready ? last - (upAt - t0) : NaN,
      downMs: upAt - t0,
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
      current,
      viaPatches: reports.filter((r) => r.puts === 0 && r.reachedAt !== null).length,
      viaPut: reports.filter((r) => r.puts > 0).length,
      reconnects: reports.reduce((sum, r) => sum + r.connections, 0),
      refused: reports.reduce((sum, r) => sum + r.refused, 0),
      errors: reports.reduce((sum, r) => sum + r.errors, 0),
      rssBefore,
      peakRss,
      dropped,
    };
    log(
      `  ${event}: ${current}/${ready} current, all in ${fixed(result.allCurrentMs)} ms ` +
        `(p50 ${fixed(result.p50Ms)}, p99 ${fixed(result.p99Ms)}); patches ${result.viaPatches}, ` +
        `put ${result.viaPut}; peak RSS ${fixed(peakRss / 1024 ** 2)} MB`,
    );
    return result;
  } finally {
    await callAll(workers, 'close').catch(() => undefined);
    await killAll(workers);
    await relay.stop();
  }
}

/** Runs each event with freshly connected clients (so every herd starts from the same backoff). */
export async function runHerd(options: HerdOptions): Promise<HerdResult[]> {
  const results: HerdResult[] = [];
  for (const event of options.events) results.push(await runScenario(event, options));
  return results;
}

const EVENT_NAMES: Record<HerdEvent, string> = {
  restart: 'relay restarted (SIGTERM, new process)',
  kill: 'relay killed (SIGKILL, new process)',
  drop: 'every socket dropped (ss -K)',
};

/** The RESULTS.md section for a run. */
export function herdMarkdown(results: HerdResult[], options: HerdOptions, command: string) {
  const mb = (bytes: number) => fixed(bytes / 1024 ** 2);
  return [
    '## Reconnect herd',
    '',
    `Command: \`${command}\`. Machine: ${describeMachine()}.`,
    '',
    `${options.clients.toLocaleString('en-US')} SDK sync clients (\`SyncClient\` with the SSE and ` +
      `WebSocket transports over \`eventsource\` and \`ws\`, the SDK's default backoff: full jitter ` +
      `from 1 s doubling), half on each transport, over ${options.workers} processes, freshly ` +
      `connected for each event. Right after the event (once the new relay answers, for a restart) ` +
      `one admin write; "all current" is the time from the event until every client holds that ` +
      `write's version. "Patches" = caught up without a put. Relay: \`${options.mode}\`, log level ` +
      `\`${options.logLevel}\`. Goal: all current within 10 s, memory bounded.`,
    '',
    table(
      [
        'event',
        'clients',
        'relay down ms',
        'all current ms',
        'from relay up ms',
        'p50 / p99 ms',
        'goal ≤ 10 s',
        'patches / put',
        'reconnects',
        'RSS before / peak MB',
      ],
      results.map((r) => [
        EVENT_NAMES[r.event],
        `${r.current.toLocaleString('en-US')} / ${r.ready.toLocaleString('en-US')}`,
        fixed(r.downMs),
        fixed(r.allCurrentMs),
        fixed(r.fromRelayUpMs),
        `${fixed(r.p50Ms)} / ${fixed(r.p99Ms)}`,
        Number.isFinite(r.allCurrentMs) && r.allCurrentMs <= 10_000 ? 'met' : 'missed',
        `${r.viaPatches.toLocaleString('en-US')} / ${r.viaPut.toLocaleString('en-US')}`,
        r.reconnects.toLocaleString('en-US'),
        `${mb(r.rssBefore)} / ${mb(r.peakRss)}`,
      ]),
    ),
  ].join('\n');
}

if (isMainModule(import.meta.url)) {
  await runBenchCommand({
    name: 'herd',
    usage:
      'pnpm bench:herd [--clients=10000] [--events=restart,drop,kill] [--workers=4]\n' +
      '  [--concurrency=200] [--timeout-ms=60000] [--mode=built|source] [--log-level=info]\n' +
      '  [--no-build] [--no-results]',
    options: (args): HerdOptions => ({
      clients: args.number('clients', 10_000),
      events: args.string('events', 'restart,kill,drop').split(',') as HerdEvent[],
      workers: args.number('workers', 4),
      concurrency: args.number('concurrency', 200),
      mode: args.string('mode', defaultMode()) as RelayMode,
      logLevel: args.string('log-level', 'info'),
      timeoutMs: args.number('timeout-ms', 60_000),
    }),
    run: runHerd,
    markdown: herdMarkdown,
    failed: (results) => !results.every((r) => r.current === r.ready),
  });
}
