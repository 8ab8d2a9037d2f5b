import { parseRelayMessage } from '@switchyard/core/protocol';
import type { EventSourceFactory, FetchFunction } from '../platform';
import {
  authHeaders,
  isFatalStatus,
  relayUrl,
  type RelayEndpoint,
  type SnapshotTransport,
  type TransportConnection,
  type TransportHandlers,
} from '../transport';

/** Options of SseTransport. */
export interface SseTransportOptions extends RelayEndpoint {
  createEventSource: EventSourceFactory;
  /** Used to learn why a stream failed when the EventSource does not say (browsers). */
  fetch?: FetchFunction;
}

/**
 * Receives puts and patches over Server-Sent Events (`GET /sdk/v1/stream`). Reconnection is
 * the sync client's: on any error this closes the EventSource so backoff stays in one place,
 * and resumes with `lastEventId` on the next connect.
 */
export class SseTransport implements SnapshotTransport {
  readonly name = 'sse';

  readonly #options: SseTransportOptions;

  constructor(options: SseTransportOptions) {
    this.#options = options;
  }

  connect(since: number | undefined, handlers: TransportHandlers): TransportConnection {
    const url = relayUrl(this.#options, '/sdk/v1/stream', {
      lastEventId: since === undefined ? undefined : String(since),
    });
    const source = this.#options.createEventSource(url, authHeaders(this.#options));
    let closed = false;
    let opened = false;

    const end = (message: string, status: number | undefined): void => {
      if (closed) return;
      closed = true;
      source.close();
      handlers.onClose({
        message,
        fatal: isFatalStatus(status),
        ...(status === undefined ? {} : { status }),
      });
    };

    source.addEventListener('open', () => {
      opened = true;
      if (!closed) handlers.onOpen();
    });
    for (const event of ['put', 'patch'] as const) {
      source.addEventListener(event, (message) => {
        if (closed) return;
        const parsed = parseRelayMessage(message.data ?? '', event);
        if (parsed === undefined) handlers.onGarbage(`unreadable ${event} event`);
        else handlers.onMessage(parsed);
      });
    }
    source.addEventListener('error', (event) => {
      if (closed) return;
      if (event.code !== undefined || opened || this.#options.fetch === undefined) {
        end(
          `stream error${event.code === undefined ? '' : ` (HTTP ${event.code})`}: ${event.message ?? 'connection lost'}`,
          event.code,
        );
        return;
      }
      // A browser EventSource hides the status: ask the snapshot endpoint whether the key is refused.
      this.#options
        .fetch(relayUrl(this.#options, '/sdk/v1/snapshot'), {
          method: 'HEAD',
          headers: authHeaders(this.#options),
        })
        .then(
          (response) =>
            end(
              `stream could not connect (snapshot answered ${response.status})`,
              isFatalStatus(response.status) ? response.status : undefined,
            ),
          () => end('stream could not connect', undefined),
        );
    });
    return {
      close: () => {
        closed = true;
        source.close();
      },
    };
  }
}
