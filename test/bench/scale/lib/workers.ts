import { forkWorker, type Worker } from './worker-rpc';

/** Forks `count` worker processes of `file`. */
export const forkWorkers = (file: string, count: number): Worker[] =>
  Array.from({ length: count }, () => forkWorker(file));

/** Splits `total` into `parts` near-equal integers. */
export function split(total: number, parts: number): number[] {
  return Array.from(
    { length: parts },
    (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0),
  );
}

/** Calls `method` on every worker and answers the results in order. */
export const callAll = <T>(workers: readonly Worker[], method: string, arg?: unknown) =>
  Promise.all(workers.map((worker) => worker.call<T>(method, arg)));

/** Kills every worker. */
export const killAll = (workers: readonly Worker[]): Promise<void[]> =>
  Promise.all(workers.map((worker) => worker.kill()));
