import type {
  CloseReason,
  EncodedMessage,
  FrameFormat,
  HubObserver,
  StreamKind,
  Subscriber,
} from './subscriber';

/** Options of a StreamChannel. */
export interface StreamChannelOptions {
  environment: string;
  kind: StreamKind;
  /** Unsent bytes above which a subscriber is dropped when the next message is due. */
  maxBufferedBytes: number;
  /** Subscribers written per turn of the event loop (PERF-NOTES: ~1,000). */
  sliceSize: number;
  /** Runs `next` on a later turn of the event loop (setImmediate in production). */
  yieldToLoop: (next: () => void) => void;
  observer: HubObserver;
}

interface Entry {
  readonly subscriber: Subscriber;
  /** The version this subscriber holds: messages at or below it are skipped. */
  version: number;
  open: boolean;
}

/**
 * The subscribers of one environment and audience, and the broadcast of its messages:
 * in order, each message's bytes handed to every subscriber, a slice at a time so a large
 * fan-out never stalls the event loop. A subscriber whose backlog passed the cap is dropped
 * (it reconnects and resumes) instead of buffering without bound or slowing the others.
 */
export class StreamChannel {
  private readonly entries = new Map<Subscriber, Entry>();
  private readonly queue: EncodedMessage[] = [];
  private pumping = false;

  constructor(private readonly options: StreamChannelOptions) {}

  /** Subscribers connected. */
  get size(): number {
    return this.entries.size;
  }

  /** Sends the catch-up messages, then keeps the subscriber for every later message. */
  add(subscriber: Subscriber, initial: readonly EncodedMessage[], version: number): void {
    const { environment, kind, observer } = this.options;
    this.entries.set(subscriber, { subscriber, version, open: true });
    observer.connected(environment, kind, subscriber.format);
    let bytes = 0;
    for (const message of initial) {
      const frame = message.bytes(subscriber.format);
      subscriber.send(frame);
      bytes += frame.length;
    }
    if (initial.length > 0)
      observer.sent(environment, kind, subscriber.format, initial.length, bytes);
  }

  /** Forgets a subscriber (its connection closed); answers whether it was here. */
  remove(subscriber: Subscriber): boolean {
    const entry = this.entries.get(subscriber);
    if (entry === undefined) return false;
    entry.open = false;
    this.entries.delete(subscriber);
    this.options.observer.disconnected(
      this.options.environment,
      this.options.kind,
      subscriber.format,
    );
    return true;
  }

  /** Queues a message for every subscriber that does not hold its version yet. */
  publish(message: EncodedMessage): void {
    this.queue.push(message);
    if (!this.pumping) this.pump();
  }

  /** Closes every subscriber with `reason`. */
  closeAll(reason: CloseReason): void {
    for (const subscriber of [...this.entries.keys()]) {
      this.remove(subscriber);
      subscriber.close(reason);
    }
  }

  private pump(): void {
    this.pumping = true;
    while (this.queue.length > 0) {
      const message = this.queue[0]!;
      const targets = [...this.entries.values()];
      if (targets.length > this.options.sliceSize) {
        this.sendSlices(message, targets, 0);
        return; // sendSlices resumes the pump when the message reached everyone
      }
      this.sendTo(message, targets, 0, targets.length);
      this.queue.shift();
    }
    this.pumping = false;
  }

  private sendSlices(message: EncodedMessage, targets: Entry[], start: number): void {
    const end = Math.min(targets.length, start + this.options.sliceSize);
    this.sendTo(message, targets, start, end);
    if (end < targets.length) {
      this.options.yieldToLoop(() => this.sendSlices(message, targets, end));
      return;
    }
    this.queue.shift();
    this.options.yieldToLoop(() => this.pump());
  }

  private sendTo(message: EncodedMessage, targets: Entry[], start: number, end: number): void {
    const totals: Record<FrameFormat, { messages: number; bytes: number }> = {
      sse: { messages: 0, bytes: 0 },
      ws: { messages: 0, bytes: 0 },
    };
    for (let i = start; i < end; i++) {
      const entry = targets[i]!;
      // Joined after this message was committed (its put or resume already covers it), or gone.
      if (!entry.open || entry.version >= message.version) continue;
      const { subscriber } = entry;
      if (subscriber.bufferedBytes() > this.options.maxBufferedBytes) {
        this.drop(entry);
        continue;
      }
      const frame = message.bytes(subscriber.format);
      try {
        subscriber.send(frame);
      } catch {
        this.drop(entry);
        continue;
      }
      entry.version = message.version;
      totals[subscriber.format].messages += 1;
      totals[subscriber.format].bytes += frame.length;
    }
    const { environment, kind, observer } = this.options;
    for (const format of ['sse', 'ws'] as const) {
      const { messages, bytes } = totals[format];
      if (messages > 0) observer.sent(environment, kind, format, messages, bytes);
    }
  }

  private drop(entry: Entry): void {
    if (!this.remove(entry.subscriber)) return;
    this.options.observer.dropped(
      this.options.environment,
      this.options.kind,
      entry.subscriber.format,
    );
    entry.subscriber.close('slow-consumer');
  }
}
