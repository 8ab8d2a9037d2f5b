import type { CloseReason, FrameFormat, Subscriber } from '../../src/hub/subscriber';
import type { Json } from '../http/relay-harness';

/** A subscriber that records what it is sent; its backlog is whatever the test sets. */
export class FakeSubscriber implements Subscriber {
  readonly buffers: Buffer[] = [];
  backlog = 0;
  closedWith: CloseReason | undefined;

  constructor(readonly format: FrameFormat = 'sse') {}

  send(bytes: Buffer): void {
    if (this.closedWith !== undefined) throw new Error('send after close');
    this.buffers.push(bytes);
  }

  bufferedBytes(): number {
    return this.backlog;
  }

  close(reason: CloseReason): void {
    this.closedWith = reason;
  }

  /** The frames received, decoded: SSE blocks as { id, event, data } or WS JSON objects. */
  messages(): { id?: string; event?: string; data: Json }[] {
    return this.buffers.map((buffer) => {
      const text = buffer.toString('utf8');
      if (this.format === 'ws') return { data: JSON.parse(text) };
      const fields = Object.fromEntries(
        text
          .trim()
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      return {
        id: fields.id,
        event: fields.event,
        data: fields.data === undefined ? undefined : JSON.parse(fields.data),
      };
    });
  }
}
