import type { AgentInstanceView } from '@baton/contracts';
import type { OrchestratePlatform } from '@baton/sdk';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { eventually, platformState, sdk, workerEnv } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { TopicCollector } from './support/topic-collector';

const WORKER = path.resolve(__dirname, '../../dist/examples/agents/provisioned-worker.js');
const LEASE_MS = 6_000;

/**
 * Leases on worker tasks (ADR 0008): a worker that freezes mid-task, with its
 * process alive, loses its lease when the lease ends; another instance then
 * completes the task, and the frozen one's late answer, once it wakes, is
 * recorded nowhere: the first result stands.
 */
describe('worker task leases: a frozen instance hands its task on', () => {
  let orchestrate: OrchestratePlatform;
  const name = uniqueName('leased');
  const workers = new Map<string, ChildProcess>();
  let results: TopicCollector;

  const instances = async (): Promise<AgentInstanceView[]> =>
    (await orchestrate.getAgentInstances(name)).items;

  const startWorker = (instanceId: string): void => {
    const child = spawn(process.execPath, [WORKER], {
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: platformState().kafkaBrokers,
        ...workerEnv('default'),
        BATON_AGENT: name,
        BATON_WORKSPACE: 'default',
        BATON_INSTANCE_ID: instanceId,
        BATON_HEARTBEAT_MS: '500',
        BATON_TASK_LEASE_MS: String(LEASE_MS),
      },
      stdio: 'ignore',
    });
    workers.set(instanceId, child);
  };

  beforeAll(async () => {
    orchestrate = sdk();
    // Two partitions, so each of the two workers owns one.
    await orchestrate.registerAgent({ name, type: 'worker', max_instances: 2 });
    results = await new TopicCollector('baton.agent.results', { from: 'now' }).start();
    startWorker(`${name}-a`);
    startWorker(`${name}-b`);
    await eventually(
      async () =>
        (await instances()).filter((i) => i.health === 'healthy').length === 2 ? true : undefined,
      30_000,
      'two healthy workers',
    );
  });

  afterAll(async () => {
    for (const child of workers.values()) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
    await results.stop();
  });

  it('shows the held task with its lease, then completes it on the other instance', async () => {
    const { task_id } = await orchestrate.submitTask({
      agent_id: name,
      input: { sleep_ms: 3_000 },
    });
    const holder = await eventually(
      async () => (await instances()).find((i) => i.tasks.some((t) => t.task_id === task_id)),
      20_000,
      'the instance holding the task',
    );
    const held = holder.tasks.find((t) => t.task_id === task_id)!;
    expect(held.attempt).toBe(1);
    expect(Date.parse(held.lease_expires_at!) - Date.parse(held.since)).toBe(LEASE_MS);

    // Frozen, not dead: its process and sockets stay, only its heartbeats stop.
    const frozen = workers.get(holder.instance_id)!;
    frozen.kill('SIGSTOP');
    const other = [...workers.keys()].find((id) => id !== holder.instance_id)!;

    await eventually(
      async () =>
        (await instances()).find(
          (i) => i.instance_id === holder.instance_id && i.health === 'unhealthy',
        ),
      30_000,
      'the frozen instance to be marked unhealthy',
    );
    const task = await eventually(
      async () => {
        const current = await orchestrate.getTask(task_id);
        return current.status === 'completed' ? current : undefined;
      },
      45_000,
      'the task to complete on the other instance',
    );
    expect(task.output).toEqual({ echo: { sleep_ms: 3_000 }, instance: other });

    // Woken up, the frozen worker finishes its handler and answers late.
    frozen.kill('SIGCONT');
    const answers = await eventually(
      async () => {
        const forTask = results
          .json<{ data?: { task_id: string; instance_id?: string } }>()
          .filter((r) => r.data?.task_id === task_id);
        return forTask.length >= 2 ? forTask : undefined;
      },
      30_000,
      'the late answer of the woken worker',
    );
    expect(new Set(answers.map((a) => a.data?.instance_id))).toEqual(
      new Set([holder.instance_id, other]),
    );
    // The late answer is ignored: the task keeps the first result.
    const after = await orchestrate.getTask(task_id);
    expect(after.output).toEqual(task.output);
    expect(after.finished_at).toBe(task.finished_at);
  }, 120_000);
});
