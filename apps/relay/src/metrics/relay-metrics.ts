import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FrameFormat, HubObserver, StreamKind } from '../hub/subscriber';

/** How an admin write ended, as counted by `switchyard_relay_admin_writes_total`. */
export type AdminWriteOutcome =
  'ok' | 'unchanged' | 'replayed' | 'conflict' | 'invalid' | 'not_found' | 'rejected' | 'error';

/** `sse`, `ws`, or `ofrep-sse` (OFREP change notifications). */
const transportOf = (kind: StreamKind, format: FrameFormat): string =>
  kind === 'ofrep' ? 'ofrep-sse' : format;

/**
 * The relay's Prometheus metrics, in a registry of its own (several relays can run in one
 * process, as tests do). It is the hub's observer, so stream counters cost one call per
 * broadcast slice, not per socket.
 */
export class RelayMetrics implements HubObserver {
  readonly registry = new Registry();
  private readonly connections: Gauge<'transport' | 'environment'>;
  private readonly messages: Counter<'transport' | 'environment'>;
  private readonly bytes: Counter<'transport' | 'environment'>;
  private readonly drops: Counter<'transport' | 'environment'>;
  private readonly writes: Counter<'outcome'>;
  private readonly enqueueLatency: Histogram<'environment'>;

  /** `versions` answers each environment's current version when metrics are scraped. */
  constructor(versions: () => Iterable<[environment: string, version: number]>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_relay_' });
    this.connections = new Gauge({
      name: 'switchyard_relay_connections',
      help: 'Open streams by transport and environment.',
      labelNames: ['transport', 'environment'],
      registers,
    });
    this.messages = new Counter({
      name: 'switchyard_relay_messages_sent_total',
      help: 'Stream messages (puts, patches, OFREP notices) handed to sockets.',
      labelNames: ['transport', 'environment'],
      registers,
    });
    this.bytes = new Counter({
      name: 'switchyard_relay_bytes_sent_total',
      help: 'Stream bytes handed to sockets.',
      labelNames: ['transport', 'environment'],
      registers,
    });
    this.drops = new Counter({
      name: 'switchyard_relay_slow_consumers_dropped_total',
      help: 'Streams dropped because their unsent bytes passed the cap.',
      labelNames: ['transport', 'environment'],
      registers,
    });
    this.writes = new Counter({
      name: 'switchyard_relay_admin_writes_total',
      help: 'Admin API writes by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.enqueueLatency = new Histogram({
      name: 'switchyard_relay_write_to_enqueue_seconds',
      help: 'Time from a store commit to its messages being encoded and queued for every stream.',
      labelNames: ['environment'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    new Gauge({
      name: 'switchyard_relay_environment_version',
      help: 'Current version of each environment.',
      labelNames: ['environment'],
      registers,
      collect() {
        for (const [environment, version] of versions()) this.set({ environment }, version);
      },
    });
  }

  connected(environment: string, kind: StreamKind, format: FrameFormat): void {
    this.connections.inc({ transport: transportOf(kind, format), environment });
  }

  disconnected(environment: string, kind: StreamKind, format: FrameFormat): void {
    this.connections.dec({ transport: transportOf(kind, format), environment });
  }

  sent(
    environment: string,
    kind: StreamKind,
    format: FrameFormat,
    messages: number,
    bytes: number,
  ): void {
    const labels = { transport: transportOf(kind, format), environment };
    this.messages.inc(labels, messages);
    this.bytes.inc(labels, bytes);
  }

  dropped(environment: string, kind: StreamKind, format: FrameFormat): void {
    this.drops.inc({ transport: transportOf(kind, format), environment });
  }

  enqueued(environment: string, latencyMs: number): void {
    this.enqueueLatency.observe({ environment }, latencyMs / 1000);
  }

  /** Counts one admin write. */
  adminWrite(outcome: AdminWriteOutcome): void {
    this.writes.inc({ outcome });
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
