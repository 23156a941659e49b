import type { RunView, ShadowReportView, ShadowRunView, WorkflowView } from '@baton/contracts';
import { type OrchestratePlatform } from '@baton/sdk';
import { randomUUID } from 'node:crypto';
import { api, eventually, sdk } from './support/platform';
import { ScriptedServer, uniqueName, type ScriptedRequest } from './support/scripted-server';
import { createWorkspace, issueKey, clearDefaultLlmBudget } from './support/workspaces';

const LLM_KEY_SECRET = 'e2e-shadow-llm-key';
/** Priced in global-setup (LLM_PRICES). */
const MODEL = 'recorded-model';

type ChatRequest = { messages: { role: string; content: string | null }[] };

/** An OpenAI-compatible model that counts its calls; each answer names its call number. */
const model = new ScriptedServer((request: ScriptedRequest, index: number) => {
  const asked = (request.json as ChatRequest).messages.at(-1)?.content ?? '';
  return {
    body: {
      id: `chatcmpl-shadow-${index}`,
      object: 'chat.completion',
      model: MODEL,
      choices: [
        {
          index: 0,
          finish_reason: 'stop',
          message: {
            role: 'assistant',
            content: JSON.stringify({ refund: asked.includes('refund'), call: index + 1 }),
          },
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    },
  };
});

/** A report's counts: those given, every other verdict 0. */
const counts = (given: Partial<ShadowReportView['counts']>): ShadowReportView['counts'] => ({
  runs: 0,
  same: 0,
  differs: 0,
  failed: 0,
  no_live_run: 0,
  ...given,
});

/** The outside system the workflow's action posts to; counts what reaches it. */
const crm = new ScriptedServer(() => ({ body: { ok: true } }));

/**
 * `POST /v1/workflows/{name}/versions/{v}/shadow`: a candidate version run on
 * past runs with their recorded answers, reported per run, without a single
 * model call, connector call or stored run.
 */
describe('shadow runs of a candidate workflow version', () => {
  let orchestrate: OrchestratePlatform;
  let workflow: string;
  let connection: string;
  let classifier: string;
  let summariser: string;
  const live: RunView[] = [];

  const steps = (summariseInput: string) => [
    { name: 'classify', agent: classifier, input: '${input.text}' },
    { name: 'summarise', agent: summariser, input: summariseInput },
    {
      name: 'notify',
      action: `${connection}.request`,
      input: { method: 'POST', path: '/notify', body: { refund: '${classify.output.refund}' } },
    },
  ];

  beforeAll(async () => {
    await clearDefaultLlmBudget();
    await model.start();
    await crm.start();
    orchestrate = sdk();
    const stored = await api('PUT', `/v1/secrets/${LLM_KEY_SECRET}`, {
      body: { value: `sk-${randomUUID()}` },
    });
    expect([200, 201]).toContain(stored.status);
    classifier = uniqueName('shadow-classifier');
    summariser = uniqueName('shadow-summariser');
    for (const name of [classifier, summariser]) {
      await orchestrate.registerAgent({
        name,
        type: 'llm',
        config: {
          base_url: `${model.url}/v1`,
          model: MODEL,
          api_key_secret: LLM_KEY_SECRET,
          system_prompt: `Answer as ${name}.`,
        },
      });
    }
    connection = uniqueName('shadow-crm');
    const created = await api('POST', '/v1/connections', {
      body: { name: connection, connector: 'http', config: { base_url: crm.url } },
    });
    expect(created.status).toBe(201);

    workflow = uniqueName('shadowed');
    const v1 = await api<WorkflowView>('POST', '/v1/workflows', {
      body: { name: workflow, steps: steps('${input.text}') },
    });
    expect(v1.status).toBe(201);
    for (const text of ['refund my order', 'where is my parcel', 'refund twice please']) {
      const run = await orchestrate.waitForRun((await orchestrate.startRun(workflow, { text })).id);
      expect(run.status).toBe('completed');
      live.push(run);
    }
    expect(model.received).toHaveLength(6);
    expect(crm.received).toHaveLength(3);

    // v2 asks the summariser something else; v1 stays the version new runs start with.
    const v2 = await api<WorkflowView & { version: number }>('POST', '/v1/workflows', {
      body: { name: workflow, steps: steps('${"Summarise: " & input.text}') },
    });
    expect(v2.status).toBe(201);
    expect(v2.body.version).toBe(2);
    const back = await api('POST', `/v1/workflows/${workflow}/versions/1/activate`);
    expect(back.status).toBe(200);
  });

  afterAll(async () => {
    await model.stop();
    await crm.stop();
  });

  const shadow = (version: number, body: unknown, apiKey?: string) =>
    api<ShadowReportView>('POST', `/v1/workflows/${workflow}/versions/${version}/shadow`, {
      body,
      ...(apiKey ? { apiKey } : {}),
    });

  it('reports per run where the candidate differs, reusing recorded answers and calling nothing', async () => {
    const report = await shadow(2, { run_ids: live.map((r) => r.id) });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      workflow,
      version: 2,
      counts: { runs: 3, same: 0, differs: 3, failed: 0, no_live_run: 0 },
      source: 'runs',
    });
    for (const run of live) {
      const shadowed = report.body.runs.find((r) => r.run_id === run.id) as ShadowRunView;
      const summarised = run.steps.find((s) => s.name === 'summarise')!;
      expect(shadowed).toMatchObject({
        live_version: 1,
        verdict: 'differs',
        // Same steps in the same order; the run's end (the last step's output) is the same.
        path_differs_at: null,
        live: { status: 'completed', output: run.output },
        candidate: { status: 'completed', output: run.output },
        // classify and notify ask what they asked live: their recorded answers are reused.
        answers: { recorded: 2, not_recorded: 1 },
        step_differences: [
          {
            path: 'summarise',
            live: { status: 'completed', output: summarised.output },
            candidate: { status: 'completed', output: null },
            answer: 'not_recorded',
          },
        ],
        step_differences_omitted: 0,
      });
    }
    await expectNothingLeftThePlatform();
  });

  it('finds the same runs by time window, and the live version over them is the same', async () => {
    // From just before the first live run to just after the last (the barrier runs came later).
    const since = new Date(Date.parse(live[0].created_at) - 1000).toISOString();
    const until = new Date(Date.parse(live[2].created_at) + 1).toISOString();
    const report = await shadow(1, { since, until, limit: 100 });
    expect(report.status).toBe(200);
    expect(report.body.counts).toEqual(counts({ runs: 3, same: 3 }));
    expect(report.body.runs.map((r) => r.run_id).sort()).toEqual(live.map((r) => r.id).sort());
    expect(report.body.runs.every((r) => r.answers?.not_recorded === 0)).toBe(true);
    await expectNothingLeftThePlatform();
  });

  it("reports a past input the candidate's input_schema refuses as failed, with the reason", async () => {
    const v3 = await api<WorkflowView & { version: number }>('POST', '/v1/workflows', {
      body: {
        name: workflow,
        input_schema: { type: 'object', required: ['customer'] },
        steps: steps('${input.text}'),
      },
    });
    expect(v3.status).toBe(201);
    expect((await api('POST', `/v1/workflows/${workflow}/versions/1/activate`)).status).toBe(200);
    const report = await shadow(v3.body.version, { run_ids: [live[0].id] });
    expect(report.status).toBe(200);
    expect(report.body.counts).toEqual(counts({ runs: 1, failed: 1 }));
    expect(report.body.runs[0]).toMatchObject({ run_id: live[0].id, verdict: 'failed' });
    expect(report.body.runs[0].reason).toContain('input.customer');
  });

  it('records the shadow run in the audit trail', async () => {
    const audit = await api<{ items: { action: string; resource: string; details: unknown }[] }>(
      'GET',
      '/v1/audit?limit=200&action=workflow.shadow',
    );
    expect(audit.status).toBe(200);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'workflow.shadow',
        resource: `workflow/${workflow}`,
        details: expect.objectContaining({ version: 2, runs: 3, differs: 3 }) as unknown,
      }),
    );
  });

  it("cannot use another workspace's runs as its source", async () => {
    const other = await createWorkspace('shadow');
    const otherKey = await issueKey(other, 'developer');
    // The other workspace's own workflow of the same name, shadowed over this workspace's runs.
    const created = await api('POST', '/v1/workflows', {
      apiKey: otherKey,
      body: { name: workflow, steps: [{ name: 'classify', agent: classifier }] },
    });
    expect(created.status).toBe(201);
    const refused = await shadow(1, { run_ids: [live[0].id] }, otherKey);
    expect(refused.status).toBe(422);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ errors: [{ field: 'run_ids' }] });
    // A window in the other workspace finds none of them.
    const window = await shadow(1, { limit: 100 }, otherKey);
    expect(window.status).toBe(200);
    expect(window.body.counts.runs).toBe(0);
  });

  it('refuses bad requests with problem+json naming the field', async () => {
    const ids = Array.from({ length: 101 }, () => randomUUID());
    const cases: [unknown, string][] = [
      [{ run_ids: ids }, 'run_ids'],
      [{ run_ids: ['not-a-run'] }, 'run_ids'],
      [{ run_ids: [live[0].id], since: live[0].created_at }, 'since'],
      [{ since: 'yesterday' }, 'since'],
      [{ limit: 1000 }, 'limit'],
      [{ since: live[1].created_at, until: live[0].created_at }, 'until'],
      [{ run_ids: [randomUUID()] }, 'run_ids'],
    ];
    for (const [body, field] of cases) {
      const refused = await shadow(2, body);
      expect([400, 422]).toContain(refused.status);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ errors: [expect.objectContaining({ field })] });
    }
    expect((await shadow(9, {})).status).toBe(404);
    const viewer = await issueKey('default', 'viewer');
    expect((await shadow(2, {}, viewer)).status).toBe(403);
    // Testing workflows alone does not show past runs' data: a key scoped to it is refused.
    const scoped = await api<{ key: string }>('POST', '/v1/api-keys', {
      body: { name: uniqueName('shadow-scoped'), role: 'developer', scopes: ['workflows:test'] },
    });
    expect(scoped.status).toBe(201);
    const refused = await shadow(2, {}, scoped.body.key);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain('runs:read');
  });

  /**
   * `source: events`: the candidate on stored events, each its input and
   * `${trigger}` as the event trigger makes them, compared with the live run
   * the event started (found by the trigger's idempotency key).
   */
  describe('over stored events', () => {
    let triggered: string;
    let eventType: string;
    const eventIds: string[] = [];
    let untriggered: string;
    const liveOf = new Map<string, RunView>();
    let since: string;
    let until: string;

    // notify carries the event's id: reused only when the candidate reads the same ${trigger}.
    const eventSteps = (summariseInput: string) =>
      steps(summariseInput).map((step) =>
        step.name === 'notify'
          ? {
              ...step,
              input: {
                method: 'POST',
                path: '/notify',
                body: { refund: '${classify.output.refund}', event: '${trigger.id}' },
              },
            }
          : step,
      );

    const publish = async (type: string, text: string): Promise<string> => {
      const id = `shadow-evt-${randomUUID()}`;
      const sent = await api('POST', '/v1/events', {
        body: { id, type, subject: 'orders', source: 'shop', data: { text } },
      });
      expect(sent.status).toBe(202);
      return id;
    };

    beforeAll(async () => {
      triggered = uniqueName('shadow-events');
      eventType = `${triggered}.received`;
      const v1 = await api('POST', '/v1/workflows', {
        body: { name: triggered, trigger: eventType, steps: eventSteps('${input.text}') },
      });
      expect(v1.status).toBe(201);
      since = new Date(Date.now() - 1000).toISOString();
      const models = model.received.length;
      const posts = crm.received.length;
      for (const text of ['refund my order', 'where is my parcel']) {
        eventIds.push(await publish(eventType, text));
      }
      // An event no workflow is triggered by: it started no live run.
      untriggered = await publish(`${triggered}.untriggered`, 'refund please');
      const runs = await eventually(
        async () => {
          const page = await api<{ items: RunView[] }>(
            'GET',
            `/v1/runs?workflow=${triggered}&limit=100`,
          );
          const done = page.body.items.filter((r) => r.status === 'completed');
          return done.length === 2 ? done : undefined;
        },
        60_000,
        'the runs the two events started',
      );
      for (const run of runs) {
        const full = await orchestrate.getRun(run.id);
        const notify = full.steps.find((step) => step.name === 'notify')!;
        liveOf.set((notify.input as { body: { event: string } }).body.event, full);
      }
      until = new Date(Date.now() + 1000).toISOString();
      expect([...liveOf.keys()].sort()).toEqual([...eventIds].sort());
      expect(model.received.length - models).toBe(4);
      expect(crm.received.length - posts).toBe(2);

      const v2 = await api<WorkflowView & { version: number }>('POST', '/v1/workflows', {
        body: {
          name: triggered,
          trigger: eventType,
          steps: eventSteps('${"Summarise: " & input.text}'),
        },
      });
      expect(v2.body.version).toBe(2);
      expect((await api('POST', `/v1/workflows/${triggered}/versions/1/activate`)).status).toBe(
        200,
      );
    });

    const shadowEvents = (version: number, body: unknown, apiKey?: string) =>
      api<ShadowReportView>('POST', `/v1/workflows/${triggered}/versions/${version}/shadow`, {
        body,
        ...(apiKey ? { apiKey } : {}),
      });

    it('compares each listed event with the run it started, and reports one that started none', async () => {
      const report = await shadowEvents(2, { event_ids: [...eventIds, untriggered] });
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({
        workflow: triggered,
        version: 2,
        source: 'events',
        counts: { runs: 3, same: 0, differs: 2, failed: 0, no_live_run: 1 },
      });
      for (const eventId of eventIds) {
        const live = liveOf.get(eventId)!;
        const shadowed = report.body.runs.find((r) => r.event_id === eventId)!;
        expect(shadowed).toMatchObject({
          run_id: live.id,
          live_version: 1,
          verdict: 'differs',
          path_differs_at: null,
          candidate: { status: 'completed', output: live.output },
          // classify and notify (which reads ${trigger.id}) ask what they asked live.
          answers: { recorded: 2, not_recorded: 1 },
          step_differences: [
            expect.objectContaining({ path: 'summarise', answer: 'not_recorded' }),
          ],
        });
      }
      expect(report.body.runs.find((r) => r.event_id === untriggered)).toMatchObject({
        run_id: null,
        live_version: null,
        verdict: 'no_live_run',
        candidate: { status: 'completed' },
        answers: { recorded: 0, not_recorded: 3 },
      });
      await expectNothingLeftThePlatform();
    });

    it("takes the candidate's own trigger type over a time window by default", async () => {
      const report = await shadowEvents(1, { source: 'events', since, until, limit: 100 });
      expect(report.status).toBe(200);
      expect(report.body.counts).toEqual(counts({ runs: 2, same: 2 }));
      expect(report.body.runs.map((r) => r.event_id).sort()).toEqual([...eventIds].sort());
      expect(report.body.runs.every((r) => r.answers?.not_recorded === 0)).toBe(true);
      await expectNothingLeftThePlatform();
    });

    it("cannot use another workspace's events, and says so as for an unknown one", async () => {
      const other = await createWorkspace('shadow-events');
      const otherKey = await issueKey(other, 'developer');
      const created = await api('POST', '/v1/workflows', {
        apiKey: otherKey,
        body: {
          name: triggered,
          trigger: eventType,
          steps: [{ name: 'classify', agent: classifier }],
        },
      });
      expect(created.status).toBe(201);
      const refused = await shadowEvents(1, { event_ids: [eventIds[0]] }, otherKey);
      expect(refused.status).toBe(422);
      expect(refused.contentType).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ errors: [{ field: 'event_ids' }] });
      const unknownId = `shadow-evt-${randomUUID()}`;
      const unknown = await shadowEvents(1, { event_ids: [unknownId] }, otherKey);
      expect(unknown.status).toBe(422);
      const message = (body: unknown, id: string) =>
        JSON.stringify((body as { errors: unknown }).errors).replace(id, '<id>');
      expect(message(refused.body, eventIds[0])).toBe(message(unknown.body, unknownId));
      const window = await shadowEvents(1, { source: 'events', limit: 100 }, otherKey);
      expect(window.status).toBe(200);
      expect(window.body.counts.runs).toBe(0);
    });

    it('refuses bad event sources with problem+json naming the field', async () => {
      const ids = Array.from({ length: 101 }, () => `evt-${randomUUID()}`);
      const cases: [string, unknown, string][] = [
        [triggered, { event_ids: ids }, 'event_ids'],
        [triggered, { event_ids: [42] }, 'event_ids'],
        [triggered, { event_ids: [eventIds[0]], since }, 'since'],
        [triggered, { event_ids: [eventIds[0]], event_type: eventType }, 'event_type'],
        [triggered, { source: 'runs', event_type: eventType }, 'event_type'],
        [triggered, { source: 'events', run_ids: [randomUUID()] }, 'run_ids'],
        [triggered, { source: 'elsewhere' }, 'source'],
        [triggered, { event_type: 7 }, 'event_type'],
        // The HTTP-started workflow has no event trigger to take the type from.
        [workflow, { source: 'events' }, 'event_type'],
      ];
      for (const [name, body, field] of cases) {
        const refused = await api('POST', `/v1/workflows/${name}/versions/1/shadow`, { body });
        expect([400, 422]).toContain(refused.status);
        expect(refused.contentType).toContain('application/problem+json');
        expect((refused.body as { errors: unknown[] }).errors).toContainEqual(
          expect.objectContaining({ field }),
        );
      }
    });
  });

  /**
   * A live run started after the shadow passes the same topics and services a
   * shadow task would have: once it is done, anything the shadow sent would
   * have arrived. Only the live run's own calls may have reached the servers.
   */
  async function expectNothingLeftThePlatform(): Promise<void> {
    const models = model.received.length;
    const posts = crm.received.length;
    const before = await api<{ items: RunView[] }>(
      'GET',
      `/v1/runs?workflow=${workflow}&limit=100`,
    );
    const barrier = await orchestrate.waitForRun(
      (await orchestrate.startRun(workflow, { text: 'barrier' })).id,
    );
    expect(barrier.status).toBe('completed');
    expect(model.received.length - models).toBe(2);
    expect(crm.received.length - posts).toBe(1);
    const after = await api<{ items: RunView[] }>('GET', `/v1/runs?workflow=${workflow}&limit=100`);
    // The shadow stored no run: the barrier is the only new one.
    expect(after.body.items.map((r) => r.id).sort()).toEqual(
      [...before.body.items.map((r) => r.id), barrier.id].sort(),
    );
  }
});
