import { cpus, loadavg, totalmem } from 'node:os';

/** One line describing the machine a bench ran on. */
export function describeMachine(): string {
  const list = cpus();
  const model = list[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  const gib = (totalmem() / 1024 ** 3).toFixed(1);
  const load = loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  return `${list.length} cores (${model}), ${gib} GiB, Node ${process.version}, ${process.platform}; load average at start ${load}`;
}
