import type { ListLogsQuery, LogRecordView, Page } from '@baton/contracts';
import { formatLogSse, LogFollower } from './log-follower';

const record = (id: number): LogRecordView => ({
  id: String(id),
  time: '2026-01-01T00:00:00.000Z',
  received_at: '2026-01-01T00:00:00.000Z',
  level: 'info',
  message: `m${id}`,
  source: 'sdk',
  agent_id: null,
  run_id: 'r',
  step: null,
  task_id: null,
  request_id: null,
  trace_id: null,
  fields: {},
});

/** A store of records 1..n, answering like event-manager does. */
function store(ids: number[]) {
  const asked: ListLogsQuery[] = [];
  const list = (query: ListLogsQuery): Promise<Page<LogRecordView>> => {
    asked.push(query);
    const rows =
      query.after !== undefined
        ? ids.filter((id) => id > Number(query.after)).slice(0, query.limit)
        : [...ids].reverse().slice(0, query.limit);
    return Promise.resolve({ items: rows.map(record), next_cursor: null });
  };
  return { list, asked, ids };
}

describe('LogFollower', () => {
  it('sends the tail oldest first, then only what came after, keeping the filter', async () => {
    const s = store([1, 2, 3, 4]);
    const follower = new LogFollower({ run_id: 'r', cursor: 'x' }, s.list, undefined, 2);
    expect((await follower.next()).map((r) => r.id)).toEqual(['3', '4']);
    expect(await follower.next()).toEqual([]);
    s.ids.push(5, 6);
    expect((await follower.next()).map((r) => r.id)).toEqual(['5', '6']);
    expect(s.asked.every((q) => q.run_id === 'r' && q.cursor === undefined)).toBe(true);
  });

  it('resumes after Last-Event-ID without a tail', async () => {
    const s = store([1, 2, 3]);
    const follower = new LogFollower({}, s.list, '1');
    expect((await follower.next()).map((r) => r.id)).toEqual(['2', '3']);
  });

  it('ignores a Last-Event-ID that is no record id', async () => {
    const s = store([1, 2]);
    const follower = new LogFollower({}, s.list, 'nonsense', 1);
    expect((await follower.next()).map((r) => r.id)).toEqual(['2']);
  });

  it('formats one SSE event per record with its id', () => {
    expect(formatLogSse(record(7))).toMatch(/^id: 7\nevent: log\ndata: \{.*\}\n\n$/);
  });
});
