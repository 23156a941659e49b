import type { Transaction } from '@baton/database';
import type { WorkflowEngineEnv } from '../../workflow-engine.env';
import type { AdmissionRepository, WorkspaceStanding } from '../store/admission.repository';
import { RunEntity } from '../store/run.entity';
import { RunsEnded } from '../store/runs-ended';
import { RunAdmission } from './run-admission';

/** The repository's answers for the test: workspaces' standing, and what was locked. */
function fakeRepository(standing: WorkspaceStanding[]): {
  repository: AdmissionRepository;
  locked: string[][];
} {
  const locked: string[][] = [];
  const repository = {
    lockWorkspaces: (_: unknown, ids: string[]) => {
      locked.push(ids);
      return Promise.resolve();
    },
    standing: (_: unknown, ids: string[]) =>
      Promise.resolve(standing.filter((s) => ids.includes(s.workspace_id))),
    overridden: () =>
      Promise.resolve(
        new Map(
          standing.filter((s) => s.own_limit !== null).map((s) => [s.workspace_id, s.own_limit]),
        ),
      ),
  } as unknown as AdmissionRepository;
  return { repository, locked };
}

function fakeTx(): { tx: Transaction; commit: () => void } {
  const hooks: (() => void)[] = [];
  const tx = { manager: {}, afterCommit: (hook: () => void) => hooks.push(hook) };
  return { tx: tx as unknown as Transaction, commit: () => hooks.forEach((hook) => hook()) };
}

function runsOf(workspaceId: string, count: number): RunEntity[] {
  return Array.from({ length: count }, () =>
    Object.assign(new RunEntity(), { workspaceId, status: 'running' }),
  );
}

function admission(limit: number, standing: WorkspaceStanding[], ended = new RunsEnded()) {
  const { repository, locked } = fakeRepository(standing);
  const env = { RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE: limit } as WorkflowEngineEnv;
  return { admission: new RunAdmission(env, repository, ended), locked };
}

describe('RunAdmission.admitNew', () => {
  it('starts what fits under each workspace limit and queues the rest, in order', async () => {
    const { admission: subject, locked } = admission(3, [
      { workspace_id: 'a', running: 2, queued: false, own_limit: null },
      { workspace_id: 'b', running: 0, queued: false, own_limit: null },
    ]);
    const a = runsOf('a', 3);
    const b = runsOf('b', 2);
    await subject.admitNew(fakeTx().tx, [a[0], b[0], a[1], b[1], a[2]]);
    expect(a.map((r) => r.status)).toEqual(['running', 'queued', 'queued']);
    expect(b.map((r) => r.status)).toEqual(['running', 'running']);
    expect(locked).toEqual([['a', 'b']]);
  });

  it('queues new runs behind a workspace that has runs waiting already', async () => {
    const { admission: subject } = admission(10, [
      { workspace_id: 'a', running: 1, queued: true, own_limit: null },
    ]);
    const runs = runsOf('a', 2);
    await subject.admitNew(fakeTx().tx, runs);
    expect(runs.map((r) => r.status)).toEqual(['queued', 'queued']);
  });

  it('takes no lock and queues nothing when the limit is off', async () => {
    const { admission: subject, locked } = admission(0, [
      { workspace_id: 'a', running: 10_000, queued: true, own_limit: null },
    ]);
    const runs = runsOf('a', 2);
    await subject.admitNew(fakeTx().tx, runs);
    expect(runs.map((r) => r.status)).toEqual(['running', 'running']);
    expect(locked).toEqual([]);
    expect(subject.limit).toBe(Infinity);
  });

  it('holds a workspace to its own limit in place of the default, 0 being none', async () => {
    const { admission: subject } = admission(3, [
      { workspace_id: 'small', running: 0, queued: false, own_limit: 1 },
      { workspace_id: 'free', running: 50, queued: false, own_limit: 0 },
    ]);
    const small = runsOf('small', 2);
    const free = runsOf('free', 2);
    await subject.admitNew(fakeTx().tx, [...small, ...free]);
    expect(small.map((r) => r.status)).toEqual(['running', 'queued']);
    expect(free.map((r) => r.status)).toEqual(['running', 'running']);
  });

  it('counts a workspace with its own limit even when the default is off, and only it', async () => {
    const { admission: subject, locked } = admission(0, [
      { workspace_id: 'held', running: 2, queued: false, own_limit: 2 },
      { workspace_id: 'other', running: 900, queued: false, own_limit: null },
    ]);
    const other = runsOf('other', 1);
    await subject.admitNew(fakeTx().tx, other);
    expect(locked).toEqual([]);
    const held = runsOf('held', 1);
    await subject.admitNew(fakeTx().tx, [...held, ...runsOf('other', 1)]);
    expect(held[0].status).toBe('queued');
    expect(locked).toEqual([['held', 'other']]);
    expect(subject.limitOf({ own_limit: null })).toBe(Infinity);
  });

  it('wakes the poller on ended runs only once a committed start queued some', async () => {
    const ended = new RunsEnded();
    const { admission: subject } = admission(
      1,
      [{ workspace_id: 'a', running: 1, queued: false, own_limit: null }],
      ended,
    );
    let wakes = 0;
    subject.listen(() => wakes++);
    ended.notify();
    expect(wakes).toBe(0);
    const { tx, commit } = fakeTx();
    await subject.admitNew(tx, runsOf('a', 1));
    ended.notify();
    expect(wakes).toBe(0); // not committed yet
    commit();
    ended.notify();
    expect(wakes).toBe(1);
    subject.sawBacklog(false);
    ended.notify();
    expect(wakes).toBe(1);
  });
});
