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
});
