import { newAgent } from '../../../../test/repositories/agent-manager.fixtures';
import { useServiceDatabase } from '../../../../test/repositories/service-database';
import { DATABASE } from '../agent-manager.database';
import { ProvisionedAgentsRepository } from '../provisioning/provisioned-agents.repository';
import { AgentsRepository } from './agents.repository';

describe('AgentsRepository and ProvisionedAgentsRepository (Postgres)', () => {
  const db = useServiceDatabase(DATABASE, ['agents', 'agent_versions']);
  let agents: AgentsRepository;
  beforeAll(() => {
    agents = new AgentsRepository(db.dataSource);
  });

  it('finds the bridged agents that are not decommissioned, across workspaces', async () => {
    await db.dataSource.manager.save([
      newAgent({ name: 'route', runtime: 'rules' }),
      newAgent({ workspaceId: 'ws-b', name: 'fetch', runtime: 'http', status: 'decommissioning' }),
      newAgent({ name: 'gone', runtime: 'llm', status: 'decommissioned' }),
      newAgent({ name: 'worker', runtime: 'worker' }),
    ]);
    const bridged = await agents.bridged(new Set(['rules', 'http', 'llm']));
    expect(bridged.map((a) => `${a.workspace_id}/${a.name}:${a.status}`).sort()).toEqual([
      'ws-a/route:active',
      'ws-b/fetch:decommissioning',
    ]);
    expect((await agents.decommissioning()).map((a) => a.name)).toEqual(['fetch']);
  });

  it('names live agents in order, bounded, and tells which names exist in a workspace', async () => {
    await db.dataSource.manager.save([
      newAgent({ name: 'c' }),
      newAgent({ name: 'a' }),
      newAgent({ name: 'b', status: 'decommissioned' }),
      newAgent({ workspaceId: 'ws-b', name: 'z' }),
    ]);
    expect(await agents.liveNames('ws-a', 10)).toEqual(['a', 'c']);
    expect(await agents.liveNames('ws-a', 1)).toEqual(['a']);
    expect(await agents.liveEverywhere(10)).toEqual([
      { workspace_id: 'ws-a', name: 'a' },
      { workspace_id: 'ws-a', name: 'c' },
      { workspace_id: 'ws-b', name: 'z' },
    ]);
    expect((await agents.existingNames('ws-a', ['a', 'b', 'z', 'nope'])).sort()).toEqual([
      'a',
      'b',
    ]);
    expect(await agents.existingNames('ws-a', [])).toEqual([]);
  });

  it('lists a page of the workspace agents by name, filtered by type, capability and cursor, with the view columns only', async () => {
    await db.dataSource.manager.save([
      newAgent({ name: 'b', type: 'classifier', capabilities: ['triage', 'email'] }),
      newAgent({
        name: 'a',
        type: 'summariser',
        description: 'sums',
        inputSchema: { type: 'object' },
      }),
      newAgent({ name: 'c', type: 'classifier', capabilities: ['email'] }),
      newAgent({ workspaceId: 'ws-b', name: 'a0', type: 'classifier', capabilities: ['email'] }),
    ]);
    const names = async (filter: Parameters<AgentsRepository['list']>[1]) =>
      (await agents.list('ws-a', filter)).map((a) => a.name);
    expect(await names({ limit: 10 })).toEqual(['a', 'b', 'c']);
    expect(await names({ limit: 2 })).toEqual(['a', 'b']);
    expect(await names({ limit: 10, after: 'a' })).toEqual(['b', 'c']);
    expect(await names({ limit: 10, type: 'classifier' })).toEqual(['b', 'c']);
    expect(await names({ limit: 10, capability: 'triage' })).toEqual(['b']);
    expect(await names({ limit: 10, capability: 'email', type: 'classifier', after: 'b' })).toEqual(
      ['c'],
    );
    expect(await agents.list('ws-c', { limit: 10 })).toEqual([]);
    const [a] = await agents.list('ws-a', { limit: 1 });
    expect(a).toEqual({
      name: 'a',
      type: 'summariser',
      runtime: 'worker',
      description: 'sums',
      capabilities: [],
      inputSchema: { type: 'object' },
      minInstances: 0,
      maxInstances: 1,
      version: 1,
      status: 'active',
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
  });

  it('finds the active workers a provisioner runs, by provisioner type', async () => {
    const provisioned = new ProvisionedAgentsRepository(db.dataSource);
    await db.dataSource.manager.save([
      newAgent({ name: 'proc', config: { provisioner: { type: 'process', command: ['w'] } } }),
      newAgent({ name: 'kube', config: { provisioner: { type: 'kubernetes' } } }),
      newAgent({
        name: 'paused',
        status: 'decommissioning',
        config: { provisioner: { type: 'process' } },
      }),
      newAgent({ name: 'plain' }),
      newAgent({ name: 'rules', runtime: 'rules', config: { provisioner: { type: 'process' } } }),
    ]);
    expect((await provisioned.withProvisioner()).map((a) => a.name).sort()).toEqual([
      'kube',
      'proc',
    ]);
    expect(await provisioned.onKubernetes()).toEqual([
      {
        workspace_id: 'ws-a',
        name: 'kube',
        min_instances: 0,
        max_instances: 1,
        config: { provisioner: { type: 'kubernetes' } },
      },
    ]);
  });
});
