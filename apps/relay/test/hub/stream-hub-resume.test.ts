import { describe, expect, it } from 'vitest';
import { FakeSubscriber } from './fake-subscriber';
import { setupHub as setup } from './hub-setup';

describe('StreamHub resume', () => {
  it('sends nothing to a subscriber that holds the current version', async () => {
    const { hub, write } = setup();
    await write('server-flag', (flag) => ({ ...flag, enabled: false }));
    const subscriber = new FakeSubscriber();
    hub.subscribe({ environment: 'production', kind: 'server', subscriber, since: 2 });
    expect(subscriber.buffers).toEqual([]);
  });

  it('sends only the missed patches while the ring holds them', async () => {
    const { hub, write } = setup();
    for (let i = 0; i < 3; i++)
      await write('server-flag', (flag) => ({ ...flag, description: `v${i}` }));
    for (const kind of ['server', 'client'] as const) {
      const subscriber = new FakeSubscriber();
      hub.subscribe({ environment: 'production', kind, subscriber, since: 2 });
      expect(subscriber.messages().map((m) => [m.event, m.data.from, m.data.version])).toEqual([
        ['patch', 2, 3],
        ['patch', 3, 4],
      ]);
    }
  });

  it("falls back to the store's stored patch bytes for server streams when its own ring is shorter", async () => {
    const { hub, write, store } = setup({ ringSize: 1 });
    for (let i = 0; i < 3; i++)
      await write('server-flag', (flag) => ({ ...flag, description: `v${i}` }));
    const subscriber = new FakeSubscriber();
    hub.subscribe({ environment: 'production', kind: 'server', subscriber, since: 1 });

    const stored = store.changesSince('production', 1);
    if (!stored.ok) throw new Error('store ring should hold the changes');
    expect(subscriber.messages().map((m) => m.event)).toEqual(['patch', 'patch', 'patch']);
    expect(subscriber.buffers.map((b) => b.toString().split('data: ')[1]!.trim())).toEqual(
      stored.changes.map((c) => c.patchJson),
    );
  });

  it('sends a put when no ring reaches back far enough, or the version is unknown', async () => {
    const { hub, write } = setup({ ringSize: 1 }, 1);
    for (let i = 0; i < 3; i++)
      await write('server-flag', (flag) => ({ ...flag, description: `v${i}` }));
    for (const since of [1, 99, -1, Number.NaN]) {
      for (const kind of ['server', 'client'] as const) {
        const subscriber = new FakeSubscriber();
        hub.subscribe({ environment: 'production', kind, subscriber, since });
        expect(subscriber.messages().map((m) => [m.event, m.id])).toEqual([['put', '4']]);
      }
    }
  });
});
