import { newTask } from '../../../../test/repositories/agent-manager.fixtures';
import { useServiceDatabase } from '../../../../test/repositories/service-database';
import { DATABASE } from '../agent-manager.database';
import { TasksRepository } from '../task-model/tasks.repository';
import { AgentInstancesRepository, type HeartbeatRow } from './agent-instances.repository';

function beat(overrides: Partial<HeartbeatRow> = {}): HeartbeatRow {
  return {
    workspaceId: 'ws-a',
    agent: 'summarise',
    instanceId: 'worker-1',
    inFlight: 1,
    version: '1.0.0',
    time: new Date().toISOString(),
    tasks: [],
    leaseMs: 30_000,
    ...overrides,
  };
}

describe('AgentInstancesRepository (Postgres)', () => {
  const db = useServiceDatabase(DATABASE, ['agent_instances', 'tasks']);
  let instances: AgentInstancesRepository;
  beforeAll(() => {
    instances = new AgentInstancesRepository(db.dataSource);
  });

  it('keeps the newest heartbeat of an instance, whatever order batches arrive in', async () => {
    const now = Date.now();
    await instances.recordHeartbeats([beat({ inFlight: 3, time: new Date(now).toISOString() })]);
    await instances.recordHeartbeats([
      beat({ inFlight: 9, time: new Date(now - 5_000).toISOString() }),
      beat({ instanceId: 'worker-2', inFlight: 2, time: new Date(now).toISOString() }),
    ]);
    const rows = await instances.recent('ws-a', 'summarise', 60_000);
    expect(rows.map((r) => [r.instance_id, r.in_flight]).sort()).toEqual([
      ['worker-1', 3],
      ['worker-2', 2],
    ]);
    expect(await instances.recent('ws-b', 'summarise', 60_000)).toEqual([]);
  });

  it('beats for bridged agents as one instance, and removes it', async () => {
    await instances.beatForBridge('agent-manager-x', [
      { workspaceId: 'ws-a', agent: 'rules', inFlight: 2 },
      { workspaceId: 'ws-b', agent: 'rules', inFlight: 0 },
    ]);
    expect(await instances.recent('ws-a', 'rules', 60_000)).toMatchObject([
      { instance_id: 'agent-manager-x', in_flight: 2, version: 'agent-manager' },
    ]);
    await instances.remove('ws-a', 'rules', 'agent-manager-x');
    expect(await instances.recent('ws-a', 'rules', 60_000)).toEqual([]);
    expect(await instances.recent('ws-b', 'rules', 60_000)).toHaveLength(1);
  });

  it('lists a started process as silent until it beats', async () => {
    await instances.registerProcess('ws-a', 'summarise', 'proc-1', 4242);
    await instances.registerProcess('ws-a', 'summarise', 'proc-2', 4243);
    await instances.recordHeartbeats([beat({ instanceId: 'proc-2' })]);
    expect(
      await instances.silent('ws-a', 'summarise', ['proc-1', 'proc-2', 'proc-3'], 10_000),
    ).toEqual(['proc-1']);
    // The pid stays when the process beats; a heartbeat at the epoch is not recent.
    const [row] = await instances.recent('ws-a', 'summarise', 60_000);
    expect(row).toMatchObject({ instance_id: 'proc-2', pid: 4243 });
  });

  it('counts healthy instances and the work in flight of an agent', async () => {
    const tasks = new TasksRepository(db.dataSource);
    await tasks.insert(db.dataSource.manager, newTask());
    await tasks.insert(db.dataSource.manager, newTask({ workspaceId: 'ws-b' }));
    await instances.recordHeartbeats([
      beat({ inFlight: 2 }),
      beat({
        instanceId: 'stale',
        inFlight: 5,
        time: new Date(Date.now() - 120_000).toISOString(),
      }),
    ]);
    expect(await instances.healthyCounts(60_000)).toEqual([
      { workspace_id: 'ws-a', agent: 'summarise', n: 1 },
    ]);
    // One running task plus the live instance's two; the stale instance's five do not count.
    expect(await instances.inFlight('ws-a', 'summarise', 60_000)).toBe(3);
    expect(await instances.inFlight('ws-a', 'nobody', 60_000)).toBe(0);
  });
});
