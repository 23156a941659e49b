import { PulledTasks, WorkerReportedError } from './pulled-tasks';

describe('PulledTasks', () => {
  const agent = 'ws/agent';

  it('hands tasks out oldest first, one claim each, and settles on the report', async () => {
    const tasks = new PulledTasks();
    const signal = new AbortController().signal;
    const first = tasks.park(agent, 't1', { n: 1 }, 100_000, signal);
    void tasks.park(agent, 't2', { n: 2 }, 100_000, signal);
    const a = tasks.claim(agent, 'w1', 1_000, 0)!;
    const b = tasks.claim(agent, 'w2', 1_000, 0)!;
    expect([a.taskId, b.taskId]).toEqual(['t1', 't2']);
    expect(tasks.claim(agent, 'w3', 1_000, 0)).toBeUndefined();
    expect(tasks.report(agent, 't1', a.token, { output: 'ok' }, 10)).toBe('accepted');
    await expect(first).resolves.toBe('ok');
    expect(tasks.waiting(agent)).toBe(1);
  });

  it('gives an expired claim’s task to the next worker and refuses the old token', () => {
    const tasks = new PulledTasks();
    void tasks.park(agent, 't1', {}, 100_000, new AbortController().signal);
    const crashed = tasks.claim(agent, 'w1', 1_000, 0)!;
    expect(tasks.claim(agent, 'w2', 1_000, 500)).toBeUndefined();
    const next = tasks.claim(agent, 'w2', 1_000, 1_000)!;
    expect(next.taskId).toBe('t1');
    expect(tasks.report(agent, 't1', crashed.token, { output: 'late' }, 1_100)).toBe('stale-claim');
    expect(tasks.report(agent, 't1', next.token, { output: 'ok' }, 1_200)).toBe('accepted');
    expect(tasks.report(agent, 't1', next.token, { output: 'twice' }, 1_300)).toBe('unknown-task');
  });

  it('fails the task with the worker’s error, and forgets a task whose deadline aborted it', async () => {
    const tasks = new PulledTasks();
    const failed = tasks.park(agent, 't1', {}, 100_000, new AbortController().signal);
    const claim = tasks.claim(agent, 'w', 1_000, 0)!;
    tasks.report(
      agent,
      't1',
      claim.token,
      { error: { type: 'validation_error', message: 'no' } },
      1,
    );
    await expect(failed).rejects.toBeInstanceOf(WorkerReportedError);

    const controller = new AbortController();
    const aborted = tasks.park(agent, 't2', {}, 100_000, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(aborted).rejects.toThrow('deadline');
    expect(tasks.claim(agent, 'w', 1_000, 0)).toBeUndefined();
  });

  it('never leases past the task’s deadline', () => {
    const tasks = new PulledTasks();
    void tasks.park(agent, 't1', {}, 5_000, new AbortController().signal);
    expect(tasks.claim(agent, 'w', 60_000, 0)!.until).toBe(5_000);
  });
});
