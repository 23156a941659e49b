import type { FollowEventsQuery, FollowedEventsPage, StoredEventView } from '@baton/contracts';
import { WorkspaceEventFeed } from './workspace-event-feed';

function event(id: string, type = 'order.created'): StoredEventView {
  return {
    id,
    type,
    source: 'test',
    subject: null,
    time: '2026-12-07T00:00:00.000Z',
    correlation_id: id,
    causation_id: null,
    traceparent: null,
    data: { id },
    topic: 'baton.events.ingress',
    partition: 0,
    offset: '0',
    received_at: '2026-12-07T00:00:00.000Z',
  };
}

describe('WorkspaceEventFeed', () => {
  it('starts at the store’s end and announces that position as the first id', async () => {
    const reads: FollowEventsQuery[] = [];
    const feed = new WorkspaceEventFeed(
      async (query) => {
        reads.push(query);
        return { items: [], position: '10-0' };
      },
      { types: ['order.*'] },
    );
    expect(await feed.start()).toEqual([': position\nid: 10-0\n\n']);
    expect(reads[0]).toEqual({ types: ['order.*'], limit: 200 });
  });

  it('sends events with their cursors and reads on after the last one', async () => {
    const pages: FollowedEventsPage[] = [
      { items: [{ cursor: '11-5', event: event('a') }], position: '12-0' },
      { items: [], position: '12-0' },
    ];
    const reads: FollowEventsQuery[] = [];
    const feed = new WorkspaceEventFeed(
      async (query) => {
        reads.push(query);
        return pages.shift()!;
      },
      {},
      '10-3',
    );
    const frames = await feed.start();
    expect(frames[0]).toMatch(/^id: 11-5\nevent: order.created\ndata: \{.*"id":"a"/);
    // The filter skipped events up to 12-0: the client learns the new resume point.
    expect(frames[1]).toBe(': position\nid: 12-0\n\n');
    expect(await feed.next()).toEqual([]);
    expect(reads.map((read) => read.after)).toEqual(['10-3', '12-0']);
    expect(feed.keepAlive()).toBe(': keep-alive\n\n');
  });

  it('reads more pages in one poll while they come full', async () => {
    const full = Array.from({ length: 200 }, (_, i) => ({
      cursor: `20-${i + 1}`,
      event: event(`e${i}`),
    }));
    const pages: FollowedEventsPage[] = [
      { items: full, position: '20-200' },
      { items: [{ cursor: '21-1', event: event('last') }], position: '22-0' },
    ];
    const feed = new WorkspaceEventFeed(async () => pages.shift()!, {}, '19-0');
    expect(await feed.next()).toHaveLength(201);
  });
});
