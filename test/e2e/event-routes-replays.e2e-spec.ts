import type {
  ReplayView,
  RetentionPolicyView,
  RouteView,
  RunView,
  StoredEventView,
  SubscriptionView,
} from '@baton/contracts';
import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import { createHmac, randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import { api, eventually, kafka, platformState, sdk } from './support/platform';
import { TopicCollector } from './support/topic-collector';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Routes (ordered rules with continue/stop, visible on each event), replays
 * (to a subscription, a topic, or everything the events matched; rate-limited,
 * dry-run, cancelled; never writing into the store) and retention.
 */
describe('event routes, replays and retention', () => {
  const run = randomUUID().slice(0, 8);
  const type = (name: string) => `e2e${run}.${name}`;
  let orchestrate: OrchestratePlatform;
  let producer: Producer;
  const collectors: TopicCollector[] = [];
  const receiver = new WebhookReceiver();
  const workers: AgentWorker[] = [];
  let receiverUrl: string;

  async function produce(
    eventType: string,
    data: unknown,
    extra: { subject?: string; source?: string } = {},
  ): Promise<string> {
    const id = randomUUID();
    await producer.send({
      topic: 'baton.events.ingress',
      messages: [
        {
          key: extra.subject ?? id,
          value: JSON.stringify({
            specversion: '1.0',
            id,
            type: eventType,
            source: extra.source ?? 'helpdesk',
            ...(extra.subject ? { subject: extra.subject } : {}),
            workspaceid: 'default',
            data,
          }),
        },
      ],
    });
    return id;
  }

  async function collect(topic: string): Promise<TopicCollector> {
    const collector = await new TopicCollector(topic).start();
    collectors.push(collector);
    return collector;
  }

  async function storedCount(eventType: string): Promise<number> {
    const page = await api<{ items: StoredEventView[] }>(
      'GET',
      `/v1/events?type=${eventType}&limit=500`,
    );
    return page.body.items.length;
  }

  async function finished(replayId: string): Promise<ReplayView> {
    return eventually(
      async () => {
        const replay = (await api<ReplayView>('GET', `/v1/replays/${replayId}`)).body;
        return replay.status === 'running' ? undefined : replay;
      },
      30_000,
      `replay ${replayId} to finish`,
    );
  }

  beforeAll(async () => {
    orchestrate = sdk();
    producer = kafka('e2e-outside-producer').producer();
    await producer.connect();
    receiverUrl = await receiver.start();
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await Promise.all(collectors.map((c) => c.stop()));
    await receiver.stop();
    await producer.disconnect();
  });

  describe('routes', () => {
    const urgentTopic = `e2e.urgent.${run}`;
    const allTopic = `e2e.tickets.${run}`;
    const euTopic = `e2e.tickets-eu.${run}`;
    let secret: string;

    beforeAll(async () => {
      await api('POST', '/v1/transforms', {
        body: {
          name: `ticket-tag-${run}`,
          expression: '{ "ticket": id, "priority": data.priority }',
        },
      });
      const urgent = await api<RouteView>('POST', '/v1/routes', {
        body: {
          name: `urgent-${run}`,
          position: 10,
          events: [type('ticket.*')],
          filter: 'data.priority = "high"',
          transform: `ticket-tag-${run}`,
          destinations: [
            { topic: urgentTopic, format: 'json' },
            { webhook_url: `${receiverUrl}/urgent` },
          ],
          on_match: 'stop',
        },
      });
      expect(urgent.status).toBe(201);
      secret = urgent.body.secret!;
      expect(secret).toMatch(/^whsec_/);
      for (const body of [
        {
          name: `all-${run}`,
          position: 20,
          events: [type('ticket.*')],
          destinations: [{ topic: allTopic }],
        },
        {
          name: `eu-${run}`,
          position: 30,
          source: 'eu-*',
          events: [type('ticket.*')],
          destinations: [{ topic: euTopic }],
        },
      ]) {
        expect((await api('POST', '/v1/routes', { body })).status).toBe(201);
      }
    });

    it('sends each event through the rules in order: a matching stop rule ends the walk', async () => {
      const urgent = await collect(urgentTopic);
      const all = await collect(allTopic);
      const eu = await collect(euTopic);
      const high = await produce(
        type('ticket.opened'),
        { priority: 'high' },
        { source: 'eu-desk' },
      );
      const lowEu = await produce(
        type('ticket.opened'),
        { priority: 'low' },
        { source: 'eu-desk' },
      );
      const lowUs = await produce(
        type('ticket.opened'),
        { priority: 'low' },
        { source: 'us-desk' },
      );

      await eventually(async () =>
        all.messages.length >= 2 && eu.messages.length >= 1 && urgent.messages.length >= 1
          ? true
          : undefined,
      );
      expect(urgent.messages.map((m) => JSON.parse(m.value))).toEqual([
        { ticket: high, priority: 'high' },
      ]);
      expect(
        all
          .json<{ id: string }>()
          .map((e) => e.id)
          .sort(),
      ).toEqual([lowEu, lowUs].sort());
      expect(eu.json<{ id: string }>().map((e) => e.id)).toEqual([lowEu]);

      const call = await eventually(async () =>
        receiver.received.find((r) => r.path === '/urgent'),
      );
      const [, timestamp, digest] =
        /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(call.headers['baton-signature'])) ?? [];
      expect(digest).toBe(
        createHmac('sha256', secret).update(`${timestamp}.${call.body}`).digest('hex'),
      );
      expect(JSON.parse(call.body)).toEqual({ ticket: high, priority: 'high' });

      // What each event matched is visible on it, with how each delivery went.
      const shown = await eventually(async () => {
        const event = (await api<StoredEventView>('GET', `/v1/events/${high}`)).body;
        return event.matched?.every((m) => m.delivery.status === 'delivered') ? event : undefined;
      });
      expect(shown.matched?.map((m) => [m.kind, m.name, m.destination])).toEqual([
        ['route', `urgent-${run}`, 0],
        ['route', `urgent-${run}`, 1],
      ]);
      const lowShown = (await api<StoredEventView>('GET', `/v1/events/${lowEu}`)).body;
      expect(lowShown.matched?.map((m) => m.name)).toEqual([`all-${run}`, `eu-${run}`]);
    });

    it('lists routes in evaluation order, replaces one by name and deletes it', async () => {
      const routes = (await api<{ items: RouteView[] }>('GET', '/v1/routes')).body.items
        .filter((r) => r.name.endsWith(run))
        .map((r) => r.name);
      expect(routes).toEqual([`urgent-${run}`, `all-${run}`, `eu-${run}`]);
      const replaced = await api<RouteView>('POST', '/v1/routes', {
        body: {
          name: `eu-${run}`,
          source: 'eu-*',
          events: [type('ticket.closed')],
          destinations: [{ topic: euTopic }],
        },
      });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({ position: 30, events: [type('ticket.closed')] });
      expect((await api('DELETE', `/v1/routes/eu-${run}`)).status).toBe(204);
      expect((await api('GET', `/v1/routes/eu-${run}`)).status).toBe(404);
    });
  });

  describe('replays', () => {
    const topic = `e2e.audit.${run}`;
    let subscriptionId: string;
    let delivered: TopicCollector;
    const ids: string[] = [];

    beforeAll(async () => {
      const sub = await api<SubscriptionView>('POST', '/v1/subscriptions', {
        body: { topic, events: [type('audit.*')] },
      });
      subscriptionId = sub.body.id;
      delivered = await collect(topic);
      for (let i = 0; i < 5; i++)
        ids.push(await produce(type('audit.logged'), { n: i }, { subject: `${run}-audit` }));
      await eventually(async () => (delivered.messages.length >= 5 ? true : undefined));
    });

    it('reproduces the deliveries of one subscription, marked with the replay id, and adds nothing to the store', async () => {
      expect(await storedCount(type('audit.logged'))).toBe(5);
      const created = await api<ReplayView>('POST', '/v1/replays', {
        body: { filter: { types: [type('audit.*')] }, target: { subscription_id: subscriptionId } },
      });
      expect(created.status).toBe(202);
      const replay = await finished(created.body.id);
      expect(replay).toMatchObject({ status: 'completed', total: 5, processed: 5 });
      expect(replay.deliveries.created).toBe(5);

      const replayed = await eventually(async () => {
        const mine = delivered.messages.filter((m) => m.headers['baton-replay-id'] === replay.id);
        return mine.length >= 5 ? mine : undefined;
      });
      const events = replayed.map((m) => JSON.parse(m.value) as { id: string; replayid: string });
      expect(events.map((e) => e.id)).toEqual(ids); // in store order, one subject
      expect(events.every((e) => e.replayid === replay.id)).toBe(true);
      const done = await eventually(async () => {
        const current = (await api<ReplayView>('GET', `/v1/replays/${replay.id}`)).body;
        return current.deliveries.delivered === 5 ? current : undefined;
      });
      expect(done.deliveries).toMatchObject({ pending: 0, dead: 0 });
      expect(await storedCount(type('audit.logged'))).toBe(5);
    });

    it('replays to a Kafka topic in the chosen format', async () => {
      const target = `e2e.audit-replayed.${run}`;
      const created = await api<ReplayView>('POST', '/v1/replays', {
        body: {
          filter: { types: [type('audit.logged')], subject: `${run}-audit` },
          target: { topic: target, format: 'binary' },
        },
      });
      const replay = await finished(created.body.id);
      expect(replay).toMatchObject({ status: 'completed', processed: 5, published: 5 });
      const out = await collect(target);
      const messages = await eventually(async () =>
        out.messages.length >= 5 ? out.messages : undefined,
      );
      expect(messages.map((m) => m.headers.ce_id)).toEqual(ids);
      expect(messages.every((m) => m.headers['baton-replay-id'] === replay.id)).toBe(true);
      expect(messages.every((m) => m.headers.ce_replayid === replay.id)).toBe(true);
      expect(JSON.parse(messages[0].value)).toEqual({ n: 0 });
      expect(await storedCount(type('audit.logged'))).toBe(5);
    });

    it('dry-runs a replay of everything the events matched: counts, delivers nothing', async () => {
      const created = await api<ReplayView>('POST', '/v1/replays', {
        body: { filter: { types: [type('audit.*')] }, target: { original: true }, dry_run: true },
      });
      const replay = await finished(created.body.id);
      expect(replay).toMatchObject({ status: 'completed', dry_run: true, processed: 5 });
      expect(replay.deliveries).toEqual({ created: 5, pending: 0, delivered: 0, dead: 0 });
    });

    it('replays to every current route and subscription (original), at a limited rate', async () => {
      const created = await api<ReplayView>('POST', '/v1/replays', {
        body: { filter: { types: [type('audit.*')] }, target: { original: true }, rate_limit: 50 },
      });
      const replay = await finished(created.body.id);
      expect(replay.deliveries.created).toBe(5);
      const mine = await eventually(async () => {
        const found = delivered.messages.filter((m) => m.headers['baton-replay-id'] === replay.id);
        return found.length >= 5 ? found : undefined;
      });
      expect(mine).toHaveLength(5);
      expect(await storedCount(type('audit.logged'))).toBe(5);
    });

    it('cancels a replay and withdraws what it had not delivered yet', async () => {
      const created = await api<ReplayView>('POST', '/v1/replays', {
        body: {
          filter: { types: [type('audit.*')] },
          target: { subscription_id: subscriptionId },
          rate_limit: 1,
        },
      });
      const cancelled = await api<ReplayView>('POST', `/v1/replays/${created.body.id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect(cancelled.body.processed).toBeLessThan(5);
      expect(cancelled.body.deliveries.pending).toBe(0);
      const again = await api('POST', `/v1/replays/${created.body.id}/cancel`);
      expect(again.status).toBe(409);
    });

    it('validates the target', async () => {
      const none = await api<{ errors: { field: string }[] }>('POST', '/v1/replays', {
        body: { filter: {}, target: {} },
      });
      expect(none.status).toBe(422);
      expect(none.body.errors[0].field).toBe('target');
      const platform = await api('POST', '/v1/replays', {
        body: { filter: {}, target: { topic: 'baton.events.ingress' } },
      });
      expect(platform.status).toBe(422);
    });

    it('restarts the runs a workflow subscription started, as new runs linked to the replay', async () => {
      const agent = `replay-echo-${run}`;
      const workflow = `replayed-intake-${run}`;
      await orchestrate.registerAgent({ name: agent, type: 'worker' });
      const worker = new AgentWorker({
        agent,
        brokers: platformState().kafkaBrokers.split(','),
        handler: (input) => input,
      });
      workers.push(worker);
      await worker.start();
      await orchestrate.createWorkflow({
        name: workflow,
        steps: [{ name: 'echo', agent, input: '${input.data}' }],
      });
      const sub = await api<SubscriptionView>('POST', '/v1/subscriptions', {
        body: { workflow, events: [type('import.requested')] },
      });
      const eventId = await produce(type('import.requested'), { file: 'a.csv' });
      const runs = async () =>
        (await api<{ items: RunView[] }>('GET', `/v1/runs?workflow=${workflow}`)).body.items;
      await eventually(async () => ((await runs()).length === 1 ? true : undefined), 30_000);

      const created = await api<ReplayView>('POST', '/v1/replays', {
        body: {
          filter: { types: [type('import.requested')] },
          target: { subscription_id: sub.body.id },
        },
      });
      await finished(created.body.id);
      const after = await eventually(async () => {
        const list = await runs();
        return list.length === 2 ? list : undefined;
      }, 30_000);
      const inputs = after.map((r) => r.input as { id: string; replayid?: string });
      expect(inputs.every((input) => input.id === eventId)).toBe(true);
      expect(inputs.map((input) => input.replayid ?? null).sort()).toEqual(
        [created.body.id, null].sort(),
      );
    });
  });

  describe('retention', () => {
    it('deletes events past their policy in the background; other types stay', async () => {
      const policy = await api<RetentionPolicyView>('POST', '/v1/retention-policies', {
        body: { type: type('temp.*'), max_age: '3s' },
      });
      expect(policy.status).toBe(201);
      expect(policy.body).toMatchObject({ type: type('temp.*'), max_age: '3s', max_age_ms: 3000 });
      const bad = await api('POST', '/v1/retention-policies', {
        body: { type: '*', max_age: 'soon' },
      });
      expect(bad.status).toBe(422);

      const temporary = await produce(type('temp.reading'), { value: 1 });
      const kept = await produce(type('kept.reading'), { value: 1 });
      await eventually(async () =>
        (await api('GET', `/v1/events/${kept}`)).status === 200 ? true : undefined,
      );
      // Stored first (visible), then gone once older than max_age.
      await eventually(async () =>
        (await api('GET', `/v1/events/${temporary}`)).status === 200 ? true : undefined,
      );
      await eventually(
        async () =>
          (await api('GET', `/v1/events/${temporary}`)).status === 404 ? true : undefined,
        30_000,
        'retention to delete the temporary event',
      );
      expect((await api('GET', `/v1/events/${kept}`)).status).toBe(200);
      const listed = (await api<{ items: RetentionPolicyView[] }>('GET', '/v1/retention-policies'))
        .body.items;
      expect(listed.find((p) => p.id === policy.body.id)?.deleted).toBeGreaterThanOrEqual(1);
      expect((await api('DELETE', `/v1/retention-policies/${policy.body.id}`)).status).toBe(204);
    });
  });
});
