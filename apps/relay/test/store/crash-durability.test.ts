import { spawn } from 'node:child_process';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FileFlagStore } from '../../src/store/file-flag-store';
import { crashStoreOptions } from './fixtures/crash-writes';
import { temporaryDirectory } from './store-test-helpers';

const RELAY_DIR = fileURLToPath(new URL('../..', import.meta.url));
const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
// The loader itself, not the tsx CLI: the CLI runs the script in a grandchild that SIGKILL would orphan.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const KILLS = 8;
const WRITES_PER_RUN = 2000;
const TIME_BUDGET_MS = 40_000;

interface Ack {
  version: number;
  key: string;
  enabled: boolean;
  tag: string;
}

/** A small seeded generator, so a failing run can be replayed from the seed in its message. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Runs the writer until it has acknowledged `killAfterAcks` writes plus `extraMs`, then SIGKILLs it. */
function runAndKill(
  dataDir: string,
  killAfterAcks: number,
  extraMs: number,
): Promise<{ acks: Ack[]; stderr: string; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', TSX_LOADER, WRITER, dataDir, String(WRITES_PER_RUN)],
      {
        cwd: RELAY_DIR, // tsx reads this tsconfig's paths to resolve @switchyard/core to its sources
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acks: Ack[] = [];
    let buffered = '';
    let stderr = '';
    let finished = false;
    let killScheduled = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [word, version, key, enabled, tag] = line.split(' ');
        if (word === 'ack')
          acks.push({
            version: Number(version),
            key: key!,
            enabled: enabled === 'true',
            tag: tag!,
          });
        if (word === 'done') finished = true;
      }
      if (!killScheduled && acks.length >= killAfterAcks) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.on('error', reject);
    // 'exit' comes after the kernel reaped the child, so its pid is gone and its lock is stale.
    child.on('exit', () => resolve({ acks, stderr, finished }));
  });
}

/** Appends a random prefix of the log's last complete line, as a write cut short would leave. */
async function appendTornLine(dataDir: string, random: () => number): Promise<void> {
  const log = join(dataDir, 'crash', 'changes.log');
  const lines = (await readFile(log)).toString('latin1').split('\n');
  const last = lines.length >= 2 ? lines[lines.length - 2]! : '';
  if (last === '' || lines[lines.length - 1] !== '') return; // empty, or the kill already tore one
  await appendFile(
    log,
    Buffer.from(last.slice(0, 1 + Math.floor(random() * (last.length - 1))), 'latin1'),
  );
}

describe('FileFlagStore under kill -9', () => {
  it('restarts with every acknowledged write, contiguous versions and a clean open, whenever it is killed', async () => {
    const dataDir = await temporaryDirectory('switchyard-crash-');
    const seed = Date.now() % 1_000_000;
    const random = seededRandom(seed);
    const started = Date.now();
    const acknowledged = new Map<number, Ack>();
    let rounds = 0;

    while (rounds < KILLS && Date.now() - started < TIME_BUDGET_MS - 5_000) {
      rounds += 1;
      const { acks, stderr, finished } = await runAndKill(
        dataDir,
        Math.floor(random() * 150),
        Math.floor(random() * 40),
      );
      expect(stderr, `writer failed (seed ${seed}, round ${rounds})`).not.toMatch(/Error|failed/);
      for (const ack of acks) {
        expect(
          acknowledged.has(ack.version),
          `version ${ack.version} acknowledged twice (seed ${seed})`,
        ).toBe(false);
        acknowledged.set(ack.version, ack);
      }

      // A process kill leaves the page cache intact, so it rarely tears a line; a power cut
      // does. Every other round, leave what a power cut leaves: a prefix of a next line.
      if (rounds % 2 === 0) await appendTornLine(dataDir, random);

      const store = new FileFlagStore({ dataDir, ...crashStoreOptions });
      await store.open(); // a torn tail is cut off; anything worse rejects here
      const snapshot = store.snapshot('crash')!;
      const highest = Math.max(0, ...acknowledged.keys());
      expect(snapshot.version, `seed ${seed}, round ${rounds}`).toBeGreaterThanOrEqual(highest);
      const history = store.changesSince('crash', 0);
      if (!history.ok) throw new Error(`the ring lost history (seed ${seed})`);
      expect(history.changes.map((change) => change.version)).toEqual(
        Array.from({ length: snapshot.version }, (_, i) => i + 1),
      );
      for (const ack of acknowledged.values()) {
        const flag = history.changes[ack.version - 1]!.patch.flags?.[ack.key];
        expect(flag, `acknowledged version ${ack.version} (seed ${seed})`).toMatchObject({
          enabled: ack.enabled,
          version: ack.version,
        });
        expect(flag?.description?.startsWith(`write ${ack.tag} `)).toBe(true);
      }
      for (const [key, flag] of Object.entries(snapshot.flags)) {
        const last = [...history.changes]
          .reverse()
          .find((change) => change.patch.flags?.[key] !== undefined);
        expect(flag).toEqual(last?.patch.flags?.[key]);
      }
      await store.close();
      if (finished) break; // the writer outran the kill; nothing more to learn from this data dir
    }
    expect(rounds).toBeGreaterThanOrEqual(3);
    expect(acknowledged.size).toBeGreaterThan(0);
  }, 60_000);
});
