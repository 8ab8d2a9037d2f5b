import { spawnSync } from 'node:child_process';

/**
 * Drops established TCP connections on the relay's side of loopback port `port` with
 * `ss -K` (sock_diag destroy: the relay's socket errors with ECONNABORTED, the peer gets a
 * reset), like a load balancer or NAT losing its state. `peers` limits it to those client
 * ports. Needs root and a kernel with CONFIG_INET_DIAG_DESTROY; answers how many were dropped.
 */
export function dropSockets(port: number, peers?: readonly number[]): number {
  const filter =
    peers === undefined
      ? `( sport = :${port} )`
      : `( sport = :${port} ) and ( ${peers.map((p) => `dport = :${p}`).join(' or ')} )`;
  if (peers !== undefined && peers.length === 0) return 0;
  const result = spawnSync('ss', ['-K', '-H', '-tn', 'state', 'established', filter], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`ss -K failed: ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line.trim() !== '').length;
}

/** Client ports of the connections established to loopback port `port`. */
export function peersOf(port: number): number[] {
  const result = spawnSync('ss', ['-H', '-tn', 'state', 'established', `( sport = :${port} )`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`ss failed: ${result.stderr}`);
  return result.stdout
    .split('\n')
    .map((line) => /:(\d+)\s*$/.exec(line.trim())?.[1])
    .filter((port): port is string => port !== undefined)
    .map(Number);
}

/** Whether `ss -K` works here (root, kernel support). */
export function canDropSockets(): boolean {
  const result = spawnSync('ss', ['-K', '-H', '-tn', 'state', 'established', '( sport = :1 )'], {
    encoding: 'utf8',
  });
  return result.status === 0;
}
