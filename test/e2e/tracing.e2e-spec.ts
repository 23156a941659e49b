import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { trace } from '@opentelemetry/api';
import { AgentWorker } from '@baton/sdk';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Producer } from 'kafkajs';
import { exampleAgents } from '../../examples/agents/customer-service.agents';
import {
  JsonSpanExporter,
  orphans,
  OtlpReceiver,
  type ReceivedSpan,
} from './support/otlp-receiver';
import { api, eventually, kafka, platformState } from './support/platform';
import { alive, restartService } from './support/service-control';
import { ScriptedServer } from './support/scripted-server';
import { WebhookReceiver } from './support/webhook-receiver';

const SEED_WORKFLOW = fs.readFileSync(
  path.join(__dirname, '../../examples/workflows/customer-inquiry-handler.yaml'),
  'utf8',
);

/** The seed's agent steps, and the agent each one ran on for a billing inquiry. */
const AGENT_STEPS: [step: string, agent: string][] = [
  ['classify-inquiry', 'classification-agent'],
  ['route-to-specialist', 'routing-agent'],
  ['process-inquiry', 'billing-agent'],
];

const SPAN_KIND = { server: 2, client: 3, producer: 4, consumer: 5 };

interface Caller {
  traceId: string;
  spanId: string;
  traceparent: string;
}

/** The caller's own span (never exported): the root the run's trace hangs from. */
function newCaller(): Caller {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

function stopGracefully(name: string): Promise<void> {
  const service = platformState().services.find((s) => s.name === name)!;
  process.kill(service.pid, 'SIGTERM');
  return eventually(
    async () => (alive(service.pid) ? undefined : true),
    60_000,
    `${name} to stop`,
  ).then(() => undefined);
}

/** Every service again, as global setup started it plus `env`. */
async function restartPlatform(env: Record<string, string>): Promise<void> {
  const names = platformState().services.map((s) => s.name);
  await Promise.all(names.map(stopGracefully));
  await Promise.all(names.map((name) => restartService(name, env)));
}

const spansOf = (spans: ReceivedSpan[], service: string) =>
  spans.filter((span) => span.service === service);

/**
 * What a run's trace must hold once all of it is exported: the engine's
 * start, for each agent step the worker's handler span and the engine's
 * decision on its result, the connector action of send-message with its
 * HTTP call, in one tree under the caller's span. Undefined until then.
 */
function completeTrace(spans: ReceivedSpan[], runId: string, callerSpanId: string) {
  const engine = spansOf(spans, 'baton-workflow-engine');
  const worker = spansOf(spans, 'example-agents');
  const integration = spansOf(spans, 'baton-integration-manager');
  const started = engine.find(
    (s) =>
      s.name === 'start run customer-inquiry-handler' && s.attributes['baton.run_id'] === runId,
  );
  const handlers = AGENT_STEPS.map(([step, agent]) =>
    worker.find((s) => s.name === `agent ${agent}` && s.attributes['baton.step'] === step),
  );
  const decisions = [...AGENT_STEPS.map(([step]) => step), 'send-response'].map((step) =>
    engine.find((s) => s.name === `decide ${step}` && s.attributes['baton.run_id'] === runId),
  );
  const action = integration.find(
    (s) => s.name === 'action send-message' && s.attributes['baton.step'] === 'send-response',
  );
  const ready =
    started &&
    handlers.every(Boolean) &&
    decisions.every(Boolean) &&
    action &&
    orphans(spans, callerSpanId).length === 0;
  return ready ? { started, handlers, decisions, action } : undefined;
}

/**
 * One run, one whole trace (issue 25): every service exports its spans to an
 * OTLP/HTTP receiver started here, and a run of the seed's workflow shows as
 * one connected tree, joined to the caller's traceparent when started over
 * HTTP and to the event's when started by a Kafka event.
 */
describe('tracing: a run is one connected trace across every hop', () => {
  const receiver = new OtlpReceiver();
  const inbox = new WebhookReceiver();
  const workers: AgentWorker[] = [];
  let provider: NodeTracerProvider;
  let producer: Producer;

  beforeAll(async () => {
    const endpoint = await receiver.start();
    // Every service exports, in small batches so the test need not wait the default 5 s.
    await restartPlatform({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    // The example agents run here, in the test's process, as a tenant's worker process
    // would: with an OpenTelemetry SDK of their own exporting to the same receiver.
    provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'example-agents' }),
      spanProcessors: [
        new BatchSpanProcessor(new JsonSpanExporter(`${endpoint}/v1/traces`), {
          scheduledDelayMillis: 200,
        }),
      ],
    });
    provider.register();

    const brokers = platformState().kafkaBrokers.split(',');
    for (const agent of exampleAgents) {
      expect((await api('POST', '/v1/agents', { body: agent.registration })).status).toBeLessThan(
        300,
      );
      workers.push(
        new AgentWorker({ agent: agent.registration.name, handler: agent.handler, brokers }),
      );
    }
    await Promise.all(workers.map((worker) => worker.start()));
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
    producer = kafka('baton-e2e-tracing').producer();
    await producer.connect();
  }, 300_000);

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all(workers.map((worker) => worker.stop()));
    await provider?.shutdown();
    trace.disable();
    await inbox.stop();
    // The later specs get the platform as global setup made it: exporting nowhere.
    await restartPlatform({});
    await receiver.stop();
  }, 300_000);

  it('joins the caller: gateway → engine → each step through its worker → the connector, one tree', async () => {
    const caller = newCaller();
    const started = await api<{ id: string; trace_id: string | null }>(
      'POST',
      '/v1/workflows/customer-inquiry-handler/runs',
      {
        body: { input: { text: 'I was charged twice on my last invoice', customer: 'Ada' } },
        headers: { traceparent: caller.traceparent },
      },
    );
    expect([200, 201, 202]).toContain(started.status);
    const runId = started.body.id;

    const run = await eventually(
      async () => {
        const got = await api<{ status: string; trace_id: string | null }>(
          'GET',
          `/v1/runs/${runId}`,
        );
        return got.body.status === 'completed' ? got.body : undefined;
      },
      30_000,
      'the run to complete',
    );
    // GET /v1/runs/{id} names the trace, for the console and for users' tracing tools.
    expect(run.trace_id).toBe(caller.traceId);

    const found = await wholeTrace(receiver, caller, runId);
    const spans = receiver.trace(caller.traceId);
    expect(orphans(spans, caller.spanId)).toEqual([]);

    // The gateway's HTTP server span is the child of the caller's span, and the engine's start its descendant.
    const gateway = spansOf(spans, 'baton-gateway').find(
      (s) => s.kind === SPAN_KIND.server && s.parentSpanId === caller.spanId,
    );
    expect(gateway).toBeDefined();
    expect(ancestors(spans, found.started!).map((s) => s.spanId)).toContain(gateway!.spanId);

    // Each agent step: the engine's task produce → the worker's consume → its handler span.
    for (const [index, [step, agent]] of AGENT_STEPS.entries()) {
      const handler = found.handlers[index]!;
      expect(handler.attributes).toMatchObject({
        'baton.agent': agent,
        'baton.step': step,
        'baton.run_id': runId,
        'baton.task.attempt': 1,
        'baton.task.outcome': 'completed',
        'baton.workspace': 'default',
      });
      const consume = spans.find((s) => s.spanId === handler.parentSpanId)!;
      expect(consume).toMatchObject({ service: 'example-agents', kind: SPAN_KIND.consumer });
      expect(consume.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': `baton.agent.tasks.default.${agent}`,
      });
      const produce = spans.find((s) => s.spanId === consume.parentSpanId)!;
      expect(produce).toMatchObject({ service: 'baton-workflow-engine', kind: SPAN_KIND.producer });
      expect(produce.attributes['messaging.message.id']).toEqual(expect.any(String));
      // The engine's decision on the step's result continues from the worker.
      const decision = found.decisions[index]!;
      expect(ancestors(spans, decision).map((s) => s.spanId)).toContain(consume.spanId);
    }

    // send-message: integration-manager's action, its webhook call as a client span, then the engine.
    const action = found.action!;
    expect(action.attributes).toMatchObject({
      'baton.run_id': runId,
      'baton.task.outcome': 'completed',
    });
    const call = spans.find((s) => s.parentSpanId === action.spanId && s.kind === SPAN_KIND.client);
    expect(call).toMatchObject({ service: 'baton-integration-manager', name: 'POST' });
    expect(call!.attributes['http.response.status_code']).toBe(200);
    // The action's result (sent beside the action, from the task's consumer span) leads to the run's end.
    const consume = spans.find((s) => s.spanId === action.parentSpanId)!;
    expect(consume).toMatchObject({
      service: 'baton-integration-manager',
      name: 'process baton.integration.tasks',
      kind: SPAN_KIND.consumer,
    });
    expect(ancestors(spans, found.decisions[3]!).map((s) => s.spanId)).toContain(consume.spanId);

    // Ids and names only: no step's input or output reaches a span.
    expect(JSON.stringify(spans)).not.toContain('charged twice');
  });

  it("starts from the event: a run started by a Kafka event is one tree under the event's traceparent", async () => {
    const producerSpan = newCaller();
    const marker = `trace-${randomUUID()}`;
    await producer.send({
      topic: 'baton.events.ingress',
      messages: [
        {
          key: marker,
          headers: { traceparent: producerSpan.traceparent },
          value: JSON.stringify({
            specversion: '1.0',
            id: randomUUID(),
            type: 'incoming-message',
            source: 'e2e/tracing',
            workspaceid: 'default',
            datacontenttype: 'application/json',
            data: { text: `Please refund the double charge (${marker})`, customer: 'Grace' },
          }),
        },
      ],
    });
    const run = await eventually(
      async () => {
        const page = await api<{
          items: { id: string; status: string; input: { text?: string } }[];
        }>('GET', '/v1/runs?workflow=customer-inquiry-handler&limit=200');
        const found = page.body.items.find((r) => (r.input.text ?? '').includes(marker));
        return found?.status === 'completed' ? found : undefined;
      },
      40_000,
      'the event-started run to complete',
    );
    const view = await api<{ trace_id: string | null }>('GET', `/v1/runs/${run.id}`);
    expect(view.body.trace_id).toBe(producerSpan.traceId);

    const found = await wholeTrace(receiver, producerSpan, run.id);
    const spans = receiver.trace(producerSpan.traceId);
    expect(orphans(spans, producerSpan.spanId)).toEqual([]);
    // The engine's start hangs straight from the event's producer span.
    expect(found.started!.parentSpanId).toBe(producerSpan.spanId);
    expect(found.handlers.map((h) => h!.attributes['baton.run_id'])).toEqual([
      run.id,
      run.id,
      run.id,
    ]);
  });

  it('shows an agent agent-manager runs itself: its task span, and its HTTP call as a client span that carries the trace', async () => {
    const remote = new ScriptedServer((request) => ({
      body: { shouted: String((request.json as { text?: string }).text ?? '').toUpperCase() },
    }));
    await remote.start();
    try {
      const agent = `traced-shouter-${randomUUID().slice(0, 8)}`;
      const registered = await api('POST', '/v1/agents', {
        body: {
          name: agent,
          type: 'tool',
          runtime: 'http',
          config: { url: `${remote.url}/shout` },
        },
      });
      expect(registered.status).toBeLessThan(300);
      const workflow = `traced-shout-${randomUUID().slice(0, 8)}`;
      const created = await api('POST', '/v1/workflows', {
        body: { name: workflow, steps: [{ name: 'shout', agent, input: '${input}' }] },
      });
      expect([200, 201]).toContain(created.status);
      const caller = newCaller();
      const started = await api<{ id: string }>('POST', `/v1/workflows/${workflow}/runs`, {
        body: { input: { text: 'hello' } },
        headers: { traceparent: caller.traceparent },
      });
      expect([200, 201, 202]).toContain(started.status);
      const runId = started.body.id;

      const found = await eventually(
        async () => {
          const spans = receiver.trace(caller.traceId);
          const task = spansOf(spans, 'baton-agent-manager').find(
            (s) => s.name === `agent ${agent}` && s.attributes['baton.run_id'] === runId,
          );
          const call = task && spans.find((s) => s.parentSpanId === task.spanId);
          const decided = spansOf(spans, 'baton-workflow-engine').some(
            (s) => s.name === 'decide shout' && s.attributes['baton.run_id'] === runId,
          );
          return call && decided && orphans(spans, caller.spanId).length === 0
            ? { task, call }
            : undefined;
        },
        30_000,
        "the http agent's spans",
      );
      expect(found.task.attributes).toMatchObject({
        'baton.agent.runtime': 'http',
        'baton.step': 'shout',
        'baton.task.outcome': 'completed',
      });
      expect(found.call).toMatchObject({ kind: SPAN_KIND.client, name: 'POST' });
      expect(found.call.attributes).toMatchObject({
        'http.request.method': 'POST',
        'url.full': `${remote.url}/shout`,
        'http.response.status_code': 200,
      });
      // The agent's endpoint got the client span as its parent: a traced agent joins the run.
      const request = remote.received.find((r) => r.path === '/shout');
      expect(request?.headers.traceparent).toBe(`00-${caller.traceId}-${found.call.spanId}-01`);
    } finally {
      await remote.stop();
    }
  });
});

/** Waits for the run's whole trace; fails showing what arrived (service, name, ids) if it never does. */
async function wholeTrace(receiver: OtlpReceiver, caller: Caller, runId: string) {
  try {
    return await eventually(
      async () => completeTrace(receiver.trace(caller.traceId), runId, caller.spanId),
      30_000,
      'the whole trace of the run',
    );
  } catch (error) {
    const spans = receiver.trace(caller.traceId);
    const shown = spans.map(
      (s) =>
        `${s.service} ${s.name} ${s.spanId}<-${s.parentSpanId} ${s.attributes['baton.step'] ?? ''}`,
    );
    const missing = orphans(spans, caller.spanId).map((s) => `${s.service} ${s.name}`);
    throw new Error(
      `${(error as Error).message}\nspans of the trace:\n${shown.join('\n')}\norphans: ${missing.join(', ')}`,
    );
  }
}

/** The chain of parents of `span` within `spans`, nearest first. */
function ancestors(spans: ReceivedSpan[], span: ReceivedSpan): ReceivedSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const chain: ReceivedSpan[] = [];
  for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) {
    chain.push(parent);
  }
  return chain;
}
