import type { RunView, SubscriptionView } from '@baton/contracts';
import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { createHmac, randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import { api, eventually, kafka, platformState, sdk } from './support/platform';
import { TopicCollector } from './support/topic-collector';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Subscriptions, as an outside user meets them: events are produced to
 * baton.events.ingress by a plain kafkajs producer, and arrive at an agent
 * (SDK AgentWorker), a workflow (a run starts), a signed webhook and a Kafka
 * topic, filtered and transformed on the way.
 */
describe('event subscriptions: stored events delivered to agents, workflows, webhooks and topics', () => {
  const run = randomUUID().slice(0, 8);
  const type = (name: string) => `e2e${run}.${name}`;
  let orchestrate: OrchestratePlatform;
  let producer: Producer;
  const workers: AgentWorker[] = [];
  const collectors: TopicCollector[] = [];
  const receivers: WebhookReceiver[] = [];

  /** A structured CloudEvent, as any producer in any language would write it. */
  async function produce(
    eventType: string,
    data: unknown,
    extra: { id?: string; subject?: string } = {},
  ): Promise<string> {
    const id = extra.id ?? randomUUID();
    await producer.send({
      topic: 'baton.events.ingress',
      messages: [
        {
          key: extra.subject ?? id,
          value: JSON.stringify({
            specversion: '1.0',
            id,
            type: eventType,
            source: 'https://shop.example.com',
            ...(extra.subject ? { subject: extra.subject } : {}),
            workspaceid: 'default',
            data,
          }),
        },
      ],
    });
    return id;
  }

  async function subscription(id: string): Promise<SubscriptionView> {
    return (await api<SubscriptionView>('GET', `/v1/subscriptions/${id}`)).body;
  }

  async function collect(topic: string): Promise<TopicCollector> {
    const collector = await new TopicCollector(topic).start();
    collectors.push(collector);
    return collector;
  }

  beforeAll(async () => {
    orchestrate = sdk();
    producer = kafka('e2e-outside-producer').producer();
    await producer.connect();
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(collectors.map((c) => c.stop()));
    await Promise.all(receivers.map((r) => r.stop()));
    await producer.disconnect();
  });

  it("delivers matching events to an agent as tasks (the seed's subscribe(agent_id, events))", async () => {
    const agent = `order-agent-${run}`;
    await orchestrate.registerAgent({ name: agent, type: 'worker' });
    const received: { input: unknown; correlationId: string }[] = [];
    const worker = new AgentWorker({
      agent,
      brokers: platformState().kafkaBrokers.split(','),
      handler: (input, context) => {
        received.push({ input, correlationId: context.correlationId });
        return { seen: true };
      },
    });
    workers.push(worker);
    await worker.start();

    const sub = await orchestrate.subscribe({
      agent_id: agent,
      events: [type('order.created'), type('order.updated')],
    });
    expect(sub).toMatchObject({
      events: [type('order.created'), type('order.updated')],
      status: 'active',
    });
    expect(sub.destination).toMatchObject({ kind: 'agent', agent });

    const created = await produce(type('order.created'), { order_id: 'A-1', total: 42 });
    const updated = await produce(type('order.updated'), { order_id: 'A-1', total: 43 });
    const other = await produce(type('order.cancelled'), { order_id: 'A-1' });

    const inputs = await eventually(
      async () => (received.length >= 2 ? received : undefined),
      20_000,
      'two agent tasks',
    );
    const events = inputs.map((r) => r.input as Record<string, unknown>);
    expect(events.map((e) => e.id).sort()).toEqual([created, updated].sort());
    expect(events.find((e) => e.id === created)).toMatchObject({
      specversion: '1.0',
      type: type('order.created'),
      source: 'https://shop.example.com',
      data: { order_id: 'A-1', total: 42 },
    });
    // The task continues the event's correlation.
    expect(inputs.find((r) => (r.input as { id: string }).id === created)?.correlationId).toBe(
      created,
    );
    expect(events.map((e) => e.id)).not.toContain(other);

    const status = await eventually(async () => {
      const current = await subscription(sub.id);
      return current.delivery.delivered === 2 ? current : undefined;
    });
    expect(status.delivery).toMatchObject({ lag: 0, failures: 0, dead_lettered: 0 });
    expect(status.delivery.last_delivery_at).not.toBeNull();
  });

  it('starts one workflow run per event, with the event as input, even when the event is sent twice', async () => {
    const agent = `order-echo-${run}`;
    const workflow = `order-intake-${run}`;
    await orchestrate.registerAgent({ name: agent, type: 'worker' });
    const worker = new AgentWorker({
      agent,
      brokers: platformState().kafkaBrokers.split(','),
      handler: (input) => ({ acknowledged: input }),
    });
    workers.push(worker);
    await worker.start();
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [{ name: 'acknowledge', agent, input: '${input.data}' }],
    });
    const created = await api<SubscriptionView>('POST', '/v1/subscriptions', {
      body: { name: `intake-${run}`, workflow, events: [type('intake.*')] },
    });
    expect(created.status).toBe(201);

    const eventId = randomUUID();
    await produce(type('intake.received'), { order_id: 'W-1' }, { id: eventId });
    await produce(type('intake.received'), { order_id: 'W-1' }, { id: eventId }); // a producer retry

    const runs = await eventually(
      async () => {
        const page = await api<{ items: RunView[] }>('GET', `/v1/runs?workflow=${workflow}`);
        const done = page.body.items.filter((r) => r.status === 'completed');
        return done.length > 0 ? done : undefined;
      },
      30_000,
      'a completed run',
    );
    const stored = await api<{ items: unknown[] }>(
      'GET',
      `/v1/events?type=${type('intake.received')}`,
    );
    expect(stored.body.items).toHaveLength(1);
    const all = await api<{ items: RunView[] }>('GET', `/v1/runs?workflow=${workflow}`);
    expect(all.body.items).toHaveLength(1);
    expect(runs[0].input).toMatchObject({ id: eventId, type: type('intake.received') });
    const detail = await orchestrate.getRun(runs[0].id);
    expect(detail.steps[0].output).toEqual({ acknowledged: { order_id: 'W-1' } });
  });

  it('POSTs events in binary mode to a webhook, signed with a timestamped HMAC over the body', async () => {
    const receiver = new WebhookReceiver();
    receivers.push(receiver);
    const url = await receiver.start();
    const secret = `e2e-secret-${randomUUID()}`;
    const created = await api<SubscriptionView>('POST', '/v1/subscriptions', {
      body: { webhook_url: `${url}/hooks/orders`, events: [type('payment.*')], secret },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toBe(secret);
    const listed = await api<SubscriptionView>('GET', `/v1/subscriptions/${created.body.id}`);
    expect(listed.body.secret).toBeUndefined(); // answered once, at creation
    // At rest it is sealed with the keyring (BATON_ENCRYPTION_KEYS), never the secret itself.
    const db = new Client({ connectionString: platformState().databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ secret: string }>(
        'SELECT secret FROM event_manager.subscriptions WHERE id = $1',
        [created.body.id],
      );
      expect(rows[0].secret).toMatch(/^sealed:v2:[A-Za-z0-9_-]+:/); // v2:<key id>: the keyring
      expect(rows[0].secret).not.toContain(secret);
    } finally {
      await db.end();
    }

    // Binary mode: the value is the data, the attributes are ce_* headers.
    const id = randomUUID();
    await producer.send({
      topic: 'baton.events.ingress',
      messages: [
        {
          key: 'P-1',
          value: JSON.stringify({ amount: 99.5, currency: 'EUR' }),
          headers: {
            ce_specversion: '1.0',
            ce_id: id,
            ce_type: type('payment.captured'),
            ce_source: 'psp',
            ce_subject: 'P-1',
            'content-type': 'application/json',
            'baton-workspace': 'default',
          },
        },
      ],
    });

    const request = await eventually(async () => receiver.received[0], 20_000, 'a webhook call');
    expect(request.path).toBe('/hooks/orders');
    const header = String(request.headers['baton-signature']);
    const [, timestamp, digest] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
    const expected = createHmac('sha256', secret)
      .update(`${timestamp}.${request.body}`)
      .digest('hex');
    expect(digest).toBe(expected);
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(300);
    expect(request.headers['baton-event-id']).toBe(id);
    expect(JSON.parse(request.body)).toMatchObject({
      id,
      type: type('payment.captured'),
      subject: 'P-1',
      data: { amount: 99.5, currency: 'EUR' },
    });
  });

  it('retries a webhook that answers 500, then dead-letters the event, visible on the subscription', async () => {
    const receiver = new WebhookReceiver();
    receiver.status = 500;
    receivers.push(receiver);
    const url = await receiver.start();
    const created = await api<SubscriptionView>('POST', '/v1/subscriptions', {
      body: {
        webhook_url: url,
        events: [type('refund.*')],
        retry: { max_attempts: 3, initial_delay: '50ms', max_delay: '200ms' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/); // generated when none is given
    const id = await produce(type('refund.requested'), { amount: 5 });

    const status = await eventually(
      async () => {
        const current = await subscription(created.body.id);
        return current.delivery.dead_lettered === 1 ? current : undefined;
      },
      20_000,
      'a dead letter',
    );
    expect(receiver.received).toHaveLength(3);
    expect(status.delivery).toMatchObject({ lag: 0, delivered: 0, failures: 3 });
    expect(status.delivery.last_error).toContain('webhook answered HTTP 500');
    const dead = await api<{ items: { event_id: string; attempts: number; last_error: string }[] }>(
      'GET',
      `/v1/subscriptions/${created.body.id}/dead-letters`,
    );
    expect(dead.body.items).toEqual([
      expect.objectContaining({ event_id: id, attempts: 3, status: 'dead' }),
    ]);
    expect(dead.body.items[0].last_error).toMatch(/HTTP 500 \(after 3 attempt\(s\)\)/);

    // The receiver is fixed: the dead letter goes back in line and is delivered.
    receiver.status = 200;
    const redelivered = await api<{ requeued: number }>(
      'POST',
      `/v1/subscriptions/${created.body.id}/dead-letters/redeliver`,
      { body: {} },
    );
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toEqual({ requeued: 1 });
    const after = await eventually(
      async () => {
        const current = await subscription(created.body.id);
        return current.delivery.delivered === 1 ? current : undefined;
      },
      20_000,
      'the redelivered dead letter',
    );
    expect(after.delivery).toMatchObject({ dead_lettered: 0, lag: 0 });
    expect(receiver.received).toHaveLength(4);
    const emptied = await api<{ items: unknown[] }>(
      'GET',
      `/v1/subscriptions/${created.body.id}/dead-letters`,
    );
    expect(emptied.body.items).toEqual([]);
    const bad = await api<{ errors: { field: string }[] }>(
      'POST',
      `/v1/subscriptions/${created.body.id}/dead-letters/redeliver`,
      { body: { delivery_ids: ['not-a-number'] } },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toMatch(/^delivery_ids/);
  });

  it('transforms events with a named JSONata mapping and writes them to a topic in binary or plain JSON', async () => {
    const transform = await api('POST', '/v1/transforms', {
      body: {
        name: `order-summary-${run}`,
        expression: '{ "order": data.order_id, "cents": data.total * 100, "kind": type }',
      },
    });
    expect(transform.status).toBe(201);
    const binaryTopic = `e2e.orders-binary.${run}`;
    const jsonTopic = `e2e.orders-json.${run}`;
    for (const body of [
      {
        topic: binaryTopic,
        format: 'binary',
        transform: `order-summary-${run}`,
        events: [type('sale.*')],
      },
      { topic: jsonTopic, format: 'json', events: [type('sale.*')] },
    ]) {
      expect((await api('POST', '/v1/subscriptions', { body })).status).toBe(201);
    }
    const binary = await collect(binaryTopic);
    const json = await collect(jsonTopic);

    const id = await produce(
      type('sale.completed'),
      { order_id: 'S-9', total: 12.5 },
      { subject: 'S-9' },
    );

    const [message] = await eventually(async () =>
      binary.messages.length ? binary.messages : undefined,
    );
    expect(JSON.parse(message.value)).toEqual({
      order: 'S-9',
      cents: 1250,
      kind: type('sale.completed'),
    });
    expect(message.key).toBe('S-9');
    expect(message.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: id,
      ce_type: type('sale.completed'),
      ce_subject: 'S-9',
      'content-type': 'application/json',
    });
    const [plain] = await eventually(async () =>
      json.messages.length ? json.messages : undefined,
    );
    expect(JSON.parse(plain.value)).toEqual({ order_id: 'S-9', total: 12.5 });
    expect(plain.headers['baton-event-id']).toBe(id);
  });

  it('keeps each subject in order on a topic (CloudEvents structured)', async () => {
    const topic = `e2e.ordered.${run}`;
    expect(
      (await api('POST', '/v1/subscriptions', { body: { topic, events: [type('step.*')] } }))
        .status,
    ).toBe(201);
    const collector = await collect(topic);
    const subjects = ['a', 'b', 'c'];
    for (let i = 0; i < 30; i++) {
      const subject = subjects[i % 3];
      await produce(type('step.done'), { n: i }, { subject: `${run}-${subject}` });
    }
    const events = await eventually(async () =>
      collector.messages.length >= 30
        ? collector.json<{ subject: string; data: { n: number } }>()
        : undefined,
    );
    for (const subject of subjects) {
      const ns = events.filter((e) => e.subject === `${run}-${subject}`).map((e) => e.data.n);
      expect(ns).toEqual([...ns].sort((x, y) => x - y));
      expect(ns).toHaveLength(10);
    }
    expect(events[0].headers['content-type']).toBe('application/cloudevents+json');
  });

  it('delivers only events that pass the filter expression', async () => {
    const topic = `e2e.big-orders.${run}`;
    const created = await api('POST', '/v1/subscriptions', {
      body: {
        topic,
        events: [type('big.order')],
        filter: 'data.total > 100 and data.currency = "EUR"',
      },
    });
    expect(created.status).toBe(201);
    const collector = await collect(topic);
    // One subject, so one partition: the store judges them in this order.
    const subject = { subject: `filter-${run}` };
    await produce(type('big.order'), { total: 50, currency: 'EUR' }, subject);
    await produce(type('big.order'), { total: 500, currency: 'USD' }, subject);
    const big = await produce(type('big.order'), { total: 500, currency: 'EUR' }, subject);
    // The last one arriving shows that the earlier ones were judged already.
    const marker = await produce(type('big.order'), { total: 101, currency: 'EUR' }, subject);
    const events = await eventually(async () =>
      collector.messages.length >= 2 ? collector.json<{ id: string }>() : undefined,
    );
    expect(events.map((e) => e.id).sort()).toEqual([big, marker].sort());
  });

  it('answers 422 with the position when a filter or a transform does not parse', async () => {
    const filter = await api<{ errors: { field: string; line: number; column: number }[] }>(
      'POST',
      '/v1/subscriptions',
      { body: { topic: `e2e.never.${run}`, events: ['x.*'], filter: 'data.total >\n  (1 + ' } },
    );
    expect(filter.status).toBe(422);
    expect(filter.contentType).toContain('application/problem+json');
    expect(filter.body.errors[0]).toMatchObject({ field: 'filter', line: 2 });
    expect(filter.body.errors[0].column).toBeGreaterThan(0);

    const transform = await api<{ errors: { field: string; message: string; column: number }[] }>(
      'POST',
      '/v1/transforms',
      { body: { name: `broken-${run}`, expression: '{ "a": data.x, }' } },
    );
    expect(transform.status).toBe(422);
    expect(transform.body.errors[0]).toMatchObject({ field: 'expression', line: 1 });
    expect(transform.body.errors[0].message).toMatch(/at position \d+/);

    const unknownAgent = await api<{ errors: { field: string }[] }>('POST', '/v1/subscriptions', {
      body: { agent: `nobody-${run}`, events: ['x.*'] },
    });
    expect(unknownAgent.status).toBe(422);
    expect(unknownAgent.body.errors[0].field).toBe('agent');
    const unknownWorkflow = await api<{ errors: { field: string; message: string }[] }>(
      'POST',
      '/v1/subscriptions',
      { body: { workflow: `nothing-${run}`, events: ['x.*'] } },
    );
    expect(unknownWorkflow.status).toBe(422);
    expect(unknownWorkflow.body.errors[0]).toEqual({
      field: 'workflow',
      message: `no workflow named 'nothing-${run}'`,
    });
    const routeToNowhere = await api<{ errors: { field: string }[] }>('POST', '/v1/routes', {
      body: {
        name: `nowhere-${run}`,
        events: ['x.*'],
        destinations: [{ topic: `e2e.somewhere.${run}` }, { workflow: `nothing-${run}` }],
      },
    });
    expect(routeToNowhere.status).toBe(422);
    expect(routeToNowhere.body.errors[0].field).toBe('destinations[1].workflow');
    const platformTopic = await api('POST', '/v1/subscriptions', {
      body: { topic: 'baton.workflow.commands', events: ['x.*'] },
    });
    expect(platformTopic.status).toBe(422);
  });

  it('previews a transform on a sample event: the result, or the run-time error with its position', async () => {
    const name = `greeting-${run}`;
    await api('POST', '/v1/transforms', {
      body: { name, expression: '"Hello " & $uppercase(data.name)' },
    });
    const ok = await api('POST', `/v1/transforms/${name}/preview`, {
      body: { event: { id: '1', type: 'x', data: { name: 'ada' } } },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, result: 'Hello ADA' });
    const failed = await api<{
      ok: boolean;
      error: { message: string; position: number; column: number };
    }>('POST', `/v1/transforms/${name}/preview`, {
      body: { event: { id: '1', type: 'x', data: { name: 42 } } },
    });
    expect(failed.body.ok).toBe(false);
    expect(failed.body.error.message).toMatch(/uppercase/);
    expect(failed.body.error.position).toBeGreaterThan(0);
    expect(failed.body.error.column).toBe(failed.body.error.position + 1);
  });

  it('fails only the delivery whose transform fails at run time, with the reason; the others go on', async () => {
    const name = `shout-${run}`;
    await api('POST', '/v1/transforms', {
      body: { name, expression: '{ "shout": $uppercase(data.name) }' },
    });
    const topic = `e2e.shouts.${run}`;
    const created = await api<SubscriptionView>('POST', '/v1/subscriptions', {
      body: { topic, format: 'json', transform: name, events: [type('greet')] },
    });
    const collector = await collect(topic);
    const bad = await produce(type('greet'), { name: 42 }, { subject: 'same' });
    await produce(type('greet'), { name: 'ada' }, { subject: 'same' });
    const [message] = await eventually(async () =>
      collector.messages.length ? collector.messages : undefined,
    );
    expect(JSON.parse(message.value)).toEqual({ shout: 'ADA' });
    const dead = await eventually(async () => {
      const page = await api<{ items: { event_id: string; last_error: string }[] }>(
        'GET',
        `/v1/subscriptions/${created.body.id}/dead-letters`,
      );
      return page.body.items.length ? page.body.items : undefined;
    });
    expect(dead[0].event_id).toBe(bad);
    expect(dead[0].last_error).toMatch(new RegExp(`transform '${name}' failed: .*uppercase`));
  });

  it('holds deliveries while a subscription is paused and sends them on resume', async () => {
    const topic = `e2e.paused.${run}`;
    const created = await api<SubscriptionView>('POST', '/v1/subscriptions', {
      body: { topic, events: [type('held')] },
    });
    const collector = await collect(topic);
    const paused = await api<SubscriptionView>(
      'POST',
      `/v1/subscriptions/${created.body.id}/pause`,
    );
    expect(paused.body.status).toBe('paused');
    const id = await produce(type('held'), { n: 1 });
    const waiting = await eventually(async () => {
      const current = await subscription(created.body.id);
      return current.delivery.lag === 1 ? current : undefined;
    });
    expect(waiting.delivery.oldest_pending_at).not.toBeNull();
    expect(collector.messages).toHaveLength(0);

    const resumed = await api<SubscriptionView>(
      'POST',
      `/v1/subscriptions/${created.body.id}/resume`,
    );
    expect(resumed.body.status).toBe('active');
    const events = await eventually(async () =>
      collector.messages.length ? collector.json<{ id: string }>() : undefined,
    );
    expect(events.map((e) => e.id)).toEqual([id]);

    expect((await api('DELETE', `/v1/subscriptions/${created.body.id}`)).status).toBe(204);
    expect((await api('GET', `/v1/subscriptions/${created.body.id}`)).status).toBe(404);
  });
});
