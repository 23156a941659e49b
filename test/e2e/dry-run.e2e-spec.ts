import type { WorkflowTestView } from '@baton/contracts';
import type { OrchestratePlatform } from '@baton/sdk';
import { api, sdk } from './support/platform';

/** The dry run: the engine's interpreter in memory, every step answered by a mock. */
describe('POST /v1/workflows/{name}/test (dry run)', () => {
  let orchestrate: OrchestratePlatform;

  beforeAll(async () => {
    orchestrate = sdk();
    // Agents that are not even registered: a dry run never calls one.
    await orchestrate.createWorkflow(`
workflow:
  name: cf-dry
  retry_policy: { max_attempts: 2, backoff: fixed, initial_delay: 5s }
  steps:
    - name: classify
      agent: cf-unregistered-classifier
    - name: route
      switch:
        - when: \${classify.category = "bulk"}
          steps:
            - name: each
              foreach:
                items: \${input.items}
                steps:
                  - { name: handle, agent: cf-unregistered-worker, input: "\${item}" }
        - default: true
          goto: fallback
    - name: fallback
      agent: cf-unregistered-fallback
`);
  });

  it('returns the full trace from mocks, checks expectations, and stores no run', async () => {
    const response = await api<WorkflowTestView>('POST', '/v1/workflows/cf-dry/test', {
      body: {
        input: { items: [1, 2] },
        mocks: {
          classify: { output: { category: 'bulk' } },
          handle: [
            { error: { type: 'system_error', message: 'flaky' } },
            { output: 'h1' },
            { output: 'h2' },
          ],
          fallback: { output: 'fell back' },
        },
        expect: { status: 'completed', output: 'fell back' },
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      workflow: 'cf-dry',
      status: 'completed',
      output: 'fell back',
      expectations: { passed: true, failures: [] },
    });
    expect(response.body.steps.map((s) => [s.path, s.status, s.attempts])).toEqual([
      ['classify', 'completed', 1],
      ['route', 'completed', 1],
      ['route.each', 'completed', 1],
      ['route.each[0].handle', 'completed', 2],
      ['route.each[1].handle', 'completed', 1],
      ['fallback', 'completed', 1],
    ]);
    expect(response.body.steps[2].output).toEqual(['h1', 'h2']);
    const retry = response.body.trace.find(
      (t) =>
        t.type === 'workflow.step.started' && t.path === 'route.each[0].handle' && t.attempt === 2,
    );
    expect(retry).toMatchObject({ at: 5000 });
    const runs = await api<{ items: unknown[] }>('GET', '/v1/runs?workflow=cf-dry');
    expect(runs.body.items).toEqual([]);
  });

  it('reports failed expectations, mocked timeouts and bad mocks', async () => {
    const failing = await api<WorkflowTestView>('POST', '/v1/workflows/cf-dry/test', {
      body: {
        mocks: { classify: { error: { type: 'timeout' } } },
        expect: { status: 'completed' },
      },
    });
    expect(failing.status).toBe(200);
    expect(failing.body).toMatchObject({
      status: 'failed',
      error: { type: 'timeout', message: "step 'classify' timed out", step: 'classify' },
      expectations: { passed: false, failures: ['status: expected completed, got failed'] },
    });
    const bad = await api('POST', '/v1/workflows/cf-dry/test', {
      body: { mocks: { classify: 'yes' } },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({
      errors: [expect.objectContaining({ field: 'mocks.classify' })],
    });
    expect((await api('POST', '/v1/workflows/cf-nope/test', { body: {} })).status).toBe(404);
  });

  it("dry-runs unsaved YAML (the designer's text), even of a workflow never saved, and stores nothing", async () => {
    const edited = `
workflow:
  name: cf-dry-unsaved # never created
  input_schema: { type: object, required: [ticket] }
  steps:
    - name: triage
      agent: cf-unregistered-triage
    - name: reply
      agent: cf-unregistered-replier
      input: "\${triage.summary}"
`;
    const response = await api<WorkflowTestView>('POST', '/v1/workflows/cf-dry-unsaved/test', {
      body: {
        yaml: edited,
        input: { ticket: 7 },
        mocks: { triage: { output: { summary: 's' } }, reply: { output: 'done' } },
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      workflow: 'cf-dry-unsaved',
      version: null,
      status: 'completed',
      output: 'done',
    });
    expect(response.body.steps.map((s) => [s.path, s.status])).toEqual([
      ['triage', 'completed'],
      ['reply', 'completed'],
    ]);
    // The text's input_schema applies as a saved version's would.
    const badInput = await api('POST', '/v1/workflows/cf-dry-unsaved/test', {
      body: { yaml: edited, input: {} },
    });
    expect(badInput.status).toBe(422);
    expect(badInput.body).toMatchObject({
      errors: [expect.objectContaining({ field: 'input.ticket' })],
    });
    expect((await api('GET', '/v1/workflows/cf-dry-unsaved')).status).toBe(404);

    // An edited version of a saved workflow runs as edited, not as saved.
    const onlyFallback = await api<WorkflowTestView>('POST', '/v1/workflows/cf-dry/test', {
      body: {
        yaml: 'workflow:\n  name: cf-dry\n  steps:\n    - { name: fallback, agent: cf-unregistered-fallback }\n',
        mocks: { fallback: { output: 'edited' } },
      },
    });
    expect(onlyFallback.body).toMatchObject({ version: null, output: 'edited' });
    expect(onlyFallback.body.steps.map((s) => s.path)).toEqual(['fallback']);
  });

  it('refuses unsaved YAML that is broken, invalid or names another workflow, saying where', async () => {
    const syntax = await api<{ errors: { field: string; line?: number }[] }>(
      'POST',
      '/v1/workflows/cf-dry/test',
      { body: { yaml: 'workflow:\n  name: cf-dry\n  steps: [\n' } },
    );
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0].line).toEqual(expect.any(Number));
    const invalid = await api('POST', '/v1/workflows/cf-dry/test', {
      body: { yaml: 'workflow:\n  name: cf-dry\n  steps: []\n' },
    });
    expect(invalid.status).toBe(422);
    const other = await api<{ errors: { field: string }[] }>('POST', '/v1/workflows/cf-dry/test', {
      body: { yaml: 'workflow:\n  name: cf-other\n  steps:\n    - { name: a, agent: x }\n' },
    });
    expect(other.status).toBe(422);
    expect(other.body.errors.map((e) => e.field)).toEqual(['yaml']);
  });
});
