/**
 * The floor: the least a Node server can do for the same clients. node:http + ws on one
 * listener; SSE responses written straight to the socket like the relay's; a write
 * (`POST /publish` with a flag) is encoded once and the same Buffer goes to every subscriber,
 * a slice of 1,000 per turn of the event loop (what PERF-NOTES found keeps the loop
 * responsive at no CPU cost); the first slice is written before the acknowledgement, as the
 * relay does. No store, no validation, no
 * logging: whatever the relay does beyond this is its overhead.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { serveWorker } from '../lib/worker-rpc';

type Target = { sse: Socket } | { ws: WebSocket };

const SLICE = 1000;
const targets = new Set<Target>();
let version = 1;
let putJson = '';

const sseBlock = (event: string, id: number, json: string): Buffer =>
  Buffer.from(`id: ${id}\nevent: ${event}\ndata: ${json}\n\n`);
const wsFrame = (event: string, json: string): Buffer =>
  Buffer.from(`{"type":"${event}",${json.slice(1)}`);

function broadcast(sse: Buffer, ws: Buffer): void {
  const list = [...targets];
  const run = (start: number): void => {
    const end = Math.min(list.length, start + SLICE);
    for (let i = start; i < end; i++) {
      const target = list[i]!;
      if ('sse' in target) {
        if (!target.sse.destroyed) target.sse.write(sse);
      } else if (target.ws.readyState === 1) target.ws.send(ws, { binary: false });
    }
    if (end < list.length) setImmediate(run, end);
  };
  run(0);
}

function publish(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const flag = JSON.parse(Buffer.concat(chunks).toString()) as { key: string };
    const from = version;
    version += 1;
    const json = JSON.stringify({
      from,
      version,
      flags: { [flag.key]: { ...flag, version } },
      segments: {},
      deleted: { flags: [], segments: [] },
    });
    // Like the relay, which hands the change to its first slice of subscribers inside the
    // commit, before the admin response goes out: the same start line for both.
    broadcast(sseBlock('patch', version, json), wsFrame('patch', json));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(`{"version":${version}}`);
  });
}

function stream(request: IncomingMessage): void {
  const socket = request.socket;
  socket.setNoDelay(true);
  socket.setTimeout(0);
  socket.write(
    'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n' +
      'Cache-Control: no-cache\r\nConnection: close\r\n\r\n',
  );
  socket.write(sseBlock('put', version, putJson));
  const target = { sse: socket };
  targets.add(target);
  socket.once('close', () => targets.delete(target));
}

serveWorker({
  /** Listens on 127.0.0.1:`port` (0: any) serving `put` (a snapshot JSON) to new subscribers. */
  start: ({ port, put }: { port: number; put: { version: number } }) =>
    new Promise<number>((resolve) => {
      version = put.version;
      putJson = JSON.stringify(put);
      const server = createServer((request, response) => {
        if (request.method === 'POST' && request.url === '/publish') publish(request, response);
        else if (request.url?.startsWith('/sdk/v1/stream')) stream(request);
        else response.writeHead(404).end();
      });
      const wss = new WebSocketServer({
        server,
        path: '/sdk/v1/ws',
        perMessageDeflate: false,
        clientTracking: false,
      });
      wss.on('connection', (ws) => {
        ws.send(wsFrame('put', putJson), { binary: false });
        const target = { ws };
        targets.add(target);
        ws.on('error', () => undefined);
        ws.once('close', () => targets.delete(target));
      });
      server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    }),
  subscribers: () => targets.size,
});
