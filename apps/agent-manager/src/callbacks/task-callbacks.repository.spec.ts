import { newTask } from '../../../../test/repositories/agent-manager.fixtures';
import { useServiceDatabase } from '../../../../test/repositories/service-database';
import { DATABASE } from '../agent-manager.database';
import { TasksRepository } from '../task-model/tasks.repository';
import { TaskCallbacksRepository } from './task-callbacks.repository';

describe('TaskCallbacksRepository (Postgres)', () => {
  const db = useServiceDatabase(DATABASE, ['tasks']);
  let tasks: TasksRepository;
  let callbacks: TaskCallbacksRepository;
  beforeAll(() => {
    tasks = new TasksRepository(db.dataSource);
    callbacks = new TaskCallbacksRepository(db.dataSource);
  });

  /** A finished task whose callback is due now. */
  async function dueCallback(): Promise<string> {
    const task = newTask({ callbackUrl: 'https://example.com/hook' });
    await tasks.insert(db.dataSource.manager, task);
    await tasks.finish(db.dataSource.manager, task, { status: 'completed', output: { n: 1 } });
    return task.id;
  }

  it('claims due callbacks with what the delivery needs, and hides them while claimed', async () => {
    const id = await dueCallback();
    const [claimed, ...more] = await callbacks.claimDue(60_000, 20);
    expect(more).toEqual([]);
    expect(claimed).toMatchObject({
      id,
      agent: 'summarise',
      status: 'completed',
      output: { n: 1 },
      callback_url: 'https://example.com/hook',
      callback_attempts: 0,
      workspace_id: 'ws-a',
    });
    expect(await callbacks.claimDue(60_000, 20)).toEqual([]);
  });

  it('skips callbacks another transaction holds and takes at most the batch', async () => {
    const ids = [await dueCallback(), await dueCallback(), await dueCallback()];
    const runner = db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query('SELECT id FROM tasks WHERE id = $1 FOR UPDATE', [ids[0]]);
      const claimed = await callbacks.claimDue(60_000, 1);
      expect(claimed).toHaveLength(1);
      expect(claimed[0].id).not.toBe(ids[0]);
      const rest = await callbacks.claimDue(60_000, 20);
      expect(rest.map((row) => row.id)).toEqual(
        ids.filter((id) => id !== ids[0] && id !== claimed[0].id),
      );
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('records a delivery: delivered, with no next time', async () => {
    const id = await dueCallback();
    await callbacks.markDelivered(id, 1);
    expect(await tasks.find(id)).toMatchObject({
      callbackStatus: 'delivered',
      callbackAttempts: 1,
      callbackDeliveredAt: expect.any(Date),
      callbackNextAt: null,
    });
    expect(await callbacks.claimDue(60_000, 20)).toEqual([]);
  });

  it('records a failure: retrying after the delay, or failed for good', async () => {
    const retried = await dueCallback();
    const given = await dueCallback();
    await callbacks.markFailed(retried, 1, 'retrying', 'HTTP 503', 0);
    await callbacks.markFailed(given, 5, 'failed', 'HTTP 410', 0);
    expect(await tasks.find(retried)).toMatchObject({
      callbackStatus: 'retrying',
      callbackAttempts: 1,
      callbackLastError: 'HTTP 503',
      callbackNextAt: expect.any(Date),
    });
    expect(await tasks.find(given)).toMatchObject({
      callbackStatus: 'failed',
      callbackAttempts: 5,
      callbackNextAt: null,
    });
    // A retry due now is claimed again; the one given up on never is.
    expect((await callbacks.claimDue(60_000, 20)).map((row) => row.id)).toEqual([retried]);
  });
});
