import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { eventually, platformState, sdk } from './support/platform';
import { countRuns } from './support/run-counts';
import { killService, restartService } from './support/service-control';

const RUNS = 200;

/**
 * kill -9 the workflow engine while hundreds of runs are in flight, start it
 * again: every run completes, and no step is dispatched twice (a redelivered
 * message is the same message; a second dispatch would be a new one).
 */
describe('workflow engine crash', () => {
  let orchestrate: OrchestratePlatform;
  let worker: AgentWorker;
  /** task id + attempt -> the ids of the messages that carried it */
  const dispatches = new Map<string, Set<string>>();

  beforeAll(async () => {
    orchestrate = sdk();
    await orchestrate.registerAgent({ name: 'crash-agent', type: 'worker', max_instances: 3 });
    worker = new AgentWorker({
      agent: 'crash-agent',
      brokers: platformState().kafkaBrokers.split(','),
      handler: async (input, task) => {
        const key = `${task.taskId}#${task.attempt}`;
        dispatches.set(key, (dispatches.get(key) ?? new Set()).add(task.messageId));
        await new Promise((resolve) => setTimeout(resolve, 5));
        return input;
      },
    });
    await worker.start();
    await orchestrate.createWorkflow({
      name: 'crash-three-steps',
      steps: ['one', 'two', 'three'].map((name) => ({
        name,
        agent: 'crash-agent',
        input: '${input}',
      })),
    });
  });

  afterAll(async () => {
    await worker.stop();
  });

  it(`completes all ${RUNS} runs after kill -9 mid-flight, dispatching no step twice`, async () => {
    const ids: string[] = [];
    for (let batch = 0; batch < RUNS / 20; batch++) {
      const started = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          orchestrate.startRun('crash-three-steps', { n: batch * 20 + i }),
        ),
      );
      ids.push(...started.map((run) => run.id));
    }
    const completedBeforeKill = await countRuns('crash-three-steps', 'completed');
    await killService('workflow-engine');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await restartService('workflow-engine');

    await eventually(
      async () => ((await countRuns('crash-three-steps', 'completed')) === RUNS ? true : undefined),
      90_000,
      'every run to complete',
    );
    expect(completedBeforeKill).toBeLessThan(RUNS); // runs really were in flight

    for (const id of ids.slice(0, 50)) {
      const run = await orchestrate.getRun(id);
      expect(run.steps.map((s) => [s.status, s.attempts])).toEqual([
        ['completed', 1],
        ['completed', 1],
        ['completed', 1],
      ]);
    }
    expect(dispatches.size).toBe(RUNS * 3);
    const doubled = [...dispatches].filter(([, messages]) => messages.size > 1);
    expect(doubled).toEqual([]);
  }, 180_000);
});
