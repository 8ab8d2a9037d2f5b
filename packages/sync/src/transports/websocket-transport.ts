import { parseRelayMessage, WS_CLOSE_UNAUTHORIZED } from '@switchyard/core/protocol';
import type { WebSocketFactory } from '../platform';
import {
  authHeaders,
  relayUrl,
  type RelayEndpoint,
  type SnapshotTransport,
  type TransportConnection,
  type TransportHandlers,
} from '../transport';

/** Options of WebSocketTransport. */
export interface WebSocketTransportOptions extends RelayEndpoint {
  createWebSocket: WebSocketFactory;
}

/**
 * Receives puts and patches over a WebSocket (`GET /sdk/v1/ws`): sends `hello` with the held
 * version first, so the relay answers with only the missed patches when it can.
 */
export class WebSocketTransport implements SnapshotTransport {
  readonly name = 'ws';

  readonly #options: WebSocketTransportOptions;

  constructor(options: WebSocketTransportOptions) {
    this.#options = options;
  }

  connect(since: number | undefined, handlers: TransportHandlers): TransportConnection {
    // `since` travels in the URL so the relay serves the resume at once, without waiting for
    // (and racing) the hello frame; the hello is still sent for relays that only read that.
    const url = relayUrl(this.#options, '/sdk/v1/ws', {
      since: since === undefined ? '' : String(since),
    }).replace(/^http/, 'ws');
    const socket = this.#options.createWebSocket(url, authHeaders(this.#options));
    let closed = false;

    socket.onopen = () => {
      if (closed) return;
      socket.send(
        JSON.stringify(since === undefined ? { type: 'hello' } : { type: 'hello', since }),
      );
      handlers.onOpen();
    };
    socket.onmessage = (event) => {
      if (closed) return;
      const text = typeof event.data === 'string' ? event.data : String(event.data);
      const parsed = parseRelayMessage(text);
      if (parsed === undefined) handlers.onGarbage('unreadable WebSocket message');
      else handlers.onMessage(parsed);
    };
    socket.onerror = () => {
      // A close event always follows; the reason is reported there.
    };
    socket.onclose = (event) => {
      if (closed) return;
      closed = true;
      const fatal = event.code === WS_CLOSE_UNAUTHORIZED;
      handlers.onClose({
        message: `WebSocket closed (${event.code}${event.reason === '' ? '' : `: ${event.reason}`})`,
        fatal,
        ...(fatal ? { status: 401 } : {}),
      });
    };
    return {
      close() {
        closed = true;
        socket.close(1000, 'client closed');
      },
    };
  }
}
