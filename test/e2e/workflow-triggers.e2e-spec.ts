import type { Page, RunView } from '@baton/contracts';
import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Producer } from 'kafkajs';
import { exampleAgents } from '../../examples/agents/customer-service.agents';
import { api, eventually, kafka, platformState, sdk } from './support/platform';
import { startExtraService } from './support/service-control';
import { WebhookReceiver } from './support/webhook-receiver';

const SEED_WORKFLOW = fs.readFileSync(
  path.join(__dirname, '../../examples/workflows/customer-inquiry-handler.yaml'),
  'utf8',
);

async function runsOf(workflow: string): Promise<RunView[]> {
  const page = await api<Page<RunView>>('GET', `/v1/runs?workflow=${workflow}&limit=200`);
  return page.body.items;
}

/** The runs of the seed workflow whose inquiry text contains `marker`. */
async function seedRunsWith(marker: string): Promise<RunView[]> {
  return (await runsOf('customer-inquiry-handler')).filter((run) =>
    String((run.input as { text?: string }).text ?? '').includes(marker),
  );
}

async function oneRunWith(marker: string): Promise<RunView> {
  return eventually(
    async () => (await seedRunsWith(marker))[0],
    20_000,
    `a run for the event ${marker}`,
  );
}

/**
 * `trigger: incoming-message` (the seed) and `trigger: { schedule }`: events on
 * baton.events.ingress, from POST /v1/events or any Kafka producer, and cron
 * schedules kept in Postgres start runs of the workflow's active version.
 */
describe('workflow triggers', () => {
  let orchestrate: OrchestratePlatform;
  const inbox = new WebhookReceiver();
  const workers: AgentWorker[] = [];
  let producer: Producer;

  beforeAll(async () => {
    orchestrate = sdk();
    const brokers = platformState().kafkaBrokers.split(',');
    for (const agent of exampleAgents) await orchestrate.registerAgent(agent.registration);
    await orchestrate.registerAgent({ name: 'trigger-echo-agent', type: 'worker' });
    await orchestrate.registerAgent({ name: 'tick-agent', type: 'worker' });
    for (const agent of exampleAgents) {
      workers.push(
        new AgentWorker({ agent: agent.registration.name, handler: agent.handler, brokers }),
      );
    }
    workers.push(
      new AgentWorker({ agent: 'trigger-echo-agent', brokers, handler: (input) => input }),
      new AgentWorker({ agent: 'tick-agent', brokers, handler: (input) => ({ tick: input }) }),
    );
    await Promise.all(workers.map((w) => w.start()));
    const inboxUrl = await inbox.start();
    const connection = await api('POST', '/v1/connections', {
      body: { name: 'default', connector: 'webhook', config: { url: `${inboxUrl}/messages` } },
    });
    expect([200, 201]).toContain(connection.status);
    const created = await api('POST', '/v1/workflows', {
      raw: SEED_WORKFLOW,
      contentType: 'application/yaml',
    });
    expect([200, 201]).toContain(created.status);
    expect(created.body).toMatchObject({
      trigger: { kind: 'event', eventType: 'incoming-message' },
    });
    producer = kafka('baton-e2e-triggers').producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await Promise.all(workers.map((w) => w.stop()));
    await inbox.stop();
  });

  it('runs the seed workflow for an incoming-message event sent to POST /v1/events', async () => {
    const marker = `http-${randomUUID()}`;
    const published = await orchestrate.publishEvent({
      type: 'incoming-message',
      data: { text: `I was charged twice (${marker})`, customer: 'Ada' },
    });
    const run = await orchestrate.waitForRun((await oneRunWith(marker)).id, 30_000);
    expect(run.status).toBe('completed');
    expect(run.input).toEqual({ text: `I was charged twice (${marker})`, customer: 'Ada' });
    expect(run.steps.map((s) => [s.name, s.status])).toEqual([
      ['classify-inquiry', 'completed'],
      ['route-to-specialist', 'completed'],
      ['process-inquiry', 'completed'],
      ['send-response', 'completed'],
    ]);
    expect(run.steps[2].agent).toBe('billing-agent');
    const delivered = await eventually(
      async () => inbox.received.find((r) => r.body.includes(run.id)),
      10_000,
      'the answer at the webhook',
    );
    expect(delivered.body).toContain('Hello Ada');
    // The run carries the event's correlation: its events share it with the trigger event.
    const stored = await eventually(
      async () => {
        const events = await orchestrate.listEvents({
          subject: run.id,
          type: 'workflow.run.started',
        });
        return events.items[0];
      },
      15_000,
      'the run.started event',
    );
    expect(stored.causation_id).toBe(published.id);
  });

  it('runs it for a CloudEvent written by a plain Kafka producer, once per event id', async () => {
    const marker = `kafka-${randomUUID()}`;
    const event = {
      specversion: '1.0',
      id: randomUUID(),
      type: 'incoming-message',
      source: 'e2e/kafka-producer',
      workspaceid: 'default',
      datacontenttype: 'application/json',
      data: { text: `The app shows an error on login (${marker})`, customer: 'Grace' },
    };
    const message = { key: marker, value: JSON.stringify(event) };
    await producer.send({ topic: 'baton.events.ingress', messages: [message] });
    const run = await orchestrate.waitForRun((await oneRunWith(marker)).id, 30_000);
    expect(run.status).toBe('completed');
    expect(run.steps[2].agent).toBe('tech-support-agent');

    // The same event again (a producer retry, a replay) starts nothing new. A second,
    // different event behind it on the same partition tells when the copy was handled.
    await producer.send({ topic: 'baton.events.ingress', messages: [message] });
    const fence = `fence-${randomUUID()}`;
    await producer.send({
      topic: 'baton.events.ingress',
      messages: [
        {
          key: marker,
          value: JSON.stringify({
            ...event,
            id: randomUUID(),
            data: { text: `fence ${marker} ${fence}`, customer: 'Grace' },
          }),
        },
      ],
    });
    await oneRunWith(fence);
    const copies = (await seedRunsWith(marker)).filter(
      (r) => !(r.input as { text: string }).text.includes(fence),
    );
    expect(copies.map((r) => r.id)).toEqual([run.id]);
  });

  it('passes the whole event as ${trigger} and dedupes an event id sent twice over HTTP', async () => {
    await orchestrate.createWorkflow({
      name: 'order-echo',
      trigger: 'order.placed-e2e',
      steps: [
        {
          name: 'echo',
          agent: 'trigger-echo-agent',
          input: {
            event_id: '${trigger.id}',
            event_source: '${trigger.source}',
            event_type: '${trigger.type}',
            order: '${input.order}',
          },
        },
      ],
    });
    const id = `order-${randomUUID()}`;
    for (let i = 0; i < 2; i++) {
      const sent = await api('POST', '/v1/events', {
        body: {
          id,
          type: 'order.placed-e2e',
          subject: 'orders',
          source: 'shop',
          data: { order: 42 },
        },
      });
      expect(sent.status).toBe(202);
    }
    await api('POST', '/v1/events', {
      body: { type: 'order.placed-e2e', subject: 'orders', source: 'shop', data: { order: 43 } },
    });
    const runs = await eventually(
      async () => {
        const all = await runsOf('order-echo');
        return all.some((r) => (r.input as { order: number }).order === 43) ? all : undefined;
      },
      20_000,
      'the run of the second order',
    );
    const first = runs.filter((r) => (r.input as { order: number }).order === 42);
    expect(first).toHaveLength(1);
    const run = await orchestrate.waitForRun(first[0].id);
    expect(run.steps[0].output).toEqual({
      event_id: id,
      event_source: 'shop',
      event_type: 'order.placed-e2e',
      order: 42,
    });
  });

  it('fires a seconds-granularity cron schedule, and stops when the trigger goes away', async () => {
    await orchestrate.createWorkflow({
      name: 'every-second',
      trigger: { schedule: '*/1 * * * * *' },
      steps: [{ name: 'tick', agent: 'tick-agent', input: '${trigger}' }],
    });
    const runs = await eventually(
      async () => {
        const all = await runsOf('every-second');
        return all.length >= 3 ? all : undefined;
      },
      20_000,
      'three scheduled runs',
    );
    const finished = await Promise.all(
      runs.slice(0, 3).map((r) => orchestrate.waitForRun(r.id, 20_000)),
    );
    const ticks = finished.map(
      (run) => (run.steps[0].output as { tick: { type: string; scheduled_at: string } }).tick,
    );
    for (const run of finished) expect(run.status).toBe('completed');
    for (const tick of ticks) {
      expect(tick).toMatchObject({ type: 'schedule', cron: '*/1 * * * * *', timezone: null });
      expect(tick.scheduled_at).toMatch(/T\d\d:\d\d:\d\d\.000Z$/);
    }
    // One run per occurrence: no scheduled time was fired twice.
    expect(new Set(ticks.map((t) => t.scheduled_at)).size).toBe(3);

    // A new version without the schedule: once it is stored, nothing fires any more.
    await orchestrate.createWorkflow({
      name: 'every-second',
      steps: [{ name: 'tick', agent: 'tick-agent' }],
    });
    const count = (await runsOf('every-second')).length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await runsOf('every-second')).length).toBe(count);
  });

  it('fires each tick of a schedule once with two engines polling', async () => {
    const second = await startExtraService('workflow-engine', 50);
    try {
      await orchestrate.createWorkflow({
        name: 'every-second-two-engines',
        trigger: { schedule: '*/1 * * * * *' },
        steps: [{ name: 'tick', agent: 'tick-agent', input: '${trigger}' }],
      });
      const runs = await eventually(
        async () => {
          const all = await runsOf('every-second-two-engines');
          return all.length >= 6 ? all : undefined;
        },
        30_000,
        'six scheduled runs',
      );
      // Stop the schedule before counting, so no tick is half-way.
      await orchestrate.createWorkflow({
        name: 'every-second-two-engines',
        steps: [{ name: 'tick', agent: 'tick-agent' }],
      });
      const all = await runsOf('every-second-two-engines');
      expect(all.length).toBeGreaterThanOrEqual(runs.length);
      const finished = await Promise.all(all.map((r) => orchestrate.waitForRun(r.id, 20_000)));
      for (const run of finished) expect(run.status).toBe('completed');
      const ticks = finished.map(
        (run) => (run.steps[0].output as { tick: { scheduled_at: string } }).tick.scheduled_at,
      );
      // Every occurrence fired once, whichever engine claimed it (FOR UPDATE SKIP LOCKED).
      expect(new Set(ticks).size).toBe(ticks.length);
    } finally {
      const stopped = await second.stop();
      expect(stopped.forced).toBe(false);
    }
  }, 60_000);
});
