/**
 * A herd client process: many real SDK sync clients (SyncClient from @switchyard/sync with
 * its SSE and WebSocket transports over the `eventsource` and `ws` packages, the same
 * factories the server provider uses, and the SDK's default backoff), tracking when each
 * reaches a version and whether it got there with patches or needed a put.
 */
import { SseTransport, SyncClient, WebSocketTransport, type SyncStats } from '@switchyard/sync';
import type { EventSourceFactory, WebSocketFactory, WebSocketLike } from '@switchyard/sync';
import { EventSource } from 'eventsource';
import WebSocket from 'ws';
import { wallNow } from '../lib/stats';
import { serveWorker } from '../lib/worker-rpc';

const createEventSource: EventSourceFactory = (url, headers) =>
  new EventSource(url, {
    fetch: (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), ...headers },
      }),
  }) as never;

const createWebSocket: WebSocketFactory = (url, headers) =>
  new WebSocket(url, { headers, maxPayload: 64 * 1024 * 1024 }) as unknown as WebSocketLike;

interface Client {
  sync: SyncClient;
  kind: 'sse' | 'ws';
  /** [version, wall ms] of every change since `arm`. */
  history: [number, number][];
  baseline: SyncStats;
  stale: number;
  errors: number;
}

const clients: Client[] = [];

/** What `open` needs. */
export interface HerdOpen {
  relayUrl: string;
  key: string;
  sse: number;
  ws: number;
  /** Clients starting at once. */
  concurrency: number;
  backoff?: { initialMs?: number; maxMs?: number };
}

/** One client's outcome after an event. */
export interface HerdClientReport {
  kind: 'sse' | 'ws';
  /** Wall ms it first held the target version, or null. */
  reachedAt: number | null;
  puts: number;
  patches: number;
  connections: number;
  refused: number;
  stale: number;
  errors: number;
}

async function open(request: HerdOpen): Promise<{ ready: number; ms: number }> {
  const started = performance.now();
  const kinds: ('sse' | 'ws')[] = [];
  for (let i = 0; i < Math.max(request.sse, request.ws); i++) {
    if (i < request.sse) kinds.push('sse');
    if (i < request.ws) kinds.push('ws');
  }
  let ready = 0;
  await new Promise<void>((resolve) => {
    let index = 0;
    let inFlight = 0;
    const launch = (): void => {
      while (inFlight < request.concurrency && index < kinds.length) {
        const kind = kinds[index++]!;
        inFlight++;
        let counted = false;
        const endpoint = { relayUrl: request.relayUrl, key: request.key, keyInQuery: false };
        const client: Client = {
          kind,
          history: [],
          baseline: { connections: 0, puts: 0, patches: 0, refused: 0 },
          stale: 0,
          errors: 0,
          sync: new SyncClient({
            transport:
              kind === 'sse'
                ? new SseTransport({ ...endpoint, createEventSource })
                : new WebSocketTransport({ ...endpoint, createWebSocket }),
            ...(request.backoff === undefined ? {} : { backoff: request.backoff }),
            onChange: (change) =>
              client.history.push([change.compiled.snapshot.version, wallNow()]),
            onStatus: (change) => {
              if (change.status === 'STALE') client.stale++;
              if (change.status === 'ERROR') client.errors++;
              if (change.status === 'READY' && !counted) {
                counted = true;
                ready++;
                inFlight--;
                if (ready === kinds.length) resolve();
                else launch();
              }
            },
          }),
        };
        clients.push(client);
        client.sync.start();
      }
    };
    if (kinds.length === 0) resolve();
    else launch();
  });
  return { ready, ms: performance.now() - started };
}

serveWorker({
  open,
  /** Starts recording: history cleared, stats remembered as the baseline. */
  arm: () => {
    for (const client of clients) {
      client.history = [];
      client.baseline = client.sync.stats;
      client.stale = 0;
      client.errors = 0;
    }
    return clients.length;
  },
  /** Clients holding at least `version`. */
  progress: (version: number) =>
    clients.reduce((sum, c) => sum + ((c.sync.snapshot?.version ?? -1) >= version ? 1 : 0), 0),
  report: (version: number): HerdClientReport[] =>
    clients.map((client) => {
      const stats = client.sync.stats;
      const reached = client.history.find(([v]) => v >= version);
      return {
        kind: client.kind,
        reachedAt:
          reached !== undefined
            ? reached[1]
            : (client.sync.snapshot?.version ?? -1) >= version
              ? -1
              : null,
        puts: stats.puts - client.baseline.puts,
        patches: stats.patches - client.baseline.patches,
        connections: stats.connections - client.baseline.connections,
        refused: stats.refused - client.baseline.refused,
        stale: client.stale,
        errors: client.errors,
      };
    }),
  close: () => {
    for (const client of clients.splice(0)) client.sync.stop();
    return true;
  },
});
