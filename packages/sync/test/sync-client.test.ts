import { booleanFlag, FakeClock, snapshotOf } from '@switchyard/testkit';
import { evaluateFlag, type Snapshot } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { SyncClient, type SnapshotChange, type StatusChange } from '../src/index';
import { FakeTransport } from './fake-transport';

const snapshotAt = (version: number, on = false): Snapshot =>
  snapshotOf(
    [
      booleanFlag('f', { version, fallthrough: { variation: on ? 'on' : 'off' } }),
      booleanFlag('g', { version: 1 }),
    ],
    [],
    { version },
  );

function setup(options: { initialSnapshot?: Snapshot; staleGraceMs?: number } = {}) {
  const clock = new FakeClock();
  const transport = new FakeTransport();
  const changes: SnapshotChange[] = [];
  const statuses: StatusChange[] = [];
  const client = new SyncClient({
    transport,
    clock,
    random: () => 0.5,
    backoff: { initialMs: 1000, maxMs: 8000, resetAfterMs: 10_000 },
    ...options,
    onChange: (change) => changes.push(change),
    onStatus: (change) => statuses.push(change),
  });
  client.start();
  return { clock, transport, client, changes, statuses };
}

describe('SyncClient', () => {
  it('is NOT_READY until the first put, then READY with every flag reported changed', () => {
    const { transport, client, changes, statuses } = setup();
    expect(client.status).toBe('NOT_READY');
    expect(transport.last.since).toBeUndefined();
    transport.last.open();
    expect(client.status).toBe('NOT_READY');
    transport.last.send({ type: 'put', ...snapshotAt(5) });
    expect(client.status).toBe('READY');
    expect(statuses.map((s) => s.status)).toEqual(['READY']);
    expect(changes[0]).toMatchObject({ changedFlags: ['f', 'g'], source: 'put' });
    expect(client.snapshot?.version).toBe(5);
  });

  it('applies patches and reports only the flags that changed', () => {
    const { transport, client, changes } = setup();
    transport.last.send({ type: 'put', ...snapshotAt(5) });
    transport.last.send({
      type: 'patch',
      from: 5,
      version: 6,
      flags: { f: booleanFlag('f', { version: 6, fallthrough: { variation: 'on' } }) },
    });
    expect(changes[1]).toMatchObject({ changedFlags: ['f'], source: 'patch' });
    expect(evaluateFlag(client.snapshot!, 'f', {}).value).toBe(true);
  });

  it('resyncs with a full put when a patch does not apply on the held version', () => {
    const { transport, client } = setup();
    transport.last.send({ type: 'put', ...snapshotAt(5) });
    transport.last.send({ type: 'patch', from: 7, version: 8, flags: {} });
    expect(transport.connections).toHaveLength(2);
    expect(transport.connections[0]!.closed).toBe(true);
    expect(transport.last.since).toBeUndefined();
    expect(client.snapshot?.version).toBe(5);
  });

  it('keeps the previous snapshot when a payload is not a snapshot, and never goes back in version', () => {
    const { transport, client } = setup();
    transport.last.send({ type: 'put', ...snapshotAt(5) });
    transport.last.send({ type: 'put', schemaVersion: 9 } as never);
    transport.last.send({ type: 'put', ...snapshotAt(3, true) });
    transport.last.garbage('not json');
    expect(client.snapshot?.version).toBe(5);
    expect(evaluateFlag(client.snapshot!, 'f', {}).value).toBe(false);
    expect(client.status).toBe('READY');
  });

  it('goes STALE when the connection drops, keeps serving, and reconnects with the held version after backoff', () => {
    const { clock, transport, client } = setup();
    transport.last.send({ type: 'put', ...snapshotAt(5) });
    transport.last.drop();
    expect(client.status).toBe('STALE');
    expect(evaluateFlag(client.snapshot!, 'f', {}).variant).toBe('off');
    expect(transport.connections).toHaveLength(1);
    clock.advance(499); // full jitter: random 0.5 of the 1000 ms ceiling
    expect(transport.connections).toHaveLength(1);
    clock.advance(1);
    expect(transport.connections).toHaveLength(2);
    expect(transport.last.since).toBe(5);
    transport.last.open();
    expect(client.status).toBe('READY');
  });

  it('doubles the backoff ceiling up to the cap and resets it after a healthy period', () => {
    const { clock, transport } = setup();
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const before = clock.now();
      transport.last.drop();
      const count = transport.connections.length;
      while (transport.connections.length === count) clock.advance(1);
      delays.push(clock.now() - before);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    transport.last.open();
    clock.advance(10_000);
    transport.last.drop();
    const before = clock.now();
    while (transport.connections.length === 7) clock.advance(1);
    expect(clock.now() - before).toBe(500);
  });

  it('turns STALE into ERROR after the grace period, and back to READY when the relay returns', () => {
    const { clock, transport, client, statuses } = setup({ staleGraceMs: 5000 });
    transport.last.send({ type: 'put', ...snapshotAt(5) });
    transport.last.drop();
    for (let i = 0; i < 10 && client.status !== 'ERROR'; i++) {
      clock.advance(1000);
      if (!transport.last.closed) transport.last.drop();
    }
    expect(client.status).toBe('ERROR');
    clock.advance(10_000);
    transport.last.open();
    expect(client.status).toBe('READY');
    expect(statuses.map((s) => s.status)).toEqual(['READY', 'STALE', 'ERROR', 'READY']);
  });

  it('retries quickly after a connection that worked ends, escalating only failed attempts', () => {
    const { clock, transport } = setup();
    const waitFor = () => {
      const before = clock.now();
      const count = transport.connections.length;
      while (transport.connections.length === count) clock.advance(1);
      return clock.now() - before;
    };
    transport.last.drop(); // never opened: a failed attempt
    expect(waitFor()).toBe(500);
    transport.last.drop();
    expect(waitFor()).toBe(1000);
    transport.last.open();
    transport.last.drop(); // it worked, then ended (a relay restart): start again
    expect(waitFor()).toBe(500);
  });

  it('stops for good when the key is refused', () => {
    const { clock, transport, client, statuses } = setup();
    transport.last.drop({ fatal: true, status: 401, message: 'unauthorized' });
    expect(client.status).toBe('ERROR');
    expect(statuses.at(-1)).toMatchObject({ status: 'ERROR', fatal: true });
    clock.advance(120_000);
    expect(transport.connections).toHaveLength(1);
  });

  it('serves an initial (cached) snapshot at once, not yet live, and resumes from its version', () => {
    const { transport, client, changes, statuses } = setup({ initialSnapshot: snapshotAt(4) });
    expect(client.status).toBe('READY');
    expect(client.live).toBe(false);
    expect(changes).toHaveLength(1);
    expect(transport.last.since).toBe(4);
    transport.last.open();
    expect(client.live).toBe(true);
    expect(statuses.at(-1)).toMatchObject({ status: 'READY', previous: 'READY' });
  });

  it("takes the relay's snapshot on a fresh connection even when the cache is ahead of it", () => {
    const { transport, client } = setup({ initialSnapshot: snapshotAt(50, true) });
    expect(transport.last.since).toBe(50);
    transport.last.open();
    transport.last.send({ type: 'put', ...snapshotAt(10) });
    expect(client.snapshot?.version).toBe(10);
    expect(evaluateFlag(client.snapshot!, 'f', {}).variant).toBe('off');
    transport.last.send({ type: 'put', ...snapshotAt(9) });
    expect(client.snapshot?.version).toBe(10);
  });

  it('ignores events from a connection it already closed', () => {
    const { transport, client } = setup();
    transport.last.send({ type: 'put', ...snapshotAt(5) });
    const old = transport.last;
    transport.last.send({ type: 'patch', from: 9, version: 10 });
    old.send({ type: 'put', ...snapshotAt(20) });
    expect(client.snapshot?.version).toBe(5);
    client.stop();
    transport.last.send({ type: 'put', ...snapshotAt(30) });
    expect(client.snapshot?.version).toBe(5);
  });
});
