import { randomUUID } from 'node:crypto';
import { newTask } from '../../../../test/repositories/agent-manager.fixtures';
import { useServiceDatabase } from '../../../../test/repositories/service-database';
import { DATABASE } from '../agent-manager.database';
import { TasksRepository } from '../task-model/tasks.repository';
import { AgentStatsRepository } from './agent-stats.repository';
import type { ResultStat } from './result-stats.writer';

function result(overrides: Partial<ResultStat> = {}): ResultStat {
  return {
    workspace: 'ws-a',
    agent: 'summarise',
    taskId: randomUUID(),
    attempt: 1,
    status: 'completed',
    errorType: null,
    durationMs: 100,
    finishedAt: new Date().toISOString(),
    ...overrides,
  };
}

describe('AgentStatsRepository (Postgres)', () => {
  const db = useServiceDatabase(DATABASE, ['agent_results', 'tasks']);
  let stats: AgentStatsRepository;
  beforeAll(() => {
    stats = new AgentStatsRepository(db.dataSource);
  });

  it('inserts results once per task attempt and answers the keys that were new', async () => {
    const first = result();
    expect(await stats.insert([first])).toEqual([{ task_id: first.taskId, attempt: 1 }]);
    const retry = { ...first, attempt: 2 };
    expect(await stats.insert([first, retry])).toEqual([{ task_id: first.taskId, attempt: 2 }]);
    expect(await stats.insert([])).toEqual([]);
  });

  it('sums a window per agent, with the workspace totals as the row without agent', async () => {
    const old = new Date(Date.now() - 7_200_000).toISOString();
    await stats.insert([
      result({ durationMs: 100 }),
      result({ durationMs: 300 }),
      result({ status: 'failed', errorType: 'timeout', durationMs: 200 }),
      result({ agent: 'classify', durationMs: 50 }),
      result({ finishedAt: old }),
      result({ workspace: 'ws-b' }),
    ]);
    const rows = await stats.figuresPerAgent('ws-a', 3600);
    const byAgent = Object.fromEntries(rows.map((row) => [row.agent ?? '*', row]));
    expect(byAgent.summarise).toMatchObject({ tasks: 3, completed: 2, failed: 1, p50: 200 });
    expect(byAgent.classify).toMatchObject({ tasks: 1, completed: 1, failed: 0, p50: 50 });
    expect(byAgent['*']).toMatchObject({ tasks: 4, completed: 3, failed: 1 });
    expect(rows).toHaveLength(3);

    expect(await stats.agentStats('ws-a', 'summarise', 3600)).toMatchObject({
      tasks: 3,
      completed: 2,
      failed: 1,
      p50: 200,
      avg: 200,
    });
    expect(await stats.agentStats('ws-a', 'nobody', 3600)).toMatchObject({ tasks: 0, p50: null });
  });

  it('prunes results older than kept', async () => {
    const old = result({ finishedAt: new Date(Date.now() - 7_200_000).toISOString() });
    const recent = result();
    await stats.insert([old, recent]);
    await stats.pruneOlderThan(3_600_000);
    expect(await stats.agentStats('ws-a', 'summarise', 86_400)).toMatchObject({ tasks: 1 });
  });

  it('counts running tasks per agent, per workspace and agent, and for one agent', async () => {
    const tasks = new TasksRepository(db.dataSource);
    for (const task of [
      newTask(),
      newTask(),
      newTask({ agent: 'classify' }),
      newTask({ workspaceId: 'ws-b' }),
    ]) {
      await tasks.insert(db.dataSource.manager, task);
    }
    const done = newTask();
    await tasks.insert(db.dataSource.manager, done);
    await tasks.finish(db.dataSource.manager, done, { status: 'completed', output: null });

    expect(await stats.countRunning('ws-a', 'summarise')).toBe(2);
    expect(sortBy(await stats.runningPerAgent('ws-a'), 'agent')).toEqual([
      { agent: 'classify', n: 1 },
      { agent: 'summarise', n: 2 },
    ]);
    expect(
      (await stats.runningEverywhere()).map((r) => `${r.workspace_id}/${r.agent}=${r.n}`).sort(),
    ).toEqual(['ws-a/classify=1', 'ws-a/summarise=2', 'ws-b/summarise=1']);
  });
});

function sortBy<T>(rows: T[], key: keyof T): T[] {
  return [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
}
