import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './relay-launcher';

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

type Methods = Record<string, (arg: never) => unknown>;

interface CallMessage {
  kind: 'call';
  id: number;
  method: string;
  arg: unknown;
}
interface ReplyMessage {
  kind: 'reply';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** A client process of a bench, driven by calls over the IPC channel. */
export interface Worker {
  readonly pid: number;
  readonly child: ChildProcess;
  call<T>(method: string, arg?: unknown): Promise<T>;
  /** Ends the process (SIGKILL) and waits for it. */
  kill(): Promise<void>;
}

/**
 * Forks `file` (a TypeScript module that calls `serveWorker`) through tsx, with the repository
 * root as cwd so workspace packages resolve to their sources.
 */
export function forkWorker(file: string, nodeArgs: string[] = []): Worker {
  const child = fork(file, [], {
    cwd: REPO_ROOT,
    execArgv: ['--import', TSX_LOADER, ...nodeArgs],
    env: { ...process.env, TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (message: ReplyMessage) => {
    const waiter = pending.get(message.id);
    if (waiter === undefined) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new Error(message.error));
  });
  void exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error('the worker exited'));
    pending.clear();
  });
  return {
    pid: child.pid!,
    child,
    call: <T>(method: string, arg?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ kind: 'call', id, method, arg } satisfies CallMessage);
      }),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Answers calls from the parent with `methods`; exits when the parent goes away. */
export function serveWorker(methods: Methods): void {
  process.on('message', (message: CallMessage) => {
    if (message.kind !== 'call') return;
    const method = methods[message.method];
    const reply = (value: Omit<ReplyMessage, 'kind' | 'id'>): void => {
      process.send?.({ kind: 'reply', id: message.id, ...value } satisfies ReplyMessage);
    };
    if (method === undefined) return reply({ ok: false, error: `no method ${message.method}` });
    Promise.resolve()
      .then(() => method(message.arg as never))
      .then(
        (value) => reply({ ok: true, value }),
        (error: unknown) =>
          reply({ ok: false, error: error instanceof Error ? error.stack : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}
