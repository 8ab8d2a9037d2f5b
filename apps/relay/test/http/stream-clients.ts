import { WebSocket } from 'ws';
import type { Json } from './relay-harness';

/** One SSE block: fields as received (comments are skipped). */
export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
}

/** A queue that hands out items as they arrive. */
class Inbox<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((item: T) => void)[] = [];

  push(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(item);
    else this.items.push(item);
  }

  next(timeoutMs: number, what: string): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (value: T): void => {
        clearTimeout(timer);
        resolve(value);
      };
      this.waiters.push(waiter);
    });
  }

  get pending(): number {
    return this.items.length;
  }
}

/** A minimal SSE client over fetch that exposes every field (EventSource hides `retry`). */
export class SseClient {
  private readonly inbox = new Inbox<SseEvent>();
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;

  private constructor(
    readonly response: Response,
    private readonly controller: AbortController,
  ) {
    this.ended = this.pump();
  }

  /** Opens a stream; rejects unless the answer is 200. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, { headers, signal: controller.signal });
    if (response.status !== 200)
      throw new Error(`SSE answered ${response.status}: ${await response.text()}`);
    return new SseClient(response, controller);
  }

  /** The next event (skipping the `retry`-only block unless asked). */
  async next(timeoutMs = 5000): Promise<SseEvent> {
    return this.inbox.next(timeoutMs, 'SSE event');
  }

  /** The next event with data (puts, patches, OFREP notices). */
  async nextData(timeoutMs = 5000): Promise<SseEvent & { json: Json }> {
    for (;;) {
      const event = await this.next(timeoutMs);
      if (event.data !== undefined) return { ...event, json: JSON.parse(event.data) };
    }
  }

  /** Events received and not read yet. */
  get pending(): number {
    return this.inbox.pending;
  }

  close(): void {
    this.controller.abort();
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || line === '') continue;
            const colon = line.indexOf(':');
            const field = line.slice(0, colon) as keyof SseEvent;
            event[field] = line.slice(colon + 1).replace(/^ /, '');
          }
          if (Object.keys(event).length > 0) this.inbox.push(event);
        }
      }
    } catch {
      // aborted by close(), or the connection was cut
    }
  }
}

/** A WebSocket client with a message inbox and the close code it got. */
export class WsClient {
  private readonly inbox = new Inbox<Json>();
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.inbox.push(JSON.parse(String(data))));
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  /** Connects (resolves once open, or once closed if the server closes at once). */
  static async open(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
    const ws = new WebSocket(url, { headers });
    const client = new WsClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  next(timeoutMs = 5000): Promise<Json> {
    return this.inbox.next(timeoutMs, 'WebSocket message');
  }

  get pending(): number {
    return this.inbox.pending;
  }

  close(): void {
    this.ws.terminate();
  }
}
