import type { Logger } from 'pino';
import { CircuitBreakers } from '../runtimes/circuit-breakers';
import type { AgentMetrics } from './agent-metrics';
import { ResultStatsBuffer, type ResultStatsBufferOptions } from './result-stats.buffer';
import type { ResultKey, ResultStat, ResultStatsWriter } from './result-stats.writer';

function row(n: number, overrides: Partial<ResultStat> = {}): ResultStat {
  return {
    workspace: 'ws',
    agent: 'a',
    taskId: `task-${n}`,
    attempt: 1,
    status: 'completed',
    errorType: null,
    durationMs: 10,
    finishedAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const rows = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => row(from + i));

interface Deferred {
  resolve: (keys: ResultKey[]) => void;
  reject: (error: Error) => void;
}

/** A writer that records its calls; by default every row is new. */
class FakeWriter implements ResultStatsWriter {
  readonly calls: ResultStat[][] = [];
  running = 0;
  maxRunning = 0;
  /** When set, each insert waits for the test to settle it. */
  manual = false;
  readonly waiting: Deferred[] = [];
  failures = 0;
  /** Keys already in the table (the insert returns only the others). */
  readonly stored = new Set<string>();

  async insert(batch: readonly ResultStat[]): Promise<ResultKey[]> {
    this.calls.push([...batch]);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      if (this.manual) {
        await new Promise<ResultKey[]>((resolve, reject) => this.waiting.push({ resolve, reject }));
      }
      if (this.failures > 0) {
        this.failures--;
        throw new Error('connection refused');
      }
      const fresh: ResultKey[] = [];
      for (const r of batch) {
        const key = `${r.taskId}/${r.attempt}`;
        if (this.stored.has(key)) continue;
        this.stored.add(key);
        fresh.push({ task_id: r.taskId, attempt: r.attempt });
      }
      return fresh;
    } finally {
      this.running--;
    }
  }
}

describe('ResultStatsBuffer', () => {
  let writer: FakeWriter;
  let metrics: { record: jest.Mock };
  let breakers: CircuitBreakers;
  let logger: { error: jest.Mock; warn: jest.Mock };

  const make = (options: Partial<ResultStatsBufferOptions> = {}) =>
    new ResultStatsBuffer(
      writer,
      metrics as unknown as AgentMetrics,
      breakers,
      logger as unknown as Logger,
      { intervalMs: 250, maxBatch: 1_000, maxRetained: 10_000, ...options },
    );

  beforeEach(() => {
    jest.useFakeTimers();
    writer = new FakeWriter();
    metrics = { record: jest.fn() };
    breakers = new CircuitBreakers();
    logger = { error: jest.fn(), warn: jest.fn() };
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('keeps no timer while idle', async () => {
    const buffer = make();
    buffer.add([]);
    expect(jest.getTimerCount()).toBe(0);
    buffer.add(rows(0, 3));
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(250);
    expect(writer.calls).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(writer.calls).toHaveLength(1);
  });

  it('writes what waits in one insert when the interval passes', async () => {
    const buffer = make();
    buffer.add(rows(0, 2));
    await jest.advanceTimersByTimeAsync(100);
    buffer.add(rows(2, 3));
    await jest.advanceTimersByTimeAsync(149);
    expect(writer.calls).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(writer.calls).toHaveLength(1);
    expect(writer.calls[0].map((r) => r.taskId)).toEqual([
      'task-0',
      'task-1',
      'task-2',
      'task-3',
      'task-4',
    ]);
    expect(buffer.waiting).toBe(0);
    expect(metrics.record).toHaveBeenCalledTimes(5);
    expect(metrics.record).toHaveBeenCalledWith('ws', 'a', 'completed', 10);
  });

  it('writes at once when a full batch waits, without waiting for the timer', async () => {
    const buffer = make({ maxBatch: 10 });
    buffer.add(rows(0, 9));
    expect(writer.calls).toHaveLength(0);
    buffer.add(rows(9, 3));
    await Promise.resolve();
    expect(writer.calls).toHaveLength(1);
    expect(writer.calls[0]).toHaveLength(10);
    // The two left wait for the next tick.
    await jest.advanceTimersByTimeAsync(0);
    expect(writer.calls).toHaveLength(1);
    expect(buffer.waiting).toBe(2);
    await jest.advanceTimersByTimeAsync(250);
    expect(writer.calls).toHaveLength(2);
    expect(writer.calls[1].map((r) => r.taskId)).toEqual(['task-10', 'task-11']);
  });

  it('never runs two flushes at once: a flush in progress makes the next wait', async () => {
    writer.manual = true;
    const buffer = make({ maxBatch: 5 });
    buffer.add(rows(0, 5));
    await Promise.resolve();
    expect(writer.calls).toHaveLength(1);
    buffer.add(rows(5, 5));
    buffer.add(rows(10, 5));
    void buffer.flush();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(writer.calls).toHaveLength(1);
    expect(writer.running).toBe(1);

    writer.waiting.shift()!.resolve([]);
    await jest.advanceTimersByTimeAsync(0);
    expect(writer.calls).toHaveLength(2);
    writer.waiting.shift()!.resolve([]);
    await jest.advanceTimersByTimeAsync(0);
    expect(writer.calls).toHaveLength(3);
    writer.waiting.shift()!.resolve([]);
    await jest.advanceTimersByTimeAsync(1_000);

    expect(writer.maxRunning).toBe(1);
    expect(writer.calls.map((c) => c.length)).toEqual([5, 5, 5]);
    expect(buffer.waiting).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rows added during a flush wait for the next tick after it', async () => {
    writer.manual = true;
    const buffer = make();
    buffer.add(rows(0, 1));
    await jest.advanceTimersByTimeAsync(250);
    expect(writer.calls).toHaveLength(1);
    buffer.add(rows(1, 1));
    // No timer while the flush runs: the flush arms it when done.
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(500);
    expect(writer.calls).toHaveLength(1);
    writer.waiting.shift()!.resolve([]);
    await jest.advanceTimersByTimeAsync(0);
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(249);
    expect(writer.calls).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(writer.calls).toHaveLength(2);
    writer.waiting.shift()!.resolve([]);
    await jest.advanceTimersByTimeAsync(0);
    expect(writer.maxRunning).toBe(1);
  });

  it('keeps the rows of a failed insert, logs, and retries them at the next tick', async () => {
    writer.failures = 1;
    const buffer = make();
    buffer.add(rows(0, 3));
    await jest.advanceTimersByTimeAsync(250);
    expect(writer.calls).toHaveLength(1);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error.mock.calls[0][0]).toMatchObject({ rows: 3 });
    expect(metrics.record).not.toHaveBeenCalled();
    expect(buffer.waiting).toBe(3);

    buffer.add(rows(3, 1));
    await jest.advanceTimersByTimeAsync(250);
    expect(writer.calls).toHaveLength(2);
    expect(writer.calls[1].map((r) => r.taskId)).toEqual(['task-0', 'task-1', 'task-2', 'task-3']);
    expect(metrics.record).toHaveBeenCalledTimes(4);
    expect(buffer.waiting).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('keeps at most maxRetained rows while inserts fail, dropping the oldest, with one warning', async () => {
    writer.failures = 3;
    const buffer = make({ maxBatch: 100, maxRetained: 5 });
    buffer.add(rows(0, 4));
    await jest.advanceTimersByTimeAsync(250);
    buffer.add(rows(4, 3));
    expect(buffer.waiting).toBe(5);
    buffer.add(rows(7, 2));
    expect(buffer.waiting).toBe(5);
    await jest.advanceTimersByTimeAsync(500);
    expect(writer.calls).toHaveLength(3);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatchObject({ max: 5 });

    await jest.advanceTimersByTimeAsync(250);
    expect(writer.calls).toHaveLength(4);
    expect(writer.calls[3].map((r) => r.taskId)).toEqual([
      'task-4',
      'task-5',
      'task-6',
      'task-7',
      'task-8',
    ]);
    // Once writing works again, how many were dropped.
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn.mock.calls[1][0]).toEqual({ dropped: 4 });
    expect(buffer.waiting).toBe(0);
  });

  it('counts only the rows the insert wrote: redeliveries count once', async () => {
    writer.stored.add('task-0/1');
    const buffer = make();
    buffer.add([row(0), row(1), row(1), row(2, { attempt: 2 })]);
    await jest.advanceTimersByTimeAsync(250);
    expect(metrics.record.mock.calls.map((c) => c)).toEqual([
      ['ws', 'a', 'completed', 10],
      ['ws', 'a', 'completed', 10],
    ]);
    buffer.add([row(1)]);
    await jest.advanceTimersByTimeAsync(250);
    expect(metrics.record).toHaveBeenCalledTimes(2);
  });

  it('feeds the breakers as before: successes, and system errors and timeouts as failures', async () => {
    const buffer = make();
    const failing = (n: number, errorType: string) =>
      row(n, { agent: 'b', status: 'failed', errorType, durationMs: null });
    buffer.add([
      failing(0, 'system_error'),
      failing(1, 'timeout'),
      failing(2, 'validation_error'),
      failing(3, 'system_error'),
      failing(4, 'timeout'),
      failing(5, 'system_error'),
    ]);
    await jest.advanceTimersByTimeAsync(250);
    expect(breakers.snapshot('ws', 'b')).toMatchObject({
      state: 'open',
      consecutive_failures: 5,
    });
    expect(metrics.record).toHaveBeenCalledWith('ws', 'b', 'failed', null);
    buffer.add([row(6, { agent: 'c' }), failing(7, 'validation_error')]);
    await jest.advanceTimersByTimeAsync(250);
    expect(breakers.snapshot('ws', 'c')).toMatchObject({
      state: 'closed',
      consecutive_failures: 0,
    });
  });

  it('writes what is left at shutdown, without waiting for the timer', async () => {
    const buffer = make({ maxBatch: 2 });
    buffer.add(rows(0, 1));
    await buffer.beforeApplicationShutdown();
    expect(writer.calls).toHaveLength(1);
    expect(buffer.waiting).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('at shutdown, waits for the flush in progress, then writes the rest in batches', async () => {
    writer.manual = true;
    const buffer = make({ maxBatch: 2 });
    buffer.add(rows(0, 2));
    await Promise.resolve();
    buffer.add(rows(2, 1));
    const closing = buffer.beforeApplicationShutdown();
    buffer.add(rows(3, 2));
    for (let i = 0; i < 3; i++) {
      await jest.advanceTimersByTimeAsync(0);
      writer.waiting.shift()!.resolve([]);
    }
    await closing;
    expect(writer.calls.map((c) => c.map((r) => r.taskId))).toEqual([
      ['task-0', 'task-1'],
      ['task-2', 'task-3'],
      ['task-4'],
    ]);
    expect(writer.maxRunning).toBe(1);
    expect(buffer.waiting).toBe(0);
  });

  it('at shutdown, retries once when the flush in progress failed, then says what is lost', async () => {
    writer.failures = 3;
    const buffer = make();
    buffer.add(rows(0, 2));
    await jest.advanceTimersByTimeAsync(250);
    expect(writer.calls).toHaveLength(1);
    await buffer.beforeApplicationShutdown();
    expect(writer.calls).toHaveLength(3);
    expect(logger.warn).toHaveBeenLastCalledWith({ rows: 2 }, expect.stringContaining('lost'));
    expect(jest.getTimerCount()).toBe(0);
  });
});
