import { createEnvelope, MessageTypes, type TaskResultMessage } from '@baton/contracts';
import type { Consumer, Producer } from 'kafkajs';
import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { eventually, kafka, platformState, sdk } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { TopicCollector } from './support/topic-collector';

interface Task {
  id: string;
  data: { task_id: string; attempt: number; run_id: string; input: unknown };
}

/**
 * Where workers answer workflow steps (ADR 0013): the engine's tasks name
 * baton.workflow.results in their baton-reply-to header; a worker that does
 * not read the header answers on baton.agent.results, and the run moves on
 * just the same.
 */
describe('workflow step results: the reply topic a task names', () => {
  let orchestrate: OrchestratePlatform;
  const brokers = () => platformState().kafkaBrokers.split(',');

  beforeAll(() => {
    orchestrate = sdk();
  });

  /** A two-step workflow of one agent, the second step fed the first's output; runs it to its end. */
  const runTwoSteps = async (agent: string, input: Record<string, unknown>) => {
    await orchestrate.createWorkflow({
      name: `${agent}-flow`,
      steps: [
        { name: 'first', agent, input: '${input}' },
        { name: 'second', agent, input: '${first.output}' },
      ],
    });
    const { id } = await orchestrate.startRun(`${agent}-flow`, input);
    return orchestrate.waitForRun(id, 30_000);
  };

  it('an SDK worker answers on baton.workflow.results, and agent-manager still counts the results', async () => {
    const name = uniqueName('replier');
    await orchestrate.registerAgent({ name, type: 'worker' });
    const tasks = await new TopicCollector(`baton.agent.tasks.default.${name}`).start();
    const results = await new TopicCollector('baton.workflow.results', { from: 'now' }).start();
    const worker = new AgentWorker({
      agent: name,
      brokers: brokers(),
      handler: (input) => ({ seen: input }),
    });
    await worker.start();
    try {
      const run = await runTwoSteps(name, { n: 1 });
      expect(run).toMatchObject({ status: 'completed', output: { seen: { seen: { n: 1 } } } });
      const id = run.id;

      const sent = await eventually(async () => {
        const mine = tasks.json<Task>().filter((t) => t.data.run_id === id);
        return mine.length === 2 ? mine : undefined;
      });
      expect(sent.map((t) => t.headers['baton-reply-to'])).toEqual([
        'baton.workflow.results',
        'baton.workflow.results',
      ]);
      const answered = await eventually(async () => {
        const mine = results
          .json<{ data: { task_id: string; run_id?: string } }>()
          .filter((r) => r.data.run_id === id);
        return mine.length === 2 ? mine : undefined;
      });
      expect(answered.map((r) => r.data.task_id).sort()).toEqual(
        sent.map((t) => t.data.task_id).sort(),
      );
      // Read in gathered fetches, so they arrive late by up to a few hundred milliseconds.
      const stats = await eventually(async () => {
        const current = await orchestrate.getAgentStats(name);
        return current.tasks >= 2 ? current : undefined;
      });
      expect(stats).toMatchObject({ agent: name, tasks: 2, completed: 2, failed: 0 });
    } finally {
      await worker.stop();
      await tasks.stop();
      await results.stop();
    }
  });

  it('a worker that ignores the header and answers on baton.agent.results still moves the run', async () => {
    const name = uniqueName('old-replier');
    await orchestrate.registerAgent({ name, type: 'worker' });
    const client = kafka(`e2e-${name}`);
    const producer: Producer = client.producer();
    const consumer: Consumer = client.consumer({ groupId: `e2e-${name}`, maxWaitTimeInMs: 100 });
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic: `baton.agent.tasks.default.${name}`, fromBeginning: true });
    // A worker written against the topic list alone: it answers every task on baton.agent.results.
    await consumer.run({
      eachMessage: async ({ message }) => {
        const task = JSON.parse(message.value!.toString()) as Task;
        await producer.send({
          topic: 'baton.agent.results',
          messages: [
            {
              key: task.data.run_id,
              value: JSON.stringify(
                createEnvelope<TaskResultMessage>({
                  type: MessageTypes.agentResult,
                  source: `agent/${name}`,
                  workspaceId: 'default',
                  data: {
                    task_id: task.data.task_id,
                    attempt: task.data.attempt,
                    run_id: task.data.run_id,
                    status: 'completed',
                    output: { plain: task.data.input },
                  },
                }),
              ),
            },
          ],
        });
      },
    });
    try {
      const run = await runTwoSteps(name, { n: 2 });
      expect(run).toMatchObject({ status: 'completed', output: { plain: { plain: { n: 2 } } } });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
