import net from 'node:net';

/**
 * Every engine must run offline. Rather than trust each SDK's options, refuse every outgoing
 * TCP connection (http, https, undici's fetch and WebSocket all go through net.Socket) and
 * remember who tried, so the run can fail loudly. The refusal is an ordinary socket error, as
 * a dead network would give, so an SDK that retries keeps running instead of crashing.
 * Connections to local IPC paths (tsx talks to its parent that way) are left alone.
 */
export interface NetworkGuard {
  readonly attempts: readonly string[];
}

function describeTarget(args: unknown[]): { tcp: boolean; target: string } {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'number')
    return { tcp: true, target: `${String(args[1] ?? 'localhost')}:${first}` };
  if (typeof first === 'string') return { tcp: false, target: first };
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; port?: number | string; path?: string };
    if (options.path !== undefined && options.port === undefined)
      return { tcp: false, target: options.path };
    return { tcp: true, target: `${options.host ?? 'localhost'}:${String(options.port)}` };
  }
  return { tcp: true, target: 'unknown' };
}

export function installNetworkGuard(): NetworkGuard {
  const attempts: string[] = [];
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const { tcp, target } = describeTarget(args);
    if (!tcp) return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    attempts.push(target);
    process.nextTick(() =>
      this.destroy(new Error(`eval bench is offline: connection to ${target} refused`)),
    );
    return this;
  } as typeof connect;
  return { attempts };
}
