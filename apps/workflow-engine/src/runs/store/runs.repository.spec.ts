import { randomUUID } from 'node:crypto';
import { useServiceDatabase } from '../../../../../test/repositories/service-database';
import { DATABASE } from '../../workflow-engine.database';
import { AdmissionRepository } from './admission.repository';
import { RunFiguresRepository } from './run-figures.repository';
import { RunEntity } from './run.entity';
import { toRunView } from './run.view';
import { RunsRepository } from './runs.repository';
import { StepExecutionEntity } from './step-execution.entity';

function newRun(overrides: Partial<RunEntity> = {}): RunEntity {
  const now = new Date();
  return Object.assign(new RunEntity(), {
    id: randomUUID(),
    workspaceId: 'ws-a',
    workflow: 'onboard',
    workflowVersion: 1,
    status: 'running',
    input: { customer: 'c-1' },
    output: null,
    error: null,
    correlationId: 'corr-1',
    idempotencyKey: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    ...overrides,
  });
}

describe('RunsRepository and RunFiguresRepository (Postgres)', () => {
  const db = useServiceDatabase(DATABASE, [
    'runs',
    'step_executions',
    'waits',
    'timers',
    'workspace_admission',
  ]);
  let runs: RunsRepository;
  beforeAll(() => {
    runs = new RunsRepository(db.dataSource);
  });

  async function addStep(run: RunEntity, overrides: Partial<StepExecutionEntity> = {}) {
    const step = Object.assign(new StepExecutionEntity(), {
      taskId: randomUUID(),
      runId: run.id,
      stepName: 'classify',
      stepIndex: 0,
      status: 'running',
      attempt: 1,
      agent: 'classifier',
      action: null,
      input: { text: 'hi' },
      output: null,
      error: null,
      startedAt: new Date(),
      finishedAt: null,
      path: `classify-${randomUUID()}`,
      kind: 'agent',
      ...overrides,
    });
    await db.dataSource.manager.save(step);
    return step;
  }

  async function addTimer(runId: string, fireAt: Date): Promise<string> {
    const [row] = (await db.dataSource.query(
      `INSERT INTO timers (run_id, kind, fire_at, payload) VALUES ($1, 'step_timeout', $2, '{}')
       RETURNING id`,
      [runId, fireAt],
    )) as { id: string }[];
    return row.id;
  }

  it('inserts runs once per idempotency key of a workflow in a workspace', async () => {
    const first = newRun({ idempotencyKey: 'k-1' });
    const again = newRun({ idempotencyKey: 'k-1' });
    const otherWorkflow = newRun({ idempotencyKey: 'k-1', workflow: 'offboard' });
    const plain = newRun();
    const inserted = await runs.insertNew(db.dataSource.manager, [first, otherWorkflow, plain]);
    expect(inserted).toEqual(new Set([first.id, otherWorkflow.id, plain.id]));
    expect(await runs.insertNew(db.dataSource.manager, [again])).toEqual(new Set());
    const found = await runs.findByIdempotencyKeys('ws-a', [{ workflow: 'onboard', key: 'k-1' }]);
    expect(found.map((r) => r.id)).toEqual([first.id]);
    // The prepared read gives the entity TypeORM's own read gives.
    expect(found).toEqual([await db.dataSource.manager.findOneBy(RunEntity, { id: first.id })]);
    expect(await runs.findByIdempotencyKeys('ws-b', [{ workflow: 'onboard', key: 'k-1' }])).toEqual(
      [],
    );
  });

  it('reads a run with its steps and child runs in one statement, as the entity reads do, only in its workspace', async () => {
    const run = newRun({ output: { ok: true }, traceparent: null });
    await db.dataSource.manager.save(run);
    const started = new Date(Date.now() - 5000);
    const first = await addStep(run, {
      seq: 0,
      startedAt: started,
      finishedAt: new Date(started.getTime() + 1234),
      status: 'completed',
      output: { label: 'x' },
    });
    const sub = await addStep(run, {
      seq: 1,
      stepName: 'child',
      kind: 'workflow',
      agent: null,
      workflow: 'billing',
      status: 'running',
    });
    await addStep(run, {
      seq: 2,
      stepName: 'parked',
      status: 'waiting',
      meta: { parked_by: { kind: 'workflow', workflow: 'refund' } },
      startedAt: null,
    });
    const older = newRun({
      parentRunId: run.id,
      parentTaskId: sub.taskId,
      createdAt: new Date(Date.now() - 1000),
    });
    const latest = newRun({ parentRunId: run.id, parentTaskId: sub.taskId });
    await db.dataSource.manager.save([older, latest]);

    const found = await runs.findRunWithExecutions('ws-a', run.id);
    const entity = await runs.findRun('ws-a', run.id);
    const executions = await runs.executionsOf(run.id);
    // executionsOf's prepared read gives the entities TypeORM's own read gives, in its order.
    const entityRead = await db.dataSource.manager.find(StepExecutionEntity, {
      where: { runId: run.id },
      order: { seq: 'ASC', startedAt: 'ASC' },
    });
    expect(executions.map(({ childRunId: _, ...rest }) => rest)).toEqual(
      entityRead.map((e) => ({ ...e })),
    );
    expect(found).not.toBeNull();
    expect(toRunView(found!.run, found!.executions)).toEqual(toRunView(entity!, executions));
    expect(found!.executions.map((e) => [e.stepName, e.childRunId])).toEqual([
      [first.stepName, undefined],
      ['child', latest.id],
      ['parked', null],
    ]);
    expect(
      found!.executions[0].finishedAt!.getTime() - found!.executions[0].startedAt!.getTime(),
    ).toBe(1234);
    expect(await runs.findRunWithExecutions('ws-b', run.id)).toBeNull();
    expect(await runs.findRunWithExecutions('ws-a', randomUUID())).toBeNull();
    const bare = newRun();
    await db.dataSource.manager.save(bare);
    expect((await runs.findRunWithExecutions('ws-a', bare.id))?.executions).toEqual([]);
  });

  it('locks a run for an operation only within its workspace, and pauses, resumes and reopens it', async () => {
    const run = newRun();
    await runs.insertNew(db.dataSource.manager, [run]);
    await db.dataSource.transaction(async (manager) => {
      expect(await runs.lockRunInWorkspace(manager, 'ws-b', run.id)).toBeNull();
      expect(await runs.lockRunInWorkspace(manager, 'ws-a', run.id)).toMatchObject({ id: run.id });
      await runs.markPaused(manager, run.id, new Date());
    });
    expect(await runs.findRun('ws-a', run.id)).toMatchObject({
      status: 'paused',
      pausedAt: expect.any(Date),
    });
    await runs.markResumed(db.dataSource.manager, run.id, new Date());
    expect(await runs.findRun('ws-a', run.id)).toMatchObject({ status: 'running', pausedAt: null });

    await db.dataSource.query(
      `UPDATE runs SET status = 'failed', error = '{"type":"x","message":"y"}', finished_at = now()
        WHERE id = $1`,
      [run.id],
    );
    await runs.reopen(db.dataSource.manager, run.id, new Date());
    expect(await runs.findRun('ws-a', run.id)).toMatchObject({
      status: 'running',
      error: null,
      output: null,
      finishedAt: null,
    });
  });

  it('claims one due timer at a time, skipping one another transaction holds', async () => {
    const run = newRun();
    const past = new Date(Date.now() - 1_000);
    const first = await addTimer(run.id, new Date(Date.now() - 2_000));
    const second = await addTimer(run.id, past);
    await addTimer(run.id, new Date(Date.now() + 60_000));

    await db.dataSource.transaction(async (holder) => {
      const held = await runs.claimDueTimer(holder);
      expect(held).toMatchObject({ id: first, run_id: run.id, kind: 'step_timeout' });
      // A second engine process takes the next due timer instead of waiting for the first.
      const next = await db.dataSource.transaction((other) => runs.claimDueTimer(other));
      expect(next).toMatchObject({ id: second });
      expect(await db.dataSource.transaction((other) => runs.claimDueTimer(other))).toBeNull();
    });
  });

  it('matches waits by workspace, type and correlation, and lets one event claim a wait', async () => {
    const run = newRun();
    const anyCorrelation = randomUUID();
    const forOrder = randomUUID();
    await runs.addWait(db.dataSource.manager, {
      taskId: anyCorrelation,
      runId: run.id,
      workspaceId: 'ws-a',
      type: 'order.paid',
      correlation: null,
    });
    await runs.addWait(db.dataSource.manager, {
      taskId: forOrder,
      runId: run.id,
      workspaceId: 'ws-a',
      type: 'order.paid',
      correlation: 'order-7',
    });
    const matched = await runs.matchWaits([
      { workspaceId: 'ws-b', type: 'order.paid', keys: ['order-7'] },
      { workspaceId: 'ws-a', type: 'order.paid', keys: ['order-8'] },
      { workspaceId: 'ws-a', type: 'order.paid', keys: ['order-7'] },
    ]);
    expect(matched.filter((m) => m.probe === 0)).toEqual([]);
    expect(matched.filter((m) => m.probe === 1).map((m) => m.task_id)).toEqual([anyCorrelation]);
    expect(
      matched
        .filter((m) => m.probe === 2)
        .map((m) => m.task_id)
        .sort(),
    ).toEqual([anyCorrelation, forOrder].sort());

    expect(await runs.claimWait(db.dataSource.manager, forOrder)).toBe(true);
    expect(await runs.claimWait(db.dataSource.manager, forOrder)).toBe(false);
  });

  it('pages through the agent steps waiting on running runs', async () => {
    const running = newRun();
    const finished = newRun({ status: 'completed' });
    await runs.insertNew(db.dataSource.manager, [running, finished]);
    const a = await addStep(running);
    const b = await addStep(running);
    await addStep(running, { agent: null, action: 'http.get', kind: 'action' });
    await addStep(running, { status: 'completed' });
    await addStep(finished);
    const [low, high] = [a, b].sort((x, y) => x.taskId.localeCompare(y.taskId));

    const page = await runs.waitingAgentSteps('', 1);
    expect(page).toEqual([
      expect.objectContaining({
        task_id: low.taskId,
        agent: 'classifier',
        run_id: running.id,
        workspace_id: 'ws-a',
        correlation_id: 'corr-1',
      }),
    ]);
    expect((await runs.waitingAgentSteps(low.taskId, 10)).map((s) => s.task_id)).toEqual([
      high.taskId,
    ]);
  });

  it('reads the gauges: active runs, open waits and overdue timers', async () => {
    const figures = new RunFiguresRepository(db.dataSource);
    const run = newRun();
    await runs.insertNew(db.dataSource.manager, [
      run,
      newRun({ status: 'paused' }),
      newRun({ status: 'completed' }),
    ]);
    await runs.addWait(db.dataSource.manager, {
      taskId: randomUUID(),
      runId: run.id,
      workspaceId: 'ws-a',
      type: 'order.paid',
      correlation: null,
    });
    expect(await figures.overdueTimers()).toBe(0);
    expect(await figures.oldestOverdueSeconds()).toBe(0);
    await addTimer(run.id, new Date(Date.now() - 10_000));

    expect(
      (await figures.activeRuns()).map((r) => `${r.workflow}:${r.status}=${r.n}`).sort(),
    ).toEqual(['onboard:paused=1', 'onboard:running=1']);
    expect(await figures.openWaits()).toEqual([
      { workspace_id: 'ws-a', workflow: 'onboard', n: 1 },
    ]);
    expect(await figures.overdueTimers()).toBe(1);
    expect(await figures.oldestOverdueSeconds()).toBeGreaterThanOrEqual(9);
  });
  it('counts for admission the running runs with work in flight, not those parked on a wait', async () => {
    const admission = new AdmissionRepository(db.dataSource);
    const busy = newRun({ workspaceId: 'ws-admit' });
    const parked = newRun({ workspaceId: 'ws-admit' });
    const busyBranch = newRun({ workspaceId: 'ws-admit' });
    const queued = newRun({ workspaceId: 'ws-admit', status: 'queued' });
    await db.dataSource.manager.save([busy, parked, busyBranch, queued]);
    await addStep(busy, { status: 'running' });
    await addStep(parked, { status: 'completed' });
    await addStep(parked, { status: 'waiting', stepIndex: 1 });
    // A parallel step with one branch waiting and one running still has work in flight.
    await addStep(busyBranch, { status: 'waiting' });
    await addStep(busyBranch, { status: 'retrying', stepIndex: 1 });

    const standing = await admission.standing(db.dataSource.manager, ['ws-admit', 'ws-none']);
    expect(standing).toEqual([
      { workspace_id: 'ws-admit', running: 2, queued: true, own_limit: null },
      { workspace_id: 'ws-none', running: 0, queued: false, own_limit: null },
    ]);
  });

  it("stores a workspace's own admission limit, which the count answers with", async () => {
    const admission = new AdmissionRepository(db.dataSource);
    const manager = db.dataSource.manager;
    await admission.setOwnLimit(manager, 'ws-own', 3);
    await admission.setOwnLimit(manager, 'ws-own', 1);
    await admission.setOwnLimit(manager, 'ws-free', 0);
    expect(await admission.ownLimit('ws-own')).toBe(1);
    expect(await admission.overridden()).toEqual(
      new Map([
        ['ws-own', 1],
        ['ws-free', 0],
      ]),
    );
    const standing = await admission.standing(manager, ['ws-own', 'ws-free', 'ws-none']);
    expect(standing.map((s) => s.own_limit)).toEqual([1, 0, null]);
    await admission.setOwnLimit(manager, 'ws-own', null);
    expect(await admission.ownLimit('ws-own')).toBeNull();
  });
});
