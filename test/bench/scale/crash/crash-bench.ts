/**
 * `pnpm bench:crash`: kill -9 a relay under a steady admin write load, restart it on the
 * same data, and check what came back, many times over. Writers each own one flag and
 * stamp every write with a sequence number (in `description`) and an Idempotency-Key; one
 * more writer creates new flags. After each restart: the relay must start (a refused start
 * is a corrupt start), its version must not be below any acknowledged version or the
 * version it had before (regression), every acknowledged write must be there (lost), and
 * retrying the write that was in flight with its Idempotency-Key must apply it exactly once.
 */
import { booleanFlag } from '@switchyard/testkit';
import { isMainModule } from '../lib/args';
import { runBenchCommand } from '../lib/bench-command';
import { describeMachine } from '../lib/machine';
import {
  adminCall,
  defaultMode,
  launchRelay,
  type LaunchedRelay,
  type RelayMode,
} from '../lib/relay-launcher';
import { table } from '../lib/results-file';
import { fixed, percentile, sleep } from '../lib/stats';

/** Options of a crash run. */
export interface CrashOptions {
  kills: number;
  /** Writers updating their own flag (plus one creating flags). */
  writers: number;
  /** Pause between one writer's writes. */
  writeGapMs: number;
  /** The relay runs under load for a random time in [min, max] ms before the kill. */
  minUpMs: number;
  maxUpMs: number;
  /** `store.compactEvery`, small so kills also land during compactions. */
  compactEvery: number;
  mode: RelayMode;
  log?: (line: string) => void;
}

/** What a crash run counted. */
export interface CrashResult {
  kills: number;
  ackedWrites: number;
  unackedWrites: number;
  lostWrites: number;
  corruptStarts: number;
  versionRegressions: number;
  duplicateApplications: number;
  phantomWrites: number;
  inFlightCommitted: number;
  inFlightNotCommitted: number;
  finalVersion: number;
  startMs: { p50: number; max: number };
  elapsedMs: number;
  problems: string[];
}

interface Writer {
  key: string;
  /** Last acknowledged sequence number and the version it got. */
  acked: { seq: number; version: number };
  /** A write sent but not acknowledged when the relay died. */
  inFlight: { seq: number; idempotencyKey: string } | undefined;
}

const body = (key: string, seq: number) =>
  booleanFlag(key, {
    description: `seq ${seq}`,
    fallthrough: { variation: seq % 2 ? 'on' : 'off' },
  });
const seqOf = (flag: { description?: string } | undefined): number =>
  flag?.description === undefined ? -1 : Number(flag.description.slice(4));

/** Runs `kills` cycles of write load, kill -9 and restart. */
export async function runCrash(options: CrashOptions): Promise<CrashResult> {
  const log = options.log ?? console.log;
  const started = performance.now();
  const result: CrashResult = {
    kills: 0,
    ackedWrites: 0,
    unackedWrites: 0,
    lostWrites: 0,
    corruptStarts: 0,
    versionRegressions: 0,
    duplicateApplications: 0,
    phantomWrites: 0,
    inFlightCommitted: 0,
    inFlightNotCommitted: 0,
    finalVersion: 0,
    startMs: { p50: NaN, max: NaN },
    elapsedMs: 0,
    problems: [],
  };
  const problem = (text: string): void => {
    if (result.problems.length < 20) result.problems.push(text);
    log(`  problem: ${text}`);
  };
  const startTimes: number[] = [];
  let relay: LaunchedRelay = await launchRelay({
    mode: options.mode,
    config: { store: { kind: 'file', compactEvery: options.compactEvery } },
  });
  startTimes.push(relay.startMs);
  const writers: Writer[] = Array.from({ length: options.writers }, (_, i) => ({
    key: `crash-${i}`,
    acked: { seq: -1, version: 0 },
    inFlight: undefined,
  }));
  for (const writer of writers) {
    const made = await relay.admin('POST', '/flags', body(writer.key, -1));
    if (made.status !== 201) throw new Error(`creating ${writer.key} answered ${made.status}`);
  }
  const created: { key: string; version: number }[] = [];
  let createdInFlight: string | undefined;
  let maxAcked = 0;
  let lastSeenVersion = 0;
  let seq = 0;
  let createSeq = 0;

  for (let cycle = 0; cycle <= options.kills; cycle++) {
    // Check what came back (cycle 0: the fresh relay).
    const snapshot = (await relay.admin('GET', '/snapshot')).body as {
      version: number;
      flags: Record<string, { description?: string; version: number }>;
    };
    if (snapshot.version < maxAcked || snapshot.version < lastSeenVersion) {
      result.versionRegressions++;
      problem(
        `cycle ${cycle}: version ${snapshot.version} after restart, acknowledged up to ${maxAcked}, seen ${lastSeenVersion}`,
      );
    }
    for (const writer of writers) {
      const flag = snapshot.flags[writer.key];
      const stored = seqOf(flag);
      if (stored < writer.acked.seq || (flag?.version ?? 0) < writer.acked.version) {
        result.lostWrites++;
        problem(
          `cycle ${cycle}: ${writer.key} holds seq ${stored}, seq ${writer.acked.seq} was acknowledged`,
        );
      }
      const inFlight = writer.inFlight;
      if (inFlight === undefined) {
        if (stored > writer.acked.seq) {
          result.phantomWrites++;
          problem(`cycle ${cycle}: ${writer.key} holds seq ${stored}, never sent`);
        }
        continue;
      }
      if (stored > inFlight.seq) {
        result.phantomWrites++;
        problem(
          `cycle ${cycle}: ${writer.key} holds seq ${stored}, beyond the in-flight ${inFlight.seq}`,
        );
      }
      const committed = stored === inFlight.seq;
      if (committed) result.inFlightCommitted++;
      else result.inFlightNotCommitted++;
      // The client retries its unacknowledged write with the same key: it must apply once.
      const retried = await relay.admin(
        'PUT',
        `/flags/${writer.key}`,
        body(writer.key, inFlight.seq),
        {
          'Idempotency-Key': inFlight.idempotencyKey,
        },
      );
      const replayed = retried.headers.get('idempotent-replayed') === 'true';
      if (retried.status !== 200) {
        problem(`cycle ${cycle}: retry of ${writer.key} answered ${retried.status}`);
        writer.inFlight = undefined;
        continue;
      } else if (committed !== replayed) {
        result.duplicateApplications += committed ? 1 : 0;
        problem(
          `cycle ${cycle}: ${writer.key} seq ${inFlight.seq} committed=${committed} but the retry replayed=${replayed}`,
        );
      }
      const version = Number(JSON.parse(retried.headers.get('etag') ?? '0'));
      writer.acked = { seq: inFlight.seq, version };
      writer.inFlight = undefined;
      maxAcked = Math.max(maxAcked, version);
    }
    for (const { key, version } of created) {
      if ((snapshot.flags[key]?.version ?? 0) === 0 || snapshot.flags[key]!.version < version) {
        result.lostWrites++;
        problem(`cycle ${cycle}: created flag ${key} (version ${version}) is missing`);
      }
    }
    if (createdInFlight !== undefined && snapshot.flags[createdInFlight] !== undefined) {
      created.push({ key: createdInFlight, version: snapshot.flags[createdInFlight]!.version });
    }
    createdInFlight = undefined;
    lastSeenVersion = Math.max(snapshot.version, maxAcked);
    if (cycle === options.kills) {
      result.finalVersion = snapshot.version;
      break;
    }

    // Load, then kill -9 at a random moment.
    let stop = false;
    const runWriter = async (writer: Writer): Promise<void> => {
      while (!stop) {
        const mine = ++seq;
        const idempotencyKey = `${writer.key}-${mine}`;
        writer.inFlight = { seq: mine, idempotencyKey };
        try {
          const written = await adminCall(
            relay.url,
            'PUT',
            `/flags/${writer.key}`,
            body(writer.key, mine),
            {
              'Idempotency-Key': idempotencyKey,
            },
          );
          if (written.status !== 200) throw new Error(`PUT answered ${written.status}`);
          const version = Number(JSON.parse(written.headers.get('etag')!));
          writer.acked = { seq: mine, version };
          writer.inFlight = undefined;
          maxAcked = Math.max(maxAcked, version);
          result.ackedWrites++;
        } catch {
          result.unackedWrites++;
          return; // the relay is gone; the in-flight write is checked after the restart
        }
        await sleep(options.writeGapMs);
      }
    };
    const runCreator = async (): Promise<void> => {
      while (!stop) {
        const key = `created-${++createSeq}`;
        createdInFlight = key;
        try {
          const written = await adminCall(relay.url, 'POST', '/flags', booleanFlag(key));
          if (written.status !== 201) throw new Error(`POST answered ${written.status}`);
          created.push({ key, version: Number(JSON.parse(written.headers.get('etag')!)) });
          createdInFlight = undefined;
          result.ackedWrites++;
        } catch {
          result.unackedWrites++;
          return;
        }
        await sleep(options.writeGapMs * 4);
      }
    };
    const load = Promise.all([...writers.map(runWriter), runCreator()]);
    await sleep(options.minUpMs + Math.random() * (options.maxUpMs - options.minUpMs));
    await relay.kill();
    stop = true;
    await load;
    result.kills++;
    try {
      relay = await relay.restart();
      startTimes.push(relay.startMs);
    } catch (error) {
      result.corruptStarts++;
      problem(`cycle ${cycle}: the relay did not start: ${(error as Error).message.slice(0, 400)}`);
      break;
    }
    if ((cycle + 1) % 25 === 0) {
      log(
        `  ${cycle + 1} kills: ${result.ackedWrites} acknowledged writes, version ${maxAcked}, ` +
          `lost ${result.lostWrites}, corrupt ${result.corruptStarts}, regressions ${result.versionRegressions}`,
      );
    }
  }
  await relay.stop();
  result.startMs = { p50: percentile(startTimes, 50), max: Math.max(...startTimes) };
  result.elapsedMs = performance.now() - started;
  return result;
}

/** The RESULTS.md section for a run. */
export function crashMarkdown(r: CrashResult, options: CrashOptions, command: string): string {
  const zero = (n: number) => (n === 0 ? 'met' : 'missed');
  return [
    '## Crash durability',
    '',
    `Command: \`${command}\` (${fixed(r.elapsedMs / 1000)} s). Machine: ${describeMachine()}.`,
    '',
    `${options.writers} writers each replace their own flag in a loop (${options.writeGapMs} ms apart, ` +
      `each write numbered and sent with an Idempotency-Key) and one more creates flags; the relay ` +
      `(\`${options.mode}\`, file store, \`compactEvery: ${options.compactEvery}\`) runs ` +
      `${options.minUpMs}-${options.maxUpMs} ms under that load, is killed with SIGKILL and started ` +
      `again on the same data dir. After every start: lost = an acknowledged write missing; corrupt ` +
      `start = the relay refused to start; regression = its version below an acknowledged or ` +
      `previously seen one; the write in flight at the kill is retried with its Idempotency-Key and ` +
      `must apply exactly once. Relay start (spawn to /healthz): p50 ${fixed(r.startMs.p50)} ms, ` +
      `max ${fixed(r.startMs.max)} ms.`,
    '',
    table(
      ['measure', 'count', 'goal'],
      [
        ['kill -9 and restart cycles', String(r.kills), '≥ 200'],
        ['acknowledged writes', r.ackedWrites.toLocaleString('en-US'), ''],
        ['writes cut off by the kill (unacknowledged)', String(r.unackedWrites), ''],
        [
          '… of which found committed after the restart / not committed',
          `${r.inFlightCommitted} / ${r.inFlightNotCommitted}`,
          'either is correct',
        ],
        ['acknowledged writes lost', String(r.lostWrites), `0 (${zero(r.lostWrites)})`],
        ['corrupt starts', String(r.corruptStarts), `0 (${zero(r.corruptStarts)})`],
        ['version regressions', String(r.versionRegressions), `0 (${zero(r.versionRegressions)})`],
        ['retried writes applied twice', String(r.duplicateApplications), '0'],
        ['writes present that were never sent', String(r.phantomWrites), '0'],
        ['final version', r.finalVersion.toLocaleString('en-US'), ''],
      ],
    ),
    ...(r.problems.length > 0 ? ['', 'Problems:', '', ...r.problems.map((p) => `- ${p}`)] : []),
  ].join('\n');
}

if (isMainModule(import.meta.url)) {
  await runBenchCommand({
    name: 'crash',
    usage:
      'pnpm bench:crash [--kills=200] [--writers=3] [--write-gap-ms=5] [--min-up-ms=100]\n' +
      '  [--max-up-ms=600] [--compact-every=7] [--mode=built|source] [--no-build] [--no-results]',
    options: (args): CrashOptions => ({
      kills: args.number('kills', 200),
      writers: args.number('writers', 3),
      writeGapMs: args.number('write-gap-ms', 5),
      minUpMs: args.number('min-up-ms', 100),
      maxUpMs: args.number('max-up-ms', 600),
      compactEvery: args.number('compact-every', 7),
      mode: args.string('mode', defaultMode()) as RelayMode,
    }),
    run: runCrash,
    markdown: crashMarkdown,
    failed: (result) =>
      result.lostWrites +
        result.corruptStarts +
        result.versionRegressions +
        result.duplicateApplications >
        0 || result.phantomWrites > 0,
  });
}
