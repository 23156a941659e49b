import type { AgentInstanceView } from '@baton/contracts';
import type { OrchestratePlatform } from '@baton/sdk';
import * as path from 'node:path';
import { api, eventually, sdk } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { alive } from './support/service-control';

const WORKER = path.resolve(__dirname, '../../dist/examples/agents/provisioned-worker.js');

/**
 * The process provisioner: agent-manager starts the worker processes of an
 * agent itself, between min_instances and max_instances by the backlog, and
 * replaces one that is killed.
 */
describe('process provisioner: agent-manager starts, scales and replaces instances', () => {
  let orchestrate: OrchestratePlatform;
  const name = uniqueName('provisioned');

  const healthy = async (): Promise<AgentInstanceView[]> =>
    (await orchestrate.getAgentInstances(name)).items.filter((i) => i.health === 'healthy');

  beforeAll(async () => {
    orchestrate = sdk();
    await orchestrate.registerAgent({
      name,
      type: 'worker',
      min_instances: 1,
      max_instances: 3,
      config: {
        provisioner: {
          type: 'process',
          command: [process.execPath, WORKER],
          // A short lease: a killed instance's task moves on sooner (ADR 0008).
          env: { BATON_HEARTBEAT_MS: '500', BATON_TASK_LEASE_MS: '8000' },
          tasks_per_instance: 2,
          cooldown_ms: 1_000,
        },
      },
    });
  });

  afterAll(async () => {
    // Decommissioning stops the instances.
    await api('DELETE', `/v1/agents/${name}`);
    await eventually(async () => ((await healthy()).length === 0 ? true : undefined), 30_000);
  });

  it('refuses a command the operator did not allow', async () => {
    const response = await api<{ errors: { field: string; message: string }[] }>(
      'POST',
      '/v1/agents',
      {
        body: {
          name: uniqueName('shell'),
          type: 'worker',
          config: { provisioner: { type: 'process', command: ['/bin/sh', '-c', 'rm -rf /'] } },
        },
      },
    );
    expect(response.status).toBe(422);
    expect(response.body.errors[0]).toMatchObject({ field: 'config.provisioner.command' });
  });

  it('starts min_instances and serves tasks with no worker started by the test', async () => {
    const [instance] = await eventually(
      async () => {
        const live = await healthy();
        return live.length === 1 ? live : undefined;
      },
      30_000,
      'the first provisioned instance',
    );
    expect(instance.pid).toEqual(expect.any(Number));
    const result = await orchestrate.invokeAgent({
      agent_id: name,
      input: { n: 1 },
      timeout: 20_000,
    });
    expect(result.output).toEqual({ echo: { n: 1 }, instance: instance.instance_id });
  });

  it('scales from 1 to 3 instances under load and back to 1', async () => {
    // 27 s of work for one instance: on a loaded machine the new instances take a
    // few seconds to start and join, and the first one must not have finished by then.
    const submitted = await Promise.all(
      Array.from({ length: 18 }, (_, n) =>
        orchestrate.submitTask({ agent_id: name, input: { n, sleep_ms: 1_500 } }),
      ),
    );
    await eventually(
      async () => ((await healthy()).length === 3 ? true : undefined),
      40_000,
      '3 instances',
    );
    const done = await eventually(
      async () => {
        const tasks = await Promise.all(submitted.map((s) => orchestrate.getTask(s.task_id)));
        return tasks.every((t) => t.status === 'completed') ? tasks : undefined;
      },
      50_000,
      'all tasks to complete',
    );
    expect(
      new Set(done.map((t) => (t.output as { instance: string }).instance)).size,
    ).toBeGreaterThan(1);
    await eventually(
      async () => ((await healthy()).length === 1 ? true : undefined),
      40_000,
      'back to 1',
    );
  }, 120_000);

  it('replaces an instance killed with kill -9 mid-task; the task completes on another', async () => {
    const { task_id } = await orchestrate.submitTask({
      agent_id: name,
      input: { sleep_ms: 4_000 },
    });
    const victim = await eventually(
      async () => (await healthy()).find((i) => i.in_flight === 1),
      20_000,
      'an instance busy with the task',
    );
    process.kill(victim.pid!, 'SIGKILL');
    const replacement = await eventually(
      async () => (await healthy()).find((i) => i.instance_id !== victim.instance_id),
      60_000,
      'a replacement instance',
    );
    expect(replacement.pid).not.toBe(victim.pid);
    // Kafka hands the uncommitted task to the group's next member once the dead one's session ends.
    const task = await eventually(
      async () => {
        const current = await orchestrate.getTask(task_id);
        return current.status === 'completed' ? current : undefined;
      },
      60_000,
      'the task to complete elsewhere',
    );
    expect((task.output as { instance: string }).instance).not.toBe(victim.instance_id);
    const listed = (await orchestrate.getAgentInstances(name)).items.map((i) => i.instance_id);
    expect(listed).not.toContain(victim.instance_id);
  }, 120_000);

  it('replaces an instance that stops beating while its process lives (frozen)', async () => {
    const [frozen] = await eventually(
      async () => {
        const live = await healthy();
        return live.length === 1 ? live : undefined;
      },
      30_000,
      'one healthy instance',
    );
    process.kill(frozen.pid!, 'SIGSTOP');
    const replacement = await eventually(
      async () => (await healthy()).find((i) => i.instance_id !== frozen.instance_id),
      60_000,
      'a replacement for the frozen instance',
    );
    expect(replacement.pid).not.toBe(frozen.pid);
    // agent-manager killed the frozen process rather than leave it holding its partitions.
    await eventually(async () => (alive(frozen.pid!) ? undefined : true), 10_000, 'the kill');
  }, 90_000);
});
