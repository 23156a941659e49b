import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { randomUUID } from 'node:crypto';
import { eventually, kafka, metricValue, platformState, sdk } from './support/platform';
import { alive, killService, launchService, restartService } from './support/service-control';
import { TopicCollector } from './support/topic-collector';

const DLQ = 'baton.dlq.workflow-engine';
/** A supervisor's patience: starts after which a service that keeps dying is given up on. */
const MAX_STARTS = 8;

/**
 * A command that kills the workflow engine whenever it is handled (the
 * issue's crash loop, reproduced with the BATON_FAULT_CRASH_ON test hook) is
 * dead-lettered after three crashes instead of killing every restart; one
 * whose handler never settles (BATON_FAULT_HANG_ON) is abandoned after the
 * handler timeout and dead-lettered while other commands go through.
 */
describe('poison messages', () => {
  let orchestrate: OrchestratePlatform;
  let worker: AgentWorker;
  let dlq: TopicCollector;

  beforeAll(async () => {
    orchestrate = sdk();
    await orchestrate.registerAgent({ name: 'poison-echo-agent', type: 'worker' });
    worker = new AgentWorker({
      agent: 'poison-echo-agent',
      brokers: platformState().kafkaBrokers.split(','),
      handler: async (input) => input,
    });
    await worker.start();
    await orchestrate.createWorkflow({
      name: 'poison-echo',
      steps: [{ name: 'echo', agent: 'poison-echo-agent', input: '${input}' }],
    });
    dlq = await new TopicCollector(DLQ, { from: 'now' }).start();
  });

  afterAll(async () => {
    // Later specs share the platform: the engine goes back to its ordinary environment.
    await killService('workflow-engine');
    await restartService('workflow-engine');
    await worker.stop();
    await dlq.stop();
  });

  const deadLetterOf = (marker: string) => dlq.messages.find((m) => m.value.includes(marker));

  const runCompletes = async (input: Record<string, unknown>) => {
    const run = await orchestrate.startRun('poison-echo', input);
    return eventually(
      async () => ((await orchestrate.getRun(run.id)).status === 'completed' ? run : undefined),
      60_000,
      `run ${run.id} to complete`,
    );
  };

  it('dead-letters a command that crashes the engine at every start, and the engine comes back', async () => {
    const marker = `crash-${randomUUID()}`;
    const env = { BATON_FAULT_CRASH_ON: marker };
    await killService('workflow-engine');
    let engine = launchService('workflow-engine', env);
    await engine.ready();

    // A user's request whose input reaches the engine's command consumer with the marker.
    const request = orchestrate.startRun('poison-echo', { note: marker }).then(
      () => 'answered',
      () => 'failed',
    );
    const deadLettered = eventually(
      async () => (deadLetterOf(marker) ? true : undefined),
      300_000,
      'the command on the dead-letter topic',
    );

    // What a supervisor does: start the engine again each time it dies, up to a bound.
    let deaths = 0;
    for (;;) {
      const outcome = await Promise.race([
        engine.exited.then(() => 'died' as const),
        deadLettered.then(() => 'dead-lettered' as const),
      ]);
      if (outcome === 'dead-lettered') break;
      deaths++;
      if (deaths >= MAX_STARTS) throw new Error(`the engine died ${deaths} times`);
      engine = launchService('workflow-engine', env);
    }
    // Three recorded stops; one more when the first came before its partition's window.
    expect(deaths).toBeGreaterThanOrEqual(3);
    expect(deaths).toBeLessThanOrEqual(4);
    expect(await request).toBe('failed');

    const letter = deadLetterOf(marker)!;
    expect(letter.headers['baton-dlq-reason']).toBe(
      'the process stopped 3 times while handling this message',
    );
    expect(letter.headers['baton-dlq-kind']).toBe('crash');
    expect(letter.headers['baton-dlq-source-topic']).toBe('baton.workflow.commands');

    // It is healthy, does ordinary work, and is still the same process afterwards.
    await engine.ready();
    const run = await runCompletes({ after: 'crash' });
    expect((await orchestrate.getRun(run.id)).status).toBe('completed');
    expect(alive(engine.pid)).toBe(true);
    expect(
      await metricValue('workflow-engine', 'baton_dead_letters_total', { kind: 'crash' }),
    ).toBe(1);
  }, 420_000);

  it('abandons a command whose handler never settles, dead-letters it, and others go through', async () => {
    const marker = `hang-${randomUUID()}`;
    await killService('workflow-engine');
    const engine = launchService('workflow-engine', {
      BATON_FAULT_HANG_ON: marker,
      BATON_CONSUMER_HANDLER_TIMEOUT_MS: '2000',
    });
    await engine.ready();

    const hung = orchestrate.startRun('poison-echo', { note: marker }).then(
      () => 'answered',
      () => 'failed',
    );
    const others = await Promise.all(
      Array.from({ length: 5 }, (_, n) => runCompletes({ n, beside: 'hang' })),
    );
    expect(others).toHaveLength(5);

    await eventually(
      async () => (deadLetterOf(marker) ? true : undefined),
      60_000,
      'the hung command on the dead-letter topic',
    );
    const letter = deadLetterOf(marker)!;
    expect(letter.headers['baton-dlq-kind']).toBe('timeout');
    expect(letter.headers['baton-dlq-reason']).toContain('handler exceeded 2000 ms');
    expect(await hung).toBe('failed');
    expect(alive(engine.pid)).toBe(true);
  }, 180_000);

  /**
   * A handler slower than the consumer session (10 s) but with a deadline (12 s): kafkajs
   * renews the session only between messages, so the engine's command consumer was evicted
   * mid-handler, the group rebalanced and the command came again, an eviction loop in which
   * no timeout was ever counted. Now the session is renewed while the handler runs, its
   * deadline counts as a failed attempt, and the command is dead-lettered once.
   */
  it('dead-letters a command whose handler outlasts the consumer session, with no eviction', async () => {
    const marker = `slow-${randomUUID()}`;
    await killService('workflow-engine');
    const engine = launchService('workflow-engine', {
      BATON_FAULT_HANG_ON: marker,
      BATON_CONSUMER_HANDLER_TIMEOUT_MS: '12000',
    });
    await engine.ready();
    const admin = kafka('poison-session-admin').admin();
    await admin.connect();
    const members = async () => {
      const { groups } = await admin.describeGroups(['baton-workflow-engine-commands']);
      return groups[0].members.map((member) => member.memberId).sort();
    };
    try {
      const before = await members();
      expect(before).toHaveLength(1);
      const hung = orchestrate.startRun('poison-echo', { note: marker }).then(
        () => 'answered',
        () => 'failed',
      );
      // The batch's attempts time out (3 counted), then the message alone once more.
      await eventually(
        async () => (deadLetterOf(marker) ? true : undefined),
        150_000,
        'the slow command on the dead-letter topic',
      );
      const letter = deadLetterOf(marker)!;
      expect(letter.headers['baton-dlq-kind']).toBe('timeout');
      expect(letter.headers['baton-dlq-reason']).toMatch(
        /^handler exceeded 12000 ms \(after \d+ attempt/,
      );
      // The same member all along: the group never evicted it, so nothing was redelivered.
      expect(await members()).toEqual(before);
      expect(dlq.messages.filter((m) => m.value.includes(marker))).toHaveLength(1);
      expect(await hung).toBe('failed');
      const run = await runCompletes({ after: 'slow' });
      expect((await orchestrate.getRun(run.id)).status).toBe('completed');
      expect(alive(engine.pid)).toBe(true);
    } finally {
      await admin.disconnect();
    }
  }, 240_000);
});
