import { MessageTypes } from '@baton/contracts';
import {
  agentTaskMessage,
  deliveredCloudEvent,
  signWebhook,
  structuredReplay,
  taskIdFor,
  topicMessage,
  verifyWebhookSignature,
  webhookRequest,
  workflowStartMessage,
  type DeliveryFacts,
} from './delivery-payload';

const event = {
  specversion: '1.0',
  id: 'e-1',
  type: 'order.created',
  source: 'shop',
  time: '2026-01-01T00:00:00.000Z',
  subject: 'order-7',
  datacontenttype: 'application/json',
  data: { total: 5 },
  workspaceid: 'acme',
  correlationid: 'c-1',
  partner: 'x',
};

const facts = (overrides: Partial<DeliveryFacts> = {}): DeliveryFacts => ({
  deliveryId: '42',
  cloudEvent: event,
  payload: event,
  transformed: false,
  replayId: null,
  lane: 'order-7',
  ...overrides,
});

describe('topicMessage', () => {
  it('structured: the CloudEvent as JSON, keyed by subject', () => {
    const message = topicMessage('orders', 'structured', facts());
    expect(message).toMatchObject({ topic: 'orders', key: 'order-7' });
    expect(JSON.parse(message.value)).toEqual(event);
    expect(message.headers['content-type']).toBe('application/cloudevents+json');
  });

  it('binary: the data as the value, every attribute a ce_ header', () => {
    const message = topicMessage('orders', 'binary', facts());
    expect(JSON.parse(message.value)).toEqual({ total: 5 });
    expect(message.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: 'e-1',
      ce_type: 'order.created',
      ce_subject: 'order-7',
      ce_partner: 'x',
      ce_workspaceid: 'acme',
      'content-type': 'application/json',
    });
    expect(message.headers.ce_data).toBeUndefined();
  });

  it('json: the payload alone; a transform result stands in for the data', () => {
    const message = topicMessage(
      'orders',
      'json',
      facts({ payload: { cents: 500 }, transformed: true }),
    );
    expect(JSON.parse(message.value)).toEqual({ cents: 500 });
    expect(message.headers['baton-event-id']).toBe('e-1');
  });

  it('marks a replayed delivery with the header and the replayid attribute', () => {
    const replayed = deliveredCloudEvent(event, 'r-1');
    const message = topicMessage(
      'orders',
      'structured',
      facts({ cloudEvent: replayed, replayId: 'r-1' }),
    );
    expect(message.headers['baton-replay-id']).toBe('r-1');
    expect(JSON.parse(message.value).replayid).toBe('r-1');
    expect(deliveredCloudEvent(event, null)).toBe(event);
  });
});

describe('structuredReplay', () => {
  it('appends replayid to the stored JSON text, overriding one the producer set', () => {
    const message = structuredReplay(
      't',
      JSON.stringify({ ...event, replayid: 'old' }),
      'order-7',
      'r-2',
    );
    expect(JSON.parse(message.value)).toEqual({ ...event, replayid: 'r-2' });
    expect(message).toMatchObject({ topic: 't', key: 'order-7' });
    expect(message.headers['baton-replay-id']).toBe('r-2');
  });
});

describe('agentTaskMessage', () => {
  it("is an agent task on the workspace's task topic with the event as input", () => {
    const message = agentTaskMessage('billing', facts());
    expect(message.topic).toBe('baton.agent.tasks.acme.billing');
    const envelope = JSON.parse(message.value);
    expect(envelope).toMatchObject({
      type: MessageTypes.agentTask,
      workspaceid: 'acme',
      correlationid: 'c-1',
      causationid: 'e-1',
      data: { agent: 'billing', attempt: 1, input: event },
    });
    expect(envelope.data.task_id).toBe(envelope.id);
    expect(message.headers.ce_type).toBe(MessageTypes.agentTask);
  });

  it('derives the same task id for the same delivery, a UUID', () => {
    expect(taskIdFor('acme', '42')).toBe(taskIdFor('acme', '42'));
    expect(taskIdFor('acme', '42')).not.toBe(taskIdFor('acme', '43'));
    expect(taskIdFor('acme', '42')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('workflowStartMessage', () => {
  it('is a one-way run start whose idempotency key names the channel and event', () => {
    const message = workflowStartMessage('intake', 'sub:s-1', facts());
    expect(message.topic).toBe('baton.workflow.commands');
    expect(message.headers['baton-reply-to']).toBeUndefined();
    expect(JSON.parse(message.value).data).toEqual({
      workflow: 'intake',
      input: event,
      idempotency_key: 'sub:s-1:e-1',
    });
  });

  it('gives a replay keys of its own, so it starts new runs', () => {
    const message = workflowStartMessage('intake', 'sub:s-1', facts({ replayId: 'r-9' }));
    expect(JSON.parse(message.value).data.idempotency_key).toBe('sub:s-1:e-1:replay:r-9');
  });
});

describe('webhook signatures', () => {
  it('signs the timestamp and the body; receivers verify within a tolerance', () => {
    const request = webhookRequest(facts(), 'secret-secret-secret', 1_700_000_000);
    const header = request.headers['baton-signature'];
    expect(header).toBe(signWebhook('secret-secret-secret', 1_700_000_000, request.body));
    expect(
      verifyWebhookSignature('secret-secret-secret', header, request.body, 1_700_000_100),
    ).toBe(true);
    expect(
      verifyWebhookSignature('secret-secret-secret', header, request.body, 1_700_001_000),
    ).toBe(false);
    expect(verifyWebhookSignature('other-secret-xxxxxx', header, request.body, 1_700_000_000)).toBe(
      false,
    );
    expect(
      verifyWebhookSignature('secret-secret-secret', header, `${request.body} `, 1_700_000_000),
    ).toBe(false);
  });

  it('sends the CloudEvent unsigned when there is no secret', () => {
    const request = webhookRequest(facts(), null, 1);
    expect(request.headers['baton-signature']).toBeUndefined();
    expect(request.headers['content-type']).toBe('application/cloudevents+json');
    expect(JSON.parse(request.body)).toEqual(event);
  });
});
