import { Topics } from '@baton/contracts';
import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { api, eventually, kafka, platformState, sdk } from './support/platform';
import { uniqueName } from './support/scripted-server';
import { killService, restartService } from './support/service-control';

interface KafkaInfra {
  stopKafka(options: { log: (line: string) => void; purge?: boolean }): Promise<void>;
  ensureKafka(options: { log: (line: string) => void }): Promise<string>;
}
// The project's own broker scripts: the test stops and wipes the broker an operator would.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const infra = require('../../scripts/infra/kafka') as KafkaInfra;
const log = (line: string) => process.stderr.write(`${line}\n`);

type RunView = { id: string; status: string; error?: { message?: string } | null };

/**
 * Kafka loses state Postgres still has: a topic deleted by hand, a broker
 * whose data directory is wiped. Baton must heal (recreate what its records
 * need, send again what was in flight), never wedge (other work and the
 * gateway's requests go on), and say so in readiness meanwhile.
 */
describe('Kafka and Postgres disagree', () => {
  const suffix = uniqueName('h').slice(2);
  const slowAgent = `heal-slow-${suffix}`;
  const otherAgent = `heal-other-${suffix}`;
  const slowFlow = `heal-slow-flow-${suffix}`;
  const otherFlow = `heal-other-flow-${suffix}`;
  let orchestrate: OrchestratePlatform;
  const workers: AgentWorker[] = [];

  beforeAll(async () => {
    orchestrate = sdk();
    const brokers = platformState().kafkaBrokers.split(',');
    for (const [agent, delayMs] of [
      [slowAgent, 1_500],
      [otherAgent, 0],
    ] as const) {
      await orchestrate.registerAgent({ name: agent, type: 'worker', max_instances: 2 });
      const worker = new AgentWorker({
        agent,
        brokers,
        concurrency: 20,
        handler: async (input) => {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          return { echoed: input };
        },
      });
      workers.push(worker);
    }
    await Promise.all(workers.map((worker) => worker.start()));
    for (const [name, agent] of [
      [slowFlow, slowAgent],
      [otherFlow, otherAgent],
    ]) {
      await orchestrate.createWorkflow({
        name,
        steps: [{ name: 'only', agent, input: '${input}' }],
      });
    }
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
  });

  const startRuns = (workflow: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, n) => orchestrate.startRun(workflow, { n })),
    ).then((runs) => runs.map((run) => run.id));

  /** Every run finished; none is left running for ever. */
  const finished = (ids: string[], timeoutMs: number, what: string) =>
    eventually(
      async () => {
        const runs = await Promise.all(ids.map((id) => api<RunView>('GET', `/v1/runs/${id}`)));
        const views = runs.map((r) => r.body);
        return views.every((run) => ['completed', 'failed'].includes(run.status))
          ? views
          : undefined;
      },
      timeoutMs,
      what,
    );

  async function readiness(): Promise<Record<string, number>> {
    const statuses: Record<string, number> = {};
    for (const service of platformState().services) {
      const response = await fetch(`http://127.0.0.1:${service.port}/health/ready`).catch(
        () => undefined,
      );
      statuses[service.name] = response?.status ?? 0;
    }
    return statuses;
  }

  it('an agent task topic deleted by hand: other runs and the API go on, the topic comes back, its runs end', async () => {
    // The topic works before it is deleted, and its worker has a position in its partitions
    // (kafkajs once fetched the recreated topic from there, skipping its first tasks).
    const warm = await finished(await startRuns(slowFlow, 4), 30_000, 'the warm-up runs');
    expect(warm.map((run) => run.status)).toEqual(Array(4).fill('completed'));

    const taskTopic = Topics.agentTasks('default', slowAgent);
    const admin = kafka('heal-admin').admin();
    await admin.connect();
    try {
      await admin.deleteTopics({ topics: [taskTopic] });
      const slowRuns = await startRuns(slowFlow, 5);
      const otherRuns = await startRuns(otherFlow, 5);

      // Runs of another agent are not held up by the missing topic, nor is the API.
      const started = Date.now();
      const list = await api('GET', '/v1/runs?limit=5');
      log(`GET /v1/runs while a task topic was missing: ${Date.now() - started} ms`);
      expect(list.status).toBe(200);
      const others = await finished(otherRuns, 30_000, "the other agent's runs");
      expect(others.map((run) => run.status)).toEqual(Array(5).fill('completed'));

      // agent-manager recreates the topic its records say must exist.
      await eventually(
        async () => ((await admin.listTopics()).includes(taskTopic) ? true : undefined),
        30_000,
        'the task topic to be recreated',
      );
      // Its runs complete (the task reached the recreated topic) or fail naming the topic.
      const slow = await finished(slowRuns, 90_000, "the deleted topic's runs to end");
      for (const run of slow) {
        if (run.status === 'failed') expect(JSON.stringify(run.error)).toContain(taskTopic);
      }
      log(`runs of the deleted topic: ${slow.map((run) => run.status).join(', ')}`);
    } finally {
      await admin.disconnect();
    }
  }, 180_000);

  it('the broker stopped, its data wiped, started again (the engine restarted meanwhile): not ready meanwhile, then in-flight and new runs complete with no manual step', async () => {
    const inFlight = await startRuns(slowFlow, 10);

    await infra.stopKafka({ log, purge: true });
    // Nothing can make progress: every service says so.
    const down = await eventually(
      async () => {
        const statuses = await readiness();
        return Object.values(statuses).every((status) => status === 503) ? statuses : undefined;
      },
      30_000,
      'every service to report not ready',
    );
    log(`readiness with the broker gone: ${JSON.stringify(down)}`);
    // The engine also restarts meanwhile: what it had in flight is known only to
    // Postgres, and it must notice the new cluster from the id it remembered there.
    await killService('workflow-engine');

    const restartedAt = Date.now();
    await infra.ensureKafka({ log });
    await restartService('workflow-engine');
    await eventually(
      async () => {
        const statuses = await readiness();
        return Object.values(statuses).every((status) => status === 200) ? statuses : undefined;
      },
      120_000,
      'every service to be ready again',
    );
    log(`every service ready ${Date.now() - restartedAt} ms after the empty broker started`);

    // Runs that were in flight end, each completed or failed with its reason.
    const ended = await finished(inFlight, 120_000, 'the runs in flight to end');
    for (const run of ended) {
      if (run.status === 'failed') expect(run.error?.message).toBeTruthy();
    }
    log(`runs in flight at the wipe: ${ended.map((run) => run.status).join(', ')}`);

    // And new work runs to completion on the new cluster.
    const fresh = await startRuns(otherFlow, 3);
    const done = await finished(fresh, 60_000, 'new runs after the wipe');
    expect(done.map((run) => run.status)).toEqual(['completed', 'completed', 'completed']);
    log(`new runs complete ${Date.now() - restartedAt} ms after the empty broker started`);
  }, 420_000);
});
