import type { ListEventsQuery, Page, StoredEventView } from '@baton/contracts';
import { RunEventFeed, formatSse } from './run-event-feed';

const RUN = '6f1c1f0e-0000-4000-8000-000000000001';

function event(offset: number, type: string, time = 1_700_000_000_000 + offset): StoredEventView {
  return {
    id: `e${offset}`,
    type,
    source: 'workflow-engine',
    subject: RUN,
    time: new Date(time).toISOString(),
    correlation_id: 'c',
    causation_id: null,
    traceparent: null,
    data: { offset },
    topic: 'baton.workflow.events',
    partition: 2,
    offset: String(offset),
    received_at: new Date(time).toISOString(),
  };
}

/** An event store of `stored` events answering newest first, `size` per page. */
function store(stored: StoredEventView[], size = 2) {
  const queries: ListEventsQuery[] = [];
  const read = async (query: ListEventsQuery): Promise<Page<StoredEventView>> => {
    queries.push(query);
    const from = query.from ? Date.parse(query.from) : -Infinity;
    // Same received_at for a whole batch: the store's order is not the run's order.
    const newestFirst = stored
      .filter((e) => Date.parse(e.time) >= from)
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    const start = query.cursor ? Number(query.cursor) : 0;
    const items = newestFirst.slice(start, start + size);
    return {
      items,
      next_cursor: start + size < newestFirst.length ? String(start + size) : null,
    };
  };
  return { read, queries };
}

describe('RunEventFeed', () => {
  it('gives the history in offset order, then only what is new', async () => {
    const stored = [event(3, 'workflow.step.started'), event(1, 'workflow.run.started')];
    const { read, queries } = store(stored);
    const feed = new RunEventFeed(RUN, read);
    expect((await feed.next()).map((e) => e.id)).toEqual(['e1', 'e3']);
    expect(queries[0]).toMatchObject({ subject: RUN, type: 'workflow.*' });
    expect(queries[0].from).toBeUndefined();
    expect(await feed.next()).toEqual([]);
    expect(feed.finished).toBe(false);

    stored.push(event(7, 'workflow.step.completed'), event(9, 'workflow.run.completed'));
    expect((await feed.next()).map((e) => e.id)).toEqual(['e7', 'e9']);
    // Later polls only read back a margin before the newest event seen.
    expect(queries[queries.length - 1].from).toBe(
      new Date(1_700_000_000_003 - 10_000).toISOString(),
    );
    expect(feed.finished).toBe(true);
  });

  it('reads every page of a long history', async () => {
    const stored = Array.from({ length: 9 }, (_, i) => event(i + 1, 'workflow.step.started'));
    const feed = new RunEventFeed(RUN, store(stored, 2).read);
    expect((await feed.next()).map((e) => e.offset)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
  });

  it('is not finished by a failure that a retry followed', async () => {
    const feed = new RunEventFeed(
      RUN,
      store([
        event(1, 'workflow.run.started'),
        event(2, 'workflow.run.failed'),
        event(3, 'workflow.run.retried'),
      ]).read,
    );
    await feed.next();
    expect(feed.finished).toBe(false);
  });

  it('resumes after the Last-Event-ID it is given', async () => {
    const stored = [1, 2, 3].map((n) => event(n, 'workflow.step.started'));
    const feed = new RunEventFeed(RUN, store(stored).read, 'e2');
    expect((await feed.next()).map((e) => e.id)).toEqual(['e3']);
    const unknown = new RunEventFeed(RUN, store(stored).read, 'nope');
    expect((await unknown.next()).map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('formats an event as one SSE message', () => {
    const text = formatSse(event(4, 'workflow.run.completed'));
    expect(text.startsWith('id: e4\nevent: workflow.run.completed\ndata: {')).toBe(true);
    expect(text.endsWith('}\n\n')).toBe(true);
    expect(text.split('\n')).toHaveLength(5);
  });
});
