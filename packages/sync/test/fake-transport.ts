import type { RelayMessage } from '@switchyard/core/protocol';
import type {
  SnapshotTransport,
  TransportClose,
  TransportConnection,
  TransportHandlers,
} from '../src/index';

/** One connection a FakeTransport handed out, driven by the test. */
export interface FakeConnection {
  since: number | undefined;
  closed: boolean;
  open(): void;
  send(message: RelayMessage): void;
  garbage(detail: string): void;
  drop(reason?: Partial<TransportClose>): void;
}

/** A transport the test drives by hand: it records every connect and its `since`. */
export class FakeTransport implements SnapshotTransport {
  readonly name = 'fake';
  readonly connections: FakeConnection[] = [];

  get last(): FakeConnection {
    const connection = this.connections[this.connections.length - 1];
    if (connection === undefined) throw new Error('no connection yet');
    return connection;
  }

  connect(since: number | undefined, handlers: TransportHandlers): TransportConnection {
    const connection: FakeConnection = {
      since,
      closed: false,
      open: () => handlers.onOpen(),
      send: (message) => handlers.onMessage(message),
      garbage: (detail) => handlers.onGarbage(detail),
      drop: (reason = {}) => {
        connection.closed = true;
        handlers.onClose({ message: 'dropped', fatal: false, ...reason });
      },
    };
    this.connections.push(connection);
    return {
      close() {
        connection.closed = true;
      },
    };
  }
}
