import type { Logger } from 'pino';
import type { AgentManagerEnv } from '../agent-manager.env';
import type { TaskEntity } from '../task-model/task.entity';
import { TaskWaiters } from './task-waiters';
import type { TasksRepository } from '../task-model/tasks.repository';

const running = { id: 't1', status: 'running' } as TaskEntity;
const done = { id: 't1', status: 'completed', output: { ok: true } } as unknown as TaskEntity;

/** Waiters over a repository that answers `rows` in turn and counts the reads. */
function setup(rows: TaskEntity[]) {
  let reads = 0;
  const tasks = {
    find: () => Promise.resolve(rows[Math.min(reads++, rows.length - 1)] ?? null),
  } as unknown as TasksRepository;
  const waiters = new TaskWaiters(tasks, {} as AgentManagerEnv, {} as Logger);
  return { waiters, reads: () => reads };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('TaskWaiters', () => {
  it('answers with the outcome this process committed, without reading the task again', async () => {
    const { waiters, reads } = setup([running]);
    const waiting = waiters.waitFor('t1', Date.now() + 5_000);
    await flush();
    waiters.notify('t1', done);
    await expect(waiting).resolves.toBe(done);
    expect(reads()).toBe(1);
  });

  it('reads the task again when woken by a NOTIFY without its outcome', async () => {
    const { waiters, reads } = setup([running, done]);
    const waiting = waiters.waitFor('t1', Date.now() + 5_000);
    await flush();
    waiters.notify('t1');
    await expect(waiting).resolves.toBe(done);
    expect(reads()).toBe(2);
  });

  it('answers null when the time is up', async () => {
    const { waiters } = setup([running]);
    await expect(waiters.waitFor('t1', Date.now() + 20)).resolves.toBeNull();
  });
});
