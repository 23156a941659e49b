import type { StoredEventView } from '../../../../libs/sdk/src/client';
import { EventTail } from './events';

/** An event store that lists newest first, in pages, with a cursor, as GET /v1/events does. */
class Store {
  readonly events: StoredEventView[] = [];
  calls = 0;

  add(...ids: string[]): void {
    for (const id of ids) this.events.unshift({ id, type: 'order.created' } as StoredEventView);
  }

  async listEvents(filter: Record<string, string | number | undefined>) {
    this.calls++;
    const limit = Number(filter.limit);
    const start = filter.cursor ? this.events.findIndex((e) => e.id === filter.cursor) + 1 : 0;
    const items = this.events.slice(start, start + limit);
    const more = start + limit < this.events.length;
    return { items, next_cursor: more ? items[items.length - 1]!.id : null };
  }
}

describe('EventTail', () => {
  it('starts with the last n events, then prints only new ones, oldest first', async () => {
    const store = new Store();
    store.add('e1', 'e2', 'e3');
    const tail = new EventTail(store, { type: 'order.*' });
    expect((await tail.start(2)).map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(await tail.poll()).toEqual([]);
    store.add('e4', 'e5');
    expect((await tail.poll()).map((e) => e.id)).toEqual(['e4', 'e5']);
  });

  it('pages back with the cursor when more arrived than one page holds', async () => {
    const store = new Store();
    store.add('old');
    const tail = new EventTail(store, {});
    expect(await tail.start(0)).toEqual([]);
    const burst = Array.from({ length: 250 }, (_, i) => `b${i}`);
    store.add(...burst);
    store.calls = 0;
    expect((await tail.poll()).map((e) => e.id)).toEqual(burst);
    expect(store.calls).toBe(3); // 100 + 100 + 50 and the one seen before
  });

  it('prints everything when the store was empty at the start', async () => {
    const store = new Store();
    const tail = new EventTail(store, {});
    expect(await tail.start(5)).toEqual([]);
    store.add('first');
    expect((await tail.poll()).map((e) => e.id)).toEqual(['first']);
  });
});
