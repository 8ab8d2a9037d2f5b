import { type Clock, type FetchFunction, systemClock } from '../platform';
import {
  authHeaders,
  isFatalStatus,
  relayUrl,
  type RelayEndpoint,
  type SnapshotTransport,
  type TransportConnection,
  type TransportHandlers,
} from '../transport';

/** Options of PollingTransport. */
export interface PollingTransportOptions extends RelayEndpoint {
  fetch: FetchFunction;
  /** Timers. Default: the real clock. */
  clock?: Clock;
  /** Time between polls. Default 30000 ms. */
  intervalMs?: number;
}

/**
 * Polls `GET /sdk/v1/snapshot` with `If-None-Match`, so an unchanged snapshot costs a 304.
 * A failed poll ends the "connection"; the sync client reconnects with backoff.
 */
export class PollingTransport implements SnapshotTransport {
  readonly name = 'poll';

  readonly #options: PollingTransportOptions;

  constructor(options: PollingTransportOptions) {
    this.#options = options;
  }

  connect(since: number | undefined, handlers: TransportHandlers): TransportConnection {
    const clock = this.#options.clock ?? systemClock;
    let closed = false;
    let timer: unknown;
    let etag = since === undefined ? undefined : `"${since}"`;
    let opened = false;

    const poll = async (): Promise<void> => {
      try {
        const headers = {
          ...authHeaders(this.#options),
          ...(etag === undefined ? {} : { 'If-None-Match': etag }),
        };
        const response = await this.#options.fetch(relayUrl(this.#options, '/sdk/v1/snapshot'), {
          headers,
        });
        if (closed) return;
        if (response.status !== 200 && response.status !== 304) {
          closed = true;
          handlers.onClose({
            message: `snapshot poll answered ${response.status}`,
            fatal: isFatalStatus(response.status),
            status: response.status,
          });
          return;
        }
        if (!opened) {
          opened = true;
          handlers.onOpen();
        }
        if (response.status === 200) {
          const text = await response.text();
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            handlers.onGarbage('snapshot poll body is not JSON');
          }
          if (body !== undefined && !closed) {
            etag = response.headers.get('etag') ?? undefined;
            handlers.onMessage({ type: 'put', ...(body as object) } as never);
          }
        }
        if (!closed)
          timer = clock.setTimeout(() => void poll(), this.#options.intervalMs ?? 30_000);
      } catch (error) {
        if (closed) return;
        closed = true;
        handlers.onClose({
          message: `snapshot poll failed: ${(error as Error).message}`,
          fatal: false,
        });
      }
    };
    void poll();
    return {
      close() {
        closed = true;
        clock.clearTimeout(timer);
      },
    };
  }
}
