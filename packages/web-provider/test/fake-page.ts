import type { Patch, Snapshot } from '@switchyard/core';
import type {
  EventSourceLike,
  FetchFunction,
  FetchResponse,
  WebSocketLike,
} from '@switchyard/sync';
import { FakeClock } from '@switchyard/testkit';
import type { SnapshotStorage, WebPlatform } from '../src/index';

type Listener = Parameters<EventSourceLike['addEventListener']>[1];
type SseEvent = Parameters<Listener>[0];

/** An EventSource the test drives: open it, send puts and patches, fail it. */
export class FakeEventSource implements EventSourceLike {
  readyState = 0;
  closed = false;
  private readonly listeners = new Map<string, Listener[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = 2;
  }

  emit(type: string, event: SseEvent = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  open(): void {
    this.readyState = 1;
    this.emit('open');
  }

  put(snapshot: Snapshot): void {
    this.emit('put', { data: JSON.stringify(snapshot), lastEventId: String(snapshot.version) });
  }

  patch(patch: Patch & { from: number }): void {
    this.emit('patch', { data: JSON.stringify(patch), lastEventId: String(patch.version) });
  }

  /** A network error, or a refusal with an HTTP status (as the `eventsource` package reports it). */
  fail(code?: number): void {
    this.emit('error', code === undefined ? {} : { code, message: `HTTP ${code}` });
  }
}

/** A WebSocket the test drives. */
export class FakeWebSocket implements WebSocketLike {
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  readyState = 0;
  readonly sent: unknown[] = [];

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  message(body: object): void {
    this.onmessage?.({ data: JSON.stringify(body) });
  }

  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

/** Web Storage in memory, with a switch to make writes fail like a full quota. */
export class MemoryStorage implements SnapshotStorage {
  readonly items = new Map<string, string>();
  full = false;

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    if (this.full) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const response = (status: number, body = ''): FetchResponse => ({
  status,
  ok: status >= 200 && status < 300,
  headers: { get: () => null },
  text: async () => body,
});

/**
 * A page with fake EventSource, WebSocket, fetch and clock, recording every URL the provider
 * asks for, so a test can prove that nothing went to the network.
 */
export function fakePage() {
  const clock = new FakeClock();
  const sources: FakeEventSource[] = [];
  const sockets: FakeWebSocket[] = [];
  const requests: string[] = [];
  let answer: (url: string) => FetchResponse | Promise<FetchResponse> = () => response(200, '{}');
  const fetch: FetchFunction = async (url) => {
    requests.push(url);
    return answer(url);
  };
  const platform: WebPlatform = {
    createEventSource: (url) => {
      requests.push(url);
      const source = new FakeEventSource(url);
      sources.push(source);
      return source;
    },
    createWebSocket: (url) => {
      requests.push(url);
      const socket = new FakeWebSocket(url);
      sockets.push(socket);
      return socket;
    },
    fetch,
    clock,
    random: () => 0.5,
  };
  return {
    platform,
    clock,
    sources,
    sockets,
    requests,
    get source(): FakeEventSource {
      const last = sources.at(-1);
      if (last === undefined) throw new Error('no EventSource yet');
      return last;
    },
    /** Sets how fetch answers. */
    answerWith(reply: (url: string) => FetchResponse | Promise<FetchResponse>): void {
      answer = reply;
    },
    response,
  };
}

/** Lets pending promise callbacks run. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};
