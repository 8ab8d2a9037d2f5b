import type { EncodedMessage, FrameFormat } from './subscriber';

/**
 * A put or patch (DESIGN §5) encoded once per environment and audience. The SSE block and
 * the WebSocket frame body are built on first use and then shared by every subscriber.
 */
export class WireMessage implements EncodedMessage {
  private sse: Buffer | undefined;
  private ws: Buffer | undefined;

  /** `json` is the message body without `type` (a snapshot or a patch), as one JSON object. */
  constructor(
    readonly event: 'put' | 'patch',
    readonly version: number,
    readonly json: string,
  ) {}

  bytes(format: FrameFormat): Buffer {
    if (format === 'sse') {
      // JSON.stringify never emits a raw newline, so the body fits on one `data:` line.
      this.sse ??= Buffer.from(`id: ${this.version}\nevent: ${this.event}\ndata: ${this.json}\n\n`);
      return this.sse;
    }
    // `{"type":"patch",` + the body's members: no second parse/stringify of a large body.
    this.ws ??= Buffer.from(
      this.json === '{}'
        ? `{"type":"${this.event}"}`
        : `{"type":"${this.event}",${this.json.slice(1)}`,
    );
    return this.ws;
  }
}

/**
 * The OFREP change notification (ofrep-event-streams.yaml): the default `message` event
 * whose data says `refetchEvaluation`, with the new version as `etag` (sent back by the
 * provider as `flagConfigEtag`) and the commit time as `lastModified` (Unix seconds).
 */
export class RefetchMessage implements EncodedMessage {
  private readonly sse: Buffer;

  constructor(
    readonly version: number,
    committedAt: string | undefined,
  ) {
    const seconds = committedAt === undefined ? NaN : Math.floor(Date.parse(committedAt) / 1000);
    const data = {
      type: 'refetchEvaluation',
      etag: String(version),
      ...(Number.isFinite(seconds) ? { lastModified: seconds } : {}),
    };
    this.sse = Buffer.from(`id: ${version}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  bytes(format: FrameFormat): Buffer {
    if (format !== 'sse') throw new Error('OFREP change notifications are SSE only');
    return this.sse;
  }
}

/** The SSE comment every stream receives as a heartbeat (one shared Buffer). */
export const SSE_HEARTBEAT = Buffer.from(':\n\n');

/** An SSE `retry:` field asking the client to reconnect after `ms`. */
export const sseRetry = (ms: number): Buffer =>
  Buffer.from(`retry: ${Math.max(0, Math.round(ms))}\n\n`);
