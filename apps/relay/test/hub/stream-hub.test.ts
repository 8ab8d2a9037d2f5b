import { hashContextKey } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { StreamHub } from '../../src/hub/stream-hub';
import { HUB_SALT, setupHub } from './hub-setup';
import type { ChangeRecord, FlagStore } from '../../src/store/flag-store';
import { MemoryFlagStore } from '../../src/store/memory-flag-store';
import { FakeSubscriber } from './fake-subscriber';
import { demoSnapshot } from './flag-fixtures';

const SALT = HUB_SALT;

describe('StreamHub', () => {
  it('sends a put with the version as SSE id, then each change as a patch', async () => {
    const { hub, write } = setupHub();
    const subscriber = new FakeSubscriber('sse');
    hub.subscribe({ environment: 'production', kind: 'server', subscriber });
    await write('server-flag', (flag) => ({ ...flag, enabled: false }));

    const [put, patch] = subscriber.messages();
    expect(put).toMatchObject({ id: '1', event: 'put', data: { version: 1 } });
    expect(Object.keys(put!.data.flags).sort()).toEqual(['client-flag', 'server-flag']);
    expect(patch).toMatchObject({
      id: '2',
      event: 'patch',
      data: { from: 1, version: 2, flags: { 'server-flag': { enabled: false } } },
    });
  });

  it('encodes a change once and hands the same bytes to every subscriber of a format', async () => {
    const { hub, write } = setupHub();
    const [a, b, c] = [
      new FakeSubscriber('ws'),
      new FakeSubscriber('ws'),
      new FakeSubscriber('sse'),
    ];
    for (const subscriber of [a, b, c])
      hub.subscribe({ environment: 'production', kind: 'server', subscriber });
    await write('server-flag', (flag) => ({ ...flag, enabled: false }));

    expect(a.buffers[1]).toBe(b.buffers[1]);
    expect(a.buffers[0]).toBe(b.buffers[0]); // the put too
    expect(JSON.parse(a.buffers[1]!.toString())).toMatchObject({
      type: 'patch',
      from: 1,
      version: 2,
    });
    expect(c.buffers[1]!.toString()).toMatch(/^id: 2\nevent: patch\ndata: \{/);
  });

  it('gives client streams only client-side flags and their segments, with hashed keys', async () => {
    const { hub, write } = setupHub();
    const subscriber = new FakeSubscriber('ws');
    hub.subscribe({ environment: 'production', kind: 'client', subscriber });
    await write('client-flag', (flag) => ({ ...flag, targets: { on: ['alice', 'dave'] } }));

    const [put, patch] = subscriber.messages().map((message) => message.data);
    expect(Object.keys(put.flags)).toEqual(['client-flag']);
    expect(Object.keys(put.segments)).toEqual(['beta']);
    expect(put.keySalt).toBe(SALT);
    expect(JSON.stringify(put)).not.toContain('alice');
    expect(patch.flags['client-flag'].targets.on).toEqual({
      sha256: [hashContextKey(SALT, 'alice'), hashContextKey(SALT, 'dave')],
    });
  });

  it('keeps the client chain contiguous with an empty patch when a change is server-only', async () => {
    const { hub, write } = setupHub();
    const subscriber = new FakeSubscriber('ws');
    hub.subscribe({ environment: 'production', kind: 'client', subscriber });
    await write('server-flag', (flag) => ({ ...flag, enabled: false }));
    await write('client-flag', (flag) => ({ ...flag, enabled: false }));

    const patches = subscriber
      .messages()
      .slice(1)
      .map((message) => message.data);
    expect(patches[0]).toEqual({
      type: 'patch',
      from: 1,
      version: 2,
      flags: {},
      segments: {},
      deleted: { flags: [], segments: [] },
    });
    expect(patches[1]).toMatchObject({
      from: 2,
      version: 3,
      flags: { 'client-flag': { enabled: false } },
    });
  });

  it('deletes a flag from client streams when it stops being client-side, with the segment it alone used', async () => {
    const { hub, write } = setupHub();
    const subscriber = new FakeSubscriber('ws');
    hub.subscribe({ environment: 'production', kind: 'client', subscriber });
    await write('client-flag', (flag) => ({ ...flag, clientSide: false }));

    const patch = subscriber.messages()[1]!.data;
    expect(patch.deleted).toEqual({ flags: ['client-flag'], segments: ['beta'] });
  });

  it('never streams admin-only rollout fields', async () => {
    const { hub, write } = setupHub();
    const subscriber = new FakeSubscriber('ws');
    await write('server-flag', (flag) => ({
      ...flag,
      rollout: { variation: 'on', increment: 10, frequency: 'daily' },
    }));
    hub.subscribe({ environment: 'production', kind: 'server', subscriber });
    await write('server-flag', (flag) => ({ ...flag, description: 'still rolling out' }));

    expect(subscriber.buffers.map(String).join('')).not.toContain('rollout');
  });

  it('drops a subscriber whose backlog passed the cap while the others keep receiving', async () => {
    const dropped: string[] = [];
    const { hub, write } = setupHub({
      maxSubscriberBufferBytes: 1000,
      observer: {
        connected() {},
        disconnected() {},
        sent() {},
        enqueued() {},
        dropped: (env, kind, format) => dropped.push(`${env}/${kind}/${format}`),
      },
    });
    const [slow, fast] = [new FakeSubscriber('ws'), new FakeSubscriber('ws')];
    hub.subscribe({ environment: 'production', kind: 'server', subscriber: slow });
    hub.subscribe({ environment: 'production', kind: 'server', subscriber: fast });
    slow.backlog = 1001;
    await write('server-flag', (flag) => ({ ...flag, enabled: false }));
    await write('server-flag', (flag) => ({ ...flag, enabled: true }));

    expect(slow.closedWith).toBe('slow-consumer');
    expect(slow.buffers).toHaveLength(1); // the put only
    expect(fast.messages().map((m) => m.data.version)).toEqual([1, 2, 3]);
    expect(dropped).toEqual(['production/server/ws']);
    expect(hub.connections).toBe(1);
  });

  it('broadcasts a slice of subscribers per event-loop turn, in order, without duplicates for late joiners', async () => {
    const turns: (() => void)[] = [];
    const { hub, write } = setupHub({ sliceSize: 2, yieldToLoop: (next) => turns.push(next) });
    const early = Array.from({ length: 5 }, () => new FakeSubscriber('ws'));
    for (const subscriber of early)
      hub.subscribe({ environment: 'production', kind: 'server', subscriber });
    await write('server-flag', (flag) => ({ ...flag, enabled: false }));
    await write('server-flag', (flag) => ({ ...flag, enabled: true }));

    expect(early.map((s) => s.buffers.length)).toEqual([2, 2, 1, 1, 1]); // first slice of version 2 only
    const late = new FakeSubscriber('ws');
    hub.subscribe({ environment: 'production', kind: 'server', subscriber: late }); // put at version 3
    while (turns.length > 0) turns.shift()!();

    for (const subscriber of early)
      expect(subscriber.messages().map((m) => m.data.version)).toEqual([1, 2, 3]);
    expect(late.messages().map((m) => [m.data.type, m.data.version])).toEqual([['put', 3]]);
  });

  it('closes streams that reach the maximum age with a reconnect reason, unless they closed first', () => {
    const timers: { run: () => void; ms: number; cancelled: boolean }[] = [];
    const { hub } = setupHub({
      maxConnectionAgeMs: 60_000,
      random: () => 0.5,
      setTimer: (run, ms) => {
        const timer = { run, ms, cancelled: false };
        timers.push(timer);
        return { cancel: () => (timer.cancelled = true) };
      },
    });
    const [kept, left] = [new FakeSubscriber(), new FakeSubscriber()];
    hub.subscribe({ environment: 'production', kind: 'server', subscriber: kept });
    const unsubscribe = hub.subscribe({
      environment: 'production',
      kind: 'server',
      subscriber: left,
    });
    unsubscribe();

    expect(timers.map((t) => [t.ms, t.cancelled])).toEqual([
      [60_000, false],
      [60_000, true],
    ]);
    timers[0]!.run();
    expect(kept.closedWith).toBe('max-age');
    expect(left.closedWith).toBeUndefined();
    expect(hub.connections).toBe(0);
  });

  it('notifies OFREP streams to refetch on every change, and on connect unless they are current', async () => {
    const { hub, write } = setupHub();
    const [fresh, current] = [new FakeSubscriber(), new FakeSubscriber()];
    hub.subscribe({ environment: 'production', kind: 'ofrep', subscriber: fresh });
    hub.subscribe({ environment: 'production', kind: 'ofrep', subscriber: current, since: 1 });
    await write('server-flag', (flag) => ({ ...flag, enabled: false }));

    expect(fresh.messages().map((m) => [m.id, m.event, m.data.type, m.data.etag])).toEqual([
      ['1', undefined, 'refetchEvaluation', '1'],
      ['2', undefined, 'refetchEvaluation', '2'],
    ]);
    expect(current.messages()).toHaveLength(1);
    expect(current.messages()[0]!.data.lastModified).toEqual(expect.any(Number));
  });

  it('resyncs everyone with a put when the change feed skips a version', async () => {
    const store = new MemoryFlagStore({
      environments: ['production'],
      seed: { production: demoSnapshot() },
    });
    const committed: ChangeRecord[] = [];
    store.onChange((change) => committed.push(change));
    const deliver: ((change: ChangeRecord) => void)[] = [];
    // The hub only sees the changes this test hands it.
    const quiet: FlagStore = Object.assign(Object.create(store) as FlagStore, {
      onChange: (listener: (change: ChangeRecord) => void) => (deliver.push(listener), () => {}),
    });
    const hub = new StreamHub({ store: quiet, environments: { production: { keySalt: SALT } } });
    hub.start();
    const subscriber = new FakeSubscriber('ws');
    hub.subscribe({ environment: 'production', kind: 'client', subscriber });
    for (const enabled of [false, true]) {
      await store.update('production', {
        actor: 'test',
        action: 'write',
        mutate: (current) => ({
          ok: true,
          mutation: { flags: { 'client-flag': { ...current.flags['client-flag']!, enabled } } },
        }),
      });
    }
    deliver[0]!(committed[1]!); // version 3 arrives, version 2 never did

    expect(subscriber.messages().map((m) => [m.data.type, m.data.version])).toEqual([
      ['put', 1],
      ['put', 3],
    ]);
  });

  it('closes every stream on stop', () => {
    const { hub } = setupHub();
    const subscriber = new FakeSubscriber();
    hub.subscribe({ environment: 'production', kind: 'client', subscriber });
    hub.stop('shutdown');
    expect(subscriber.closedWith).toBe('shutdown');
    expect(hub.connections).toBe(0);
  });
});
