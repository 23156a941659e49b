import { newTask } from '../../../../test/repositories/agent-manager.fixtures';
import { useServiceDatabase } from '../../../../test/repositories/service-database';
import { DATABASE } from '../agent-manager.database';
import { PRUNE_BATCH, TasksRepository } from './tasks.repository';

describe('TasksRepository (Postgres)', () => {
  const db = useServiceDatabase(DATABASE, ['tasks']);
  let tasks: TasksRepository;
  beforeAll(() => {
    tasks = new TasksRepository(db.dataSource);
  });

  it('inserts a task once: the same id or idempotency key again is refused', async () => {
    const task = newTask({ idempotencyKey: 'order-1' });
    expect(await tasks.insert(db.dataSource.manager, task)).toBe(true);
    expect(await tasks.insert(db.dataSource.manager, task)).toBe(false);
    expect(await tasks.insert(db.dataSource.manager, newTask({ idempotencyKey: 'order-1' }))).toBe(
      false,
    );
    // The key is unique per workspace only.
    expect(
      await tasks.insert(
        db.dataSource.manager,
        newTask({ workspaceId: 'ws-b', idempotencyKey: 'order-1' }),
      ),
    ).toBe(true);
    expect(await tasks.findByIdempotencyKey('ws-a', 'order-1')).toMatchObject({ id: task.id });
    expect(await tasks.findInWorkspace('ws-b', task.id)).toBeNull();
  });

  it('inserts a task with its outbox row in one statement; a duplicate writes neither', async () => {
    const task = newTask({ idempotencyKey: 'order-2' });
    const messages = JSON.stringify([{ topic: 'baton.agent.tasks.ws-a.echo', key: task.id }]);
    const first = await tasks.insertWithOutbox(db.dataSource.manager, task, messages);
    expect(first).toEqual({ inserted: true, outboxId: expect.any(String) });
    expect(await outboxRow(first.outboxId!)).toEqual(JSON.parse(messages));
    const outboxBefore = await outboxCount();
    expect(await tasks.insertWithOutbox(db.dataSource.manager, task, messages)).toEqual({
      inserted: false,
      outboxId: null,
    });
    expect(await outboxCount()).toBe(outboxBefore);
    // Nothing to send: the task alone.
    expect(await tasks.insertWithOutbox(db.dataSource.manager, newTask(), null)).toEqual({
      inserted: true,
      outboxId: null,
    });
  });

  it('writes the outbox row of a finish only when the finish took effect', async () => {
    const task = newTask();
    await tasks.insert(db.dataSource.manager, task);
    const messages = JSON.stringify([{ topic: 'baton.agent.results', key: task.id }]);
    const outcome = { status: 'completed' as const, output: 1 };
    const finished = await tasks.finish(db.dataSource.manager, task, outcome, undefined, messages);
    expect(finished?.outboxId).toEqual(expect.any(String));
    expect(await outboxRow(finished!.outboxId!)).toEqual(JSON.parse(messages));
    const outboxBefore = await outboxCount();
    expect(
      await tasks.finish(db.dataSource.manager, task, outcome, undefined, messages),
    ).toBeNull();
    expect(await outboxCount()).toBe(outboxBefore);
  });

  async function outboxRow(id: string): Promise<unknown> {
    const rows = (await db.dataSource.query('SELECT messages FROM outbox WHERE id = $1', [id])) as {
      messages: unknown;
    }[];
    return rows[0]?.messages;
  }

  async function outboxCount(): Promise<number> {
    const [row] = (await db.dataSource.query('SELECT count(*)::int AS n FROM outbox')) as {
      n: number;
    }[];
    return row.n;
  }

  it('upserts a workflow task: a later attempt runs again, a redelivered one is ignored', async () => {
    const first = newTask({ attempt: 1 });
    expect(await tasks.upsertWorkflowTask(first)).toBe(first);
    await tasks.finish(db.dataSource.manager, first, { status: 'failed', error: failure('boom') });
    expect(await tasks.upsertWorkflowTask(newTask({ id: first.id, attempt: 1 }))).toBeNull();
    const second = newTask({ id: first.id, attempt: 2, input: { text: 'again' } });
    expect(await tasks.upsertWorkflowTask(second)).toBe(second);
    expect(await tasks.find(first.id)).toMatchObject({
      attempt: 2,
      status: 'running',
      input: { text: 'again' },
      error: null,
      finishedAt: null,
    });
  });

  it('finishes a running attempt once and arms the callback of a task that has one', async () => {
    const task = newTask({ callbackUrl: 'https://example.com/hook' });
    await tasks.insert(db.dataSource.manager, task);
    const finished = await tasks.finish(db.dataSource.manager, task, {
      status: 'completed',
      output: { ok: true },
      durationMs: 42,
    });
    expect(finished).toEqual({ finishedAt: expect.any(Date), durationMs: 42, outboxId: null });
    expect(
      await tasks.finish(db.dataSource.manager, task, { status: 'failed', error: failure('late') }),
    ).toBeNull();
    expect(await tasks.find(task.id)).toMatchObject({
      status: 'completed',
      output: { ok: true },
      leaseUntil: null,
      callbackStatus: 'pending',
      callbackNextAt: expect.any(Date),
    });
  });

  it('does not finish a task for another attempt, nor for a claim token that is not its own', async () => {
    const task = newTask({ attempt: 2 });
    await tasks.insert(db.dataSource.manager, task);
    const outcome = { status: 'completed' as const, output: 1 };
    expect(
      await tasks.finish(db.dataSource.manager, { id: task.id, attempt: 1 }, outcome),
    ).toBeNull();
    expect(await tasks.finish(db.dataSource.manager, task, outcome, 'not-the-claim')).toBeNull();
    expect(await tasks.find(task.id)).toMatchObject({ status: 'running' });
  });

  it('claims expired leases of agent-manager tasks, skipping rows another transaction holds', async () => {
    const past = new Date(Date.now() - 1_000);
    const held = newTask({ leaseUntil: past });
    const free = newTask({ leaseUntil: past });
    const live = newTask();
    const worker = newTask({ leaseUntil: past, executor: 'worker' });
    for (const task of [held, free, live, worker]) await tasks.insert(db.dataSource.manager, task);

    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query('SELECT id FROM tasks WHERE id = $1 FOR UPDATE', [held.id]);
      const claimed = await tasks.claimExpiredLeases(30_000);
      expect(claimed.map((t) => t.id)).toEqual([free.id]);
      expect(claimed[0].leaseUntil!.getTime()).toBeGreaterThan(Date.now() + 20_000);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    // Released, the held one is claimed next; the one just claimed is not due again.
    expect((await tasks.claimExpiredLeases(30_000)).map((t) => t.id)).toEqual([held.id]);
  });

  it('prunes finished tasks past retention whose callback is settled, and only those', async () => {
    const old = new Date(Date.now() - 3_600_000);
    const settled = newTask();
    const pendingCallback = newTask({ callbackUrl: 'https://example.com/hook' });
    const recent = newTask();
    const running = newTask();
    for (const task of [settled, pendingCallback, recent, running]) {
      await tasks.insert(db.dataSource.manager, task);
    }
    for (const task of [settled, pendingCallback, recent]) {
      await tasks.finish(db.dataSource.manager, task, { status: 'completed', output: null });
    }
    await db.dataSource.query(`UPDATE tasks SET finished_at = $2 WHERE id = ANY($1::uuid[])`, [
      [settled.id, pendingCallback.id],
      old,
    ]);
    expect(await tasks.pruneFinished(60_000)).toBe(1);
    expect(await tasks.find(settled.id)).toBeNull();
    for (const kept of [pendingCallback, recent, running]) {
      expect(await tasks.find(kept.id)).not.toBeNull();
    }
    expect(PRUNE_BATCH).toBe(5000);
  });

  it('lists the running tasks of one agent of one workspace', async () => {
    const mine = newTask();
    await tasks.insert(db.dataSource.manager, mine);
    await tasks.insert(db.dataSource.manager, newTask({ workspaceId: 'ws-b' }));
    await tasks.insert(db.dataSource.manager, newTask({ agent: 'other' }));
    expect((await tasks.running('ws-a', 'summarise')).map((t) => t.id)).toEqual([mine.id]);
    expect(await tasks.countRunning('ws-a', 'summarise')).toBe(1);
  });
});

function failure(message: string) {
  return { type: 'system_error' as const, message };
}
