/**
 * `pnpm bench:soak`: SDK clients (SwitchyardProvider, half SSE, half WebSocket) against one
 * relay for a while, under random admin writes, relay restarts (SIGTERM or SIGKILL) and
 * forced socket drops (`ss -K` on some or all of the relay's connections). Every few tens of
 * seconds the chaos pauses and every provider must converge on the relay's snapshot; at the
 * end likewise. Throughout, every provider's version is watched: it must never go down.
 */
import { ProviderEvents } from '@openfeature/server-sdk';
import type { Flag, Segment, Snapshot } from '@switchyard/core';
import { SwitchyardProvider } from '@switchyard/server-provider';
import { booleanFlag, segment } from '@switchyard/testkit';
import { isMainModule } from '../lib/args';
import { runBenchCommand } from '../lib/bench-command';
import { dropSockets, peersOf } from '../lib/drop-sockets';
import { describeMachine } from '../lib/machine';
import {
  defaultMode,
  launchRelay,
  TEST_KEYS,
  type LaunchedRelay,
  type RelayMode,
} from '../lib/relay-launcher';
import { table } from '../lib/results-file';
import { fixed, sleep, waitFor } from '../lib/stats';

/** Options of a soak run. */
export interface SoakOptions {
  providers: number;
  durationMs: number;
  /** Mean pause between admin writes. */
  writeEveryMs: number;
  /** Mean time between relay restarts. */
  restartEveryMs: number;
  /** Mean time between socket drops. */
  dropEveryMs: number;
  /** Pause the chaos and check convergence this often. */
  checkpointEveryMs: number;
  /** How long providers get to converge at a checkpoint. */
  convergeTimeoutMs: number;
  mode: RelayMode;
  seed?: number;
  log?: (line: string) => void;
}

/** What a soak counted. */
export interface SoakResult {
  providers: number;
  durationMs: number;
  writesAcked: number;
  writesFailed: number;
  restarts: { graceful: number; killed: number };
  drops: { all: number; some: number; sockets: number };
  checkpoints: number;
  checkpointsConverged: number;
  convergeMs: { max: number; last: number };
  finalVersion: number;
  finalEqual: number;
  regressions: number;
  relayRegressions: number;
  relayLostWrites: number;
  stats: { connections: number; puts: number; patches: number; refused: number };
  changeEvents: number;
  problems: string[];
}

/** JSON with sorted keys, so equal snapshots compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A small deterministic PRNG (mulberry32), so a seed replays the same chaos. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Watched {
  provider: SwitchyardProvider;
  transport: 'sse' | 'ws';
  highest: number;
}

/** Runs the soak. */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? console.log;
  const seed = options.seed ?? Date.now() % 1_000_000;
  const rand = random(seed);
  const result: SoakResult = {
    providers: options.providers,
    durationMs: 0,
    writesAcked: 0,
    writesFailed: 0,
    restarts: { graceful: 0, killed: 0 },
    drops: { all: 0, some: 0, sockets: 0 },
    checkpoints: 0,
    checkpointsConverged: 0,
    convergeMs: { max: 0, last: 0 },
    finalVersion: 0,
    finalEqual: 0,
    regressions: 0,
    relayRegressions: 0,
    relayLostWrites: 0,
    stats: { connections: 0, puts: 0, patches: 0, refused: 0 },
    changeEvents: 0,
    problems: [],
  };
  const problem = (text: string): void => {
    if (result.problems.length < 20) result.problems.push(text);
    log(`  problem: ${text}`);
  };
  log(`  soak seed ${seed}`);
  let relay: LaunchedRelay = await launchRelay({
    mode: options.mode,
    config: { heartbeatMs: 2000, store: { kind: 'file', compactEvery: 20 } },
  });
  const flagKeys = Array.from({ length: 12 }, (_, i) => `soak-${i}`);
  await relay.admin('POST', '/segments', segment('soak-beta', { included: ['u1'] }));
  for (const key of flagKeys) await relay.admin('POST', '/flags', booleanFlag(key));
  let maxAcked = 0;

  const watched: Watched[] = [];
  for (let i = 0; i < options.providers; i++) {
    const transport = i % 2 === 0 ? 'sse' : 'ws';
    const provider = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: TEST_KEYS.server,
      transport,
      // Faster than the default 1 s..30 s, so a few minutes see many reconnects and resumes.
      backoff: { initialMs: 100, maxMs: 2000, resetAfterMs: 5000 },
    });
    const entry: Watched = { provider, transport, highest: -1 };
    const check = (): void => {
      const version = provider.snapshotInfo().version ?? -1;
      if (version < entry.highest) {
        result.regressions++;
        problem(`provider ${i} (${transport}) went from version ${entry.highest} to ${version}`);
      }
      entry.highest = Math.max(entry.highest, version);
    };
    provider.events.addHandler(ProviderEvents.ConfigurationChanged, () => {
      result.changeEvents++;
      check();
    });
    watched.push(entry);
  }
  await Promise.all(watched.map((w) => w.provider.initialize()));
  const watcher = setInterval(() => {
    for (const entry of watched) {
      const version = entry.provider.snapshotInfo().version ?? -1;
      if (version < entry.highest) {
        result.regressions++;
        problem(`provider (${entry.transport}) went from version ${entry.highest} to ${version}`);
      }
      entry.highest = Math.max(entry.highest, version);
    }
  }, 20);

  const converge = async (label: string): Promise<boolean> => {
    const started = performance.now();
    let relaySnapshot: Snapshot | undefined;
    const equalCount = async (): Promise<number> => {
      const response = await fetch(`${relay.url}/sdk/v1/snapshot`, {
        headers: { Authorization: TEST_KEYS.server },
      }).catch(() => undefined);
      if (response?.status !== 200) return 0;
      relaySnapshot = (await response.json()) as Snapshot;
      const expected = canonical(relaySnapshot);
      return watched.filter((w) => canonical(w.provider.compiledSnapshot?.snapshot) === expected)
        .length;
    };
    const ok = await waitFor(
      async () => (await equalCount()) === watched.length,
      options.convergeTimeoutMs,
      100,
    );
    const ms = performance.now() - started;
    result.convergeMs.max = Math.max(result.convergeMs.max, ms);
    result.convergeMs.last = ms;
    if (!ok) {
      const behind = watched.filter(
        (w) => canonical(w.provider.compiledSnapshot?.snapshot) !== canonical(relaySnapshot),
      );
      problem(
        `${label}: ${behind.length} providers differ from the relay (version ${relaySnapshot?.version}) after ` +
          `${fixed(ms)} ms, e.g. at ${behind[0]?.provider.snapshotInfo().version} (${behind[0]?.provider.snapshotInfo().status})`,
      );
    }
    return ok;
  };

  const write = async (): Promise<void> => {
    const key = flagKeys[Math.floor(rand() * flagKeys.length)]!;
    const pick = rand();
    let path = `/flags/${key}`;
    let entry: Flag | Segment;
    if (pick < 0.1) {
      path = '/segments/soak-beta';
      entry = segment('soak-beta', { included: [`u${Math.floor(rand() * 100)}`] });
    } else if (pick < 0.45) {
      entry = booleanFlag(key, { enabled: rand() < 0.8, description: `w${rand()}` });
    } else if (pick < 0.7) {
      entry = booleanFlag(key, {
        rules: [
          {
            id: 'beta',
            clauses: [{ attribute: 'key', operator: 'inSegment', values: ['soak-beta'] }],
            variation: 'on',
          },
        ],
      });
    } else {
      entry = booleanFlag(key, { fallthrough: { variation: rand() < 0.5 ? 'on' : 'off' } });
    }
    try {
      const written = await relay.admin('PUT', path, entry);
      if (written.status === 200) {
        result.writesAcked++;
        maxAcked = Math.max(maxAcked, Number(JSON.parse(written.headers.get('etag')!)));
      } else {
        result.writesFailed++;
        if (written.status !== 503)
          problem(
            `write answered ${written.status}: ${JSON.stringify(written.body).slice(0, 300)}`,
          );
      }
    } catch {
      result.writesFailed++;
    }
  };

  const restartRelay = async (): Promise<void> => {
    const kill = rand() < 0.5;
    await (kill ? relay.kill() : relay.stop());
    if (kill) result.restarts.killed++;
    else result.restarts.graceful++;
    await sleep(rand() * 1500);
    relay = await relay.restart();
    const snapshot = (await relay.admin('GET', '/snapshot')).body as { version: number };
    if (snapshot.version < maxAcked) {
      result.relayRegressions++;
      result.relayLostWrites++;
      problem(`relay came back at version ${snapshot.version}, ${maxAcked} was acknowledged`);
    }
  };

  const drop = (): void => {
    try {
      if (rand() < 0.3) {
        result.drops.all++;
        result.drops.sockets += dropSockets(relay.port);
      } else {
        const peers = peersOf(relay.port).filter(() => rand() < 0.3);
        result.drops.some++;
        result.drops.sockets += dropSockets(relay.port, peers.slice(0, 200));
      }
    } catch (error) {
      problem(`dropping sockets failed: ${(error as Error).message}`);
    }
  };

  const started = performance.now();
  const end = started + options.durationMs;
  let nextCheckpoint = started + options.checkpointEveryMs;
  let nextRestart = started + options.restartEveryMs * (0.5 + rand());
  let nextDrop = started + options.dropEveryMs * (0.5 + rand());
  while (performance.now() < end) {
    const now = performance.now();
    if (now >= nextCheckpoint) {
      result.checkpoints++;
      if (await converge(`checkpoint ${result.checkpoints}`)) result.checkpointsConverged++;
      nextCheckpoint = performance.now() + options.checkpointEveryMs;
      continue;
    }
    if (now >= nextRestart) {
      await restartRelay();
      nextRestart = performance.now() + options.restartEveryMs * (0.5 + rand());
      continue;
    }
    if (now >= nextDrop) {
      drop();
      nextDrop = performance.now() + options.dropEveryMs * (0.5 + rand());
    }
    await write();
    await sleep(options.writeEveryMs * 2 * rand());
  }
  result.checkpoints++;
  if (await converge('final')) result.checkpointsConverged++;
  const finalSnapshot = (await relay.admin('GET', '/snapshot')).body as { version: number };
  result.finalVersion = finalSnapshot.version;
  clearInterval(watcher);
  const response = await fetch(`${relay.url}/sdk/v1/snapshot`, {
    headers: { Authorization: TEST_KEYS.server },
  });
  const expected = canonical(await response.json());
  result.finalEqual = watched.filter(
    (w) => canonical(w.provider.compiledSnapshot?.snapshot) === expected,
  ).length;
  for (const { provider } of watched) {
    const { stats } = provider.snapshotInfo();
    result.stats.connections += stats.connections;
    result.stats.puts += stats.puts;
    result.stats.patches += stats.patches;
    result.stats.refused += stats.refused;
  }
  await Promise.all(watched.map((w) => w.provider.onClose()));
  await relay.stop();
  result.durationMs = performance.now() - started;
  return result;
}

/** The RESULTS.md section for a run. */
export function soakMarkdown(r: SoakResult, options: SoakOptions, command: string): string {
  const zero = (n: number) => (n === 0 ? 'met' : 'missed');
  return [
    '## Freshness soak',
    '',
    `Command: \`${command}\` (${fixed(r.durationMs / 1000)} s). Machine: ${describeMachine()}.`,
    '',
    `${r.providers} \`SwitchyardProvider\`s (half SSE, half WebSocket; backoff 100 ms doubling to 2 s) ` +
      `against one relay (\`${options.mode}\`, file store) for ${fixed(options.durationMs / 1000)} s of ` +
      `random admin writes (about one per ${options.writeEveryMs} ms: rules, segments, enable/disable, ` +
      `fallthrough), relay restarts (about every ${fixed(options.restartEveryMs / 1000)} s, SIGTERM or ` +
      `SIGKILL at random, back after 0-1.5 s) and socket drops (about every ` +
      `${fixed(options.dropEveryMs / 1000)} s, \`ss -K\` on all or a random 30% of the relay's ` +
      `connections). Every ${fixed(options.checkpointEveryMs / 1000)} s the chaos pauses and every ` +
      `provider's snapshot must equal the relay's (\`GET /sdk/v1/snapshot\`, compared as canonical JSON) ` +
      `within ${fixed(options.convergeTimeoutMs / 1000)} s; each provider's version is sampled every ` +
      `20 ms and at every change event and must never go down.`,
    '',
    table(
      ['measure', 'count', 'goal'],
      [
        [
          'admin writes acknowledged / failed (relay down)',
          `${r.writesAcked} / ${r.writesFailed}`,
          '',
        ],
        ['relay restarts: SIGTERM / SIGKILL', `${r.restarts.graceful} / ${r.restarts.killed}`, ''],
        [
          'socket drops: all / some (sockets dropped)',
          `${r.drops.all} / ${r.drops.some} (${r.drops.sockets})`,
          '',
        ],
        [
          'checkpoints where every provider equalled the relay',
          `${r.checkpointsConverged} / ${r.checkpoints}`,
          `all (${r.checkpointsConverged === r.checkpoints ? 'met' : 'missed'})`,
        ],
        ['slowest convergence at a checkpoint', `${fixed(r.convergeMs.max)} ms`, ''],
        [
          'providers equal to the relay at the end',
          `${r.finalEqual} / ${r.providers}`,
          `all (${r.finalEqual === r.providers ? 'met' : 'missed'})`,
        ],
        ['provider version regressions', String(r.regressions), `0 (${zero(r.regressions)})`],
        [
          'relay version regressions / acknowledged writes lost',
          `${r.relayRegressions} / ${r.relayLostWrites}`,
          '0 / 0',
        ],
        ['final relay version', String(r.finalVersion), ''],
        [
          'provider connections / puts / patches / refused payloads',
          `${r.stats.connections} / ${r.stats.puts} / ${r.stats.patches} / ${r.stats.refused}`,
          '',
        ],
        ['change events', String(r.changeEvents), ''],
      ],
    ),
    ...(r.problems.length > 0 ? ['', 'Problems:', '', ...r.problems.map((p) => `- ${p}`)] : []),
  ].join('\n');
}

if (isMainModule(import.meta.url)) {
  await runBenchCommand({
    name: 'soak',
    usage:
      'pnpm bench:soak [--providers=100] [--duration-s=300] [--write-every-ms=100]\n' +
      '  [--restart-every-s=30] [--drop-every-s=12] [--checkpoint-every-s=45] [--seed=N]\n' +
      '  [--mode=built|source] [--no-build] [--no-results]',
    options: (args): SoakOptions => ({
      providers: args.number('providers', 100),
      durationMs: args.number('duration-s', 300) * 1000,
      writeEveryMs: args.number('write-every-ms', 100),
      restartEveryMs: args.number('restart-every-s', 30) * 1000,
      dropEveryMs: args.number('drop-every-s', 12) * 1000,
      checkpointEveryMs: args.number('checkpoint-every-s', 45) * 1000,
      convergeTimeoutMs: args.number('converge-timeout-s', 30) * 1000,
      mode: args.string('mode', defaultMode()) as RelayMode,
      ...(args.has('seed') ? { seed: args.number('seed', 0) } : {}),
    }),
    run: runSoak,
    markdown: soakMarkdown,
    failed: (result) =>
      result.regressions +
        result.relayRegressions +
        (result.providers - result.finalEqual) +
        (result.checkpoints - result.checkpointsConverged) >
      0,
  });
}
