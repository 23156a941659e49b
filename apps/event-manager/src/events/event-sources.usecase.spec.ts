import type { EventsRepository } from '../event-store/events.repository';
import type { StoredEventEntity } from '../event-store/stored-event.entity';
import { EventSourcesUseCase, SOURCES_REPLY_BUDGET } from './event-sources.usecase';

/** Stored events whose envelopes take about a third of a reply each. */
const big = (id: string) =>
  ({
    id,
    envelope: { id, type: 'order.created', data: { blob: 'x'.repeat(SOURCES_REPLY_BUDGET / 3) } },
  }) as unknown as StoredEventEntity;

function useCase(stored: StoredEventEntity[]) {
  const events = {
    findMany: (_ws: string, ids: string[]) =>
      Promise.resolve(stored.filter((e) => ids.includes(e.id))),
    list: (_ws: string, filter: { limit: number; after?: string }) => {
      const from = filter.after ? stored.findIndex((e) => e.id === filter.after) + 1 : 0;
      return Promise.resolve(stored.slice(from, from + filter.limit));
    },
  } as unknown as EventsRepository;
  return new EventSourcesUseCase(events);
}

describe('the stored events a shadow run asks for', () => {
  const stored = ['a', 'b', 'c', 'd'].map(big);

  it('answers listed ids in their order, leaving what does not fit for the next ask', async () => {
    const reply = await useCase(stored).execute({ ids: ['d', 'zz', 'a', 'c', 'b'] }, 'ws');
    expect(reply.events.map((e) => e.id)).toEqual(['d', 'a']);
    // An unknown id (or another workspace's) is simply not there, never in `rest`.
    expect(reply.rest).toEqual(['c', 'b']);
    expect(reply.after).toBeNull();
  });

  it('pages a window by the last event answered', async () => {
    const first = await useCase(stored).execute({ type: 'order.*', limit: 4 }, 'ws');
    expect(first.events.map((e) => e.id)).toEqual(['a', 'b']);
    expect(first.after).toBe('b');
    const next = await useCase(stored).execute({ type: 'order.*', limit: 2, after: 'b' }, 'ws');
    expect(next.events.map((e) => e.id)).toEqual(['c', 'd']);
    expect(next.after).toBeNull();
  });

  it('answers one event even when it alone is over the budget', async () => {
    const huge = {
      id: 'h',
      envelope: { id: 'h', data: 'x'.repeat(SOURCES_REPLY_BUDGET + 1) },
    } as unknown as StoredEventEntity;
    const reply = await useCase([huge, big('a')]).execute({ ids: ['h', 'a'] }, 'ws');
    expect(reply.events.map((e) => e.id)).toEqual(['h']);
    expect(reply.rest).toEqual(['a']);
  });
});
