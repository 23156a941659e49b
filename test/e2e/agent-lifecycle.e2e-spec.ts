import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { api, eventually, metricsUrl, platformState, sdk } from './support/platform';
import { ScriptedServer, uniqueName } from './support/scripted-server';

type Problem = { status: number; code: string; detail: string; errors?: { field: string }[] };

/** Versions, live instances, stats and metrics, the circuit breaker, and decommissioning. */
describe('agent lifecycle: versions, instances, stats, breaker, decommission', () => {
  let orchestrate: OrchestratePlatform;
  const brokers = () => platformState().kafkaBrokers.split(',');

  beforeAll(() => {
    orchestrate = sdk();
  });

  it('reports live instances with health, version and in-flight, and per-agent stats and metrics', async () => {
    const name = uniqueName('counter');
    await orchestrate.registerAgent({ name, type: 'worker', max_instances: 2 });
    const worker = new AgentWorker({
      agent: name,
      brokers: brokers(),
      version: 'v7',
      heartbeatIntervalMs: 500,
      handler: (input) => ({ doubled: 2 * (input as { n: number }).n }),
    });
    await worker.start();
    try {
      for (let n = 1; n <= 5; n++) {
        const result = await orchestrate.invokeAgent({
          agent_id: name,
          input: { n },
          timeout: 10_000,
        });
        expect(result.output).toEqual({ doubled: 2 * n });
      }
      const { items } = await eventually(async () => {
        const instances = await orchestrate.getAgentInstances(name);
        return instances.items.length > 0 ? instances : undefined;
      });
      expect(items).toEqual([
        {
          instance_id: worker.instanceId,
          health: 'healthy',
          last_heartbeat: expect.any(String),
          in_flight: 0,
          version: 'v7',
          pid: null,
          tasks: [],
        },
      ]);
      const stats = await eventually(async () => {
        const current = await orchestrate.getAgentStats(name);
        return current.tasks >= 5 ? current : undefined;
      });
      expect(stats).toMatchObject({
        agent: name,
        tasks: 5,
        completed: 5,
        failed: 0,
        error_rate: 0,
        instances: { healthy: 1, unhealthy: 0 },
        circuit: { state: 'closed' },
      });
      expect(stats.response_ms.p50).not.toBeNull();
      const agentManager = platformState().services.find((s) => s.name === 'agent-manager')!;
      const metrics = await (await fetch(metricsUrl(agentManager.port))).text();
      expect(metrics).toMatch(
        new RegExp(
          `baton_agent_tasks_total\\{[^}]*agent="${name}"[^}]*status="completed"[^}]*\\} 5`,
        ),
      );
      expect(metrics).toMatch(
        new RegExp(`baton_agent_task_duration_seconds_count\\{[^}]*agent="${name}"[^}]*\\} 5`),
      );
      expect(metrics).toMatch(
        new RegExp(`baton_agent_healthy_instances\\{[^}]*agent="${name}"[^}]*\\} 1`),
      );
    } finally {
      await worker.stop();
    }
  });

  it('changes an agent with PATCH into a new version, and refuses bad changes', async () => {
    const name = uniqueName('patched');
    await orchestrate.registerAgent({ name, type: 'worker', description: 'first' });
    const patched = await orchestrate.updateAgent(name, {
      description: 'second',
      capabilities: ['x'],
    });
    expect(patched).toMatchObject({ version: 2, description: 'second', capabilities: ['x'] });
    const bad = await api<Problem>('PATCH', `/v1/agents/${name}`, {
      body: { min_instances: 5, max_instances: 2, nope: true },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors?.map((e) => e.field)).toContain('nope');
    const bounds = await api<Problem>('PATCH', `/v1/agents/${name}`, {
      body: { min_instances: 3 },
    });
    expect(bounds.status).toBe(422);
    expect(bounds.body.errors?.map((e) => e.field)).toEqual(['min_instances']);
    expect((await api('PATCH', '/v1/agents/no-such-agent', { body: {} })).status).toBe(404);
    const versions = await orchestrate.listAgentVersions(name);
    expect(versions.items.map((v) => [v.version, v.spec.description])).toEqual([
      [2, 'second'],
      [1, 'first'],
    ]);
  });

  it('opens the circuit of an agent that keeps failing, and says so', async () => {
    const down = new ScriptedServer(() => ({ status: 503, body: { error: 'overloaded' } }));
    await down.start();
    try {
      const name = uniqueName('failing');
      await orchestrate.registerAgent({
        name,
        type: 'tool',
        runtime: 'http',
        config: { url: down.url },
      });
      const refused = await eventually(
        async () => {
          const response = await api<Problem>('POST', `/v1/agents/${name}/invoke`, {
            body: { input: {}, timeout: 5_000 },
          });
          return response.status === 503 ? response : undefined;
        },
        30_000,
        'the circuit to open',
      );
      expect(refused.body.detail).toMatch(/failed \d+ times in a row: its circuit is open/);
      const { circuit } = await orchestrate.getAgentStats(name);
      expect(circuit.state).toBe('open');
      expect(circuit.consecutive_failures).toBeGreaterThanOrEqual(5);
    } finally {
      await down.stop();
    }
  });

  it('decommissions: no new tasks, the in-flight one finishes, history stays readable', async () => {
    const name = uniqueName('retiring');
    await orchestrate.registerAgent({ name, type: 'worker' });
    let started = false;
    const worker = new AgentWorker({
      agent: name,
      brokers: brokers(),
      heartbeatIntervalMs: 300,
      handler: async () => {
        started = true;
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        return { finished: true };
      },
    });
    await worker.start();
    try {
      const { task_id } = await orchestrate.submitTask({ agent_id: name, input: {} });
      await eventually(async () => (started ? true : undefined));
      const draining = await api<{ status: string }>('DELETE', `/v1/agents/${name}`);
      expect(draining.status).toBe(202);
      expect(draining.body.status).toBe('decommissioning');

      const invoke = await api<Problem>('POST', `/v1/agents/${name}/invoke`, {
        body: { input: {} },
      });
      expect(invoke.status).toBe(409);
      expect(invoke.body.detail).toContain('decommissioning');
      const submit = await api<Problem>('POST', `/v1/agents/${name}/tasks`, {
        body: { input: {} },
      });
      expect(submit.status).toBe(409);

      const task = await eventually(async () => {
        const current = await orchestrate.getTask(task_id);
        return current.status !== 'running' ? current : undefined;
      });
      expect(task).toMatchObject({ status: 'completed', output: { finished: true } });
      const retired = await eventually(
        async () => {
          const agent = await orchestrate.getAgent(name);
          return agent.status === 'decommissioned' ? agent : undefined;
        },
        30_000,
        'the agent to be decommissioned',
      );
      expect(retired).toMatchObject({ name, version: 1 });
      expect((await orchestrate.listAgentVersions(name)).items).toHaveLength(1);
      expect((await api('POST', `/v1/agents/${name}/invoke`, { body: {} })).status).toBe(404);
    } finally {
      await worker.stop();
    }
  });
});
