/**
 * A fan-out client process: holds many raw SSE and WebSocket subscriptions, applies every
 * put and patch (JSON parse, `from` must equal the held version, then hold `version`), and
 * records when each version was applied, with `performance.timeOrigin + performance.now()`.
 * Deliberately thin, so the client side costs the same against the relay and the floor.
 */
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { serveWorker } from '../lib/worker-rpc';
import { wallNow } from '../lib/stats';

/** What `open` needs. */
export interface OpenRequest {
  host: string;
  port: number;
  key: string;
  sse: number;
  ws: number;
  /** Connections being opened at once. */
  concurrency: number;
}

/** What a worker saw since the last `reset`. */
export interface FanoutReport {
  /** [version, subscribers that applied it, first apply, last apply] (wall ms). */
  versions: [number, number, number, number][];
  gaps: number;
  gapSamples: string[];
  puts: number;
  closedEarly: number;
  parseErrors: number;
  patchBytes: { sse: number; ws: number };
}

interface Subscription {
  held: number;
  open: boolean;
  close(): void;
}

const subscriptions: Subscription[] = [];
let versions = new Map<number, [number, number, number]>();
let gaps = 0;
let gapSamples: string[] = [];
let puts = 0;
let closedEarly = 0;
let parseErrors = 0;
let closing = false;
const patchBytes = { sse: 0, ws: 0 };

function apply(subscription: Subscription, message: unknown, bytes: number, kind: 'sse' | 'ws') {
  const { type, version, from } = message as { type: string; version: number; from?: number };
  if (type === 'put') {
    subscription.held = version;
    puts++;
    return;
  }
  if (type !== 'patch') return;
  const at = wallNow();
  if (from !== subscription.held) {
    gaps++;
    if (gapSamples.length < 5)
      gapSamples.push(`held ${subscription.held}, patch ${from}->${version}`);
  }
  subscription.held = version;
  patchBytes[kind] = bytes;
  const seen = versions.get(version);
  if (seen === undefined) versions.set(version, [1, at, at]);
  else {
    seen[0]++;
    if (at < seen[1]) seen[1] = at;
    if (at > seen[2]) seen[2] = at;
  }
}

/** A raw SSE subscription: an HTTP/1.1 request written by hand, events parsed as they come. */
function openSse(request: OpenRequest, ready: (ok: boolean) => void): Subscription {
  const socket: Socket = connect(request.port, request.host);
  const subscription: Subscription = { held: -1, open: false, close: () => socket.destroy() };
  socket.setNoDelay(true);
  socket.setEncoding('utf8');
  let buffer = '';
  let headDone = false;
  let settled = false;
  const settle = (ok: boolean): void => {
    if (settled) return;
    settled = true;
    subscription.open = ok;
    ready(ok);
  };
  socket.on('connect', () =>
    socket.write(
      `GET /sdk/v1/stream HTTP/1.1\r\nHost: ${request.host}:${request.port}\r\n` +
        `Authorization: ${request.key}\r\nAccept: text/event-stream\r\n\r\n`,
    ),
  );
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    if (!headDone) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!buffer.startsWith('HTTP/1.1 200')) {
        socket.destroy();
        return settle(false);
      }
      headDone = true;
      buffer = buffer.slice(end + 4);
    }
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      let data: string | undefined;
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data = line.slice(6);
      }
      if (data === undefined) continue;
      try {
        const parsed = JSON.parse(data) as Record<string, unknown>;
        apply(subscription, { ...parsed, type: event }, data.length, 'sse');
      } catch {
        parseErrors++;
      }
      if (event === 'put') settle(true);
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    if (subscription.open && !closing) closedEarly++;
    subscription.open = false;
    settle(false);
  });
  return subscription;
}

/** A WebSocket subscription that says hello at once (so the put comes without waiting). */
function openWs(request: OpenRequest, ready: (ok: boolean) => void): Subscription {
  const ws = new WebSocket(`ws://${request.host}:${request.port}/sdk/v1/ws`, {
    headers: { Authorization: request.key },
    perMessageDeflate: false,
  });
  const subscription: Subscription = { held: -1, open: false, close: () => ws.terminate() };
  let settled = false;
  const settle = (ok: boolean): void => {
    if (settled) return;
    settled = true;
    subscription.open = ok;
    ready(ok);
  };
  ws.on('open', () => ws.send('{"type":"hello"}'));
  ws.on('message', (data) => {
    const text = String(data);
    try {
      const parsed = JSON.parse(text) as { type: string };
      apply(subscription, parsed, text.length, 'ws');
      if (parsed.type === 'put') settle(true);
    } catch {
      parseErrors++;
    }
  });
  ws.on('error', () => undefined);
  ws.on('close', () => {
    if (subscription.open && !closing) closedEarly++;
    subscription.open = false;
    settle(false);
  });
  return subscription;
}

async function open(request: OpenRequest): Promise<{ opened: number; failed: number }> {
  closing = false;
  const kinds: ('sse' | 'ws')[] = [];
  for (let i = 0; i < Math.max(request.sse, request.ws); i++) {
    if (i < request.sse) kinds.push('sse');
    if (i < request.ws) kinds.push('ws');
  }
  let opened = 0;
  let failed = 0;
  let index = 0;
  await new Promise<void>((resolve) => {
    let inFlight = 0;
    const launch = (): void => {
      while (inFlight < request.concurrency && index < kinds.length) {
        const kind = kinds[index++]!;
        inFlight++;
        const done = (ok: boolean): void => {
          inFlight--;
          if (ok) opened++;
          else failed++;
          if (opened + failed === kinds.length) resolve();
          else launch();
        };
        subscriptions.push(kind === 'sse' ? openSse(request, done) : openWs(request, done));
      }
    };
    if (kinds.length === 0) resolve();
    else launch();
  });
  return { opened, failed };
}

serveWorker({
  open,
  /** Forgets what was recorded so far (after the connection phase). */
  reset: () => {
    versions = new Map();
    gaps = 0;
    gapSamples = [];
    puts = 0;
    parseErrors = 0;
    closedEarly = 0;
    return true;
  },
  /** How many open subscriptions hold at least `version`, and how many are open. */
  progress: (version: number) => {
    let at = 0;
    let open = 0;
    for (const subscription of subscriptions) {
      if (!subscription.open) continue;
      open++;
      if (subscription.held >= version) at++;
    }
    return { at, open, total: subscriptions.length };
  },
  report: (): FanoutReport => ({
    versions: [...versions].map(([version, [count, first, last]]) => [version, count, first, last]),
    gaps,
    gapSamples,
    puts,
    closedEarly,
    parseErrors,
    patchBytes,
  }),
  close: () => {
    closing = true;
    for (const subscription of subscriptions.splice(0)) subscription.close();
    return true;
  },
});
