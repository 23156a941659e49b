import { AgentWorker, type OrchestratePlatform } from '@baton/sdk';
import type { RunView } from '@baton/contracts';
import { Gate } from './support/gate';
import { api, eventually, platformState, sdk } from './support/platform';

const V1 = `workflow:
  name: versioned-flow
  description: first cut
  steps:
    - name: greet
      agent: version-probe-agent
      input:
        says: hello
`;

const V2 = `workflow:
  name: versioned-flow
  description: second cut
  steps:
    - name: greet
      agent: version-gate-agent
      input:
        says: hello again
    - name: sign-off
      agent: version-probe-agent
      input:
        says: bye
`;

/** Immutable versions, their history and diff, and rollback that leaves started runs pinned. */
describe('workflow versions', () => {
  let orchestrate: OrchestratePlatform;
  const gate = new Gate();
  const workers: AgentWorker[] = [];

  beforeAll(async () => {
    orchestrate = sdk();
    const brokers = platformState().kafkaBrokers.split(',');
    await orchestrate.registerAgent({ name: 'version-probe-agent', type: 'worker' });
    await orchestrate.registerAgent({ name: 'version-gate-agent', type: 'worker' });
    const echo = (input: unknown) => ({ said: (input as { says: string }).says });
    workers.push(
      new AgentWorker({ agent: 'version-probe-agent', brokers, handler: echo }),
      // Holds v2's first step until the test has rolled back.
      new AgentWorker({
        agent: 'version-gate-agent',
        brokers,
        handler: async (input) => {
          await gate.pass('v2-greet');
          return echo(input);
        },
      }),
    );
    await Promise.all(workers.map((w) => w.start()));
  });

  afterAll(async () => {
    gate.openAll();
    await Promise.all(workers.map((w) => w.stop()));
  });

  const postYaml = (yaml: string) =>
    api('POST', '/v1/workflows', { raw: yaml, contentType: 'application/yaml' });

  it('keeps every version, shows each document and diffs two of them', async () => {
    expect((await postYaml(V1)).status).toBe(201);
    expect((await postYaml(V2)).status).toBe(201);
    // The same document as the active version again is not a new version: 200 with that version,
    // however it is written (comments, key order, or JSON instead of YAML).
    const again = await postYaml(V2);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ name: 'versioned-flow', version: 2 });
    const reformatted = await postYaml(
      `# the same, reformatted\n${V2.replace('  description: second cut\n', '')}`.replace(
        'workflow:\n',
        'workflow:\n  description: "second cut"  # moved\n',
      ),
    );
    expect(reformatted.status).toBe(200);
    expect(reformatted.body).toMatchObject({ version: 2 });
    const asJson = await api('POST', '/v1/workflows', {
      body: {
        workflow: {
          steps: [
            { name: 'greet', agent: 'version-gate-agent', input: { says: 'hello again' } },
            { name: 'sign-off', agent: 'version-probe-agent', input: { says: 'bye' } },
          ],
          description: 'second cut',
          name: 'versioned-flow',
        },
      },
    });
    expect(asJson.status).toBe(200);
    expect(asJson.body).toMatchObject({ version: 2 });
    // Identical documents sent at once all answer the active version.
    const concurrent = await Promise.all([postYaml(V2), postYaml(V2), postYaml(V2)]);
    expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200]);

    const list = await api('GET', '/v1/workflows/versioned-flow/versions');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      name: 'versioned-flow',
      active_version: 2,
      latest_version: 2,
      next_cursor: null,
      items: [
        { version: 2, active: true, description: 'second cut', trigger: { kind: 'http' } },
        { version: 1, active: false, description: 'first cut', trigger: { kind: 'http' } },
      ],
    });
    const firstPage = await api<{ items: { version: number }[]; next_cursor: string }>(
      'GET',
      '/v1/workflows/versioned-flow/versions?limit=1',
    );
    expect(firstPage.body.items.map((v) => v.version)).toEqual([2]);
    const secondPage = await api<{ items: { version: number }[]; next_cursor: string | null }>(
      'GET',
      `/v1/workflows/versioned-flow/versions?limit=1&cursor=${firstPage.body.next_cursor}`,
    );
    expect(secondPage.body).toMatchObject({ items: [{ version: 1 }], next_cursor: null });

    const v1 = await api('GET', '/v1/workflows/versioned-flow/versions/1');
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({
      name: 'versioned-flow',
      version: 1,
      active: false,
      steps: ['greet'],
      source: V1,
    });

    const diff = await api('GET', '/v1/workflows/versioned-flow/diff?from=1&to=2');
    expect(diff.status).toBe(200);
    expect(diff.body).toEqual({
      name: 'versioned-flow',
      from: 1,
      to: 2,
      added: 6,
      removed: 2,
      diff: [
        '--- versioned-flow v1',
        '+++ versioned-flow v2',
        '@@ -1,8 +1,12 @@',
        ' workflow:',
        '   name: versioned-flow',
        '-  description: first cut',
        '+  description: second cut',
        '   steps:',
        '     - name: greet',
        '+      agent: version-gate-agent',
        '+      input:',
        '+        says: hello again',
        '+    - name: sign-off',
        '       agent: version-probe-agent',
        '       input:',
        '-        says: hello',
        '+        says: bye',
        '',
      ].join('\n'),
    });
    const same = await api('GET', '/v1/workflows/versioned-flow/diff?from=2&to=2');
    expect(same.body).toMatchObject({ diff: '', added: 0, removed: 0 });
  });

  it('answers 404 for a version or workflow that does not exist and 422 for a bad number', async () => {
    const missing = await api('GET', '/v1/workflows/versioned-flow/versions/99');
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/problem+json');
    expect((await api('GET', '/v1/workflows/no-such-flow/versions')).status).toBe(404);
    expect((await api('POST', '/v1/workflows/versioned-flow/versions/99/activate')).status).toBe(
      404,
    );
    const bad = await api('GET', '/v1/workflows/versioned-flow/versions/latest');
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ errors: [{ field: 'version' }] });
    const badDiff = await api('GET', '/v1/workflows/versioned-flow/diff?from=1');
    expect(badDiff.status).toBe(422);
    expect((badDiff.body as { errors: { field: string }[] }).errors).toContainEqual(
      expect.objectContaining({ field: 'to' }),
    );
  });

  it('rolls back: new runs use the activated version, a started run keeps its own', async () => {
    // A run of v2, held at its first step.
    const pinned = await eventually(
      async () => {
        const started = await api<RunView>('POST', '/v1/workflows/versioned-flow/runs', {
          body: { input: {} },
        });
        return started.status === 201 ? started.body : undefined;
      },
      20_000,
      'a run of version 2',
    );
    expect(pinned.workflow_version).toBe(2);
    await gate.arrived('v2-greet');

    const activated = await api('POST', '/v1/workflows/versioned-flow/versions/1/activate');
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ version: 1, active: true });
    expect((await api('GET', '/v1/workflows/versioned-flow')).body).toMatchObject({ version: 1 });
    const versions = await api('GET', '/v1/workflows/versioned-flow/versions');
    expect(versions.body).toMatchObject({ active_version: 1, latest_version: 2 });

    const rolledBack = await orchestrate.waitForRun(
      (await orchestrate.startRun('versioned-flow', {})).id,
    );
    expect(rolledBack).toMatchObject({ workflow_version: 1, status: 'completed' });
    expect(rolledBack.steps.map((s) => [s.name, s.output])).toEqual([['greet', { said: 'hello' }]]);

    gate.open('v2-greet');
    const finished = await orchestrate.waitForRun(pinned.id);
    expect(finished).toMatchObject({ workflow_version: 2, status: 'completed' });
    expect(finished.steps.map((s) => [s.name, s.output])).toEqual([
      ['greet', { said: 'hello again' }],
      ['sign-off', { said: 'bye' }],
    ]);

    // Activation is recorded in the event store.
    const activation = await eventually(
      async () => {
        const events = await api<{ items: { data: unknown }[] }>(
          'GET',
          '/v1/events?type=workflow.version.activated&subject=versioned-flow',
        );
        return events.body.items[0];
      },
      15_000,
      'the workflow.version.activated event',
    );
    expect(activation.data).toEqual({
      workflow: 'versioned-flow',
      version: 1,
      previous_version: 2,
    });
  });
});

const BROKEN = `workflow:
  name: broken-flow
  trigger: incoming-message
  steps:
    - name: classify
      agent: validate-known-agent
      timeout: 5 parsecs
    - name: route
      agent: ghost-agent
      input: \${classify.output
      on_error: nowhere
`;

/** POST /v1/workflows/validate: every problem with its YAML line and column, nothing stored. */
describe('workflow validation', () => {
  beforeAll(async () => {
    await sdk().registerAgent({ name: 'validate-known-agent', type: 'worker' });
  });

  it('reports every error and warning of a YAML document with line and column', async () => {
    const response = await api('POST', '/v1/workflows/validate', {
      raw: BROKEN,
      contentType: 'application/yaml',
    });
    expect(response.status).toBe(200);
    const report = response.body as {
      valid: boolean;
      errors: unknown[];
      warnings: unknown[];
    };
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([
      expect.objectContaining({
        code: 'DSL.BAD_DURATION',
        path: 'workflow.steps[0].timeout',
        line: 7,
        column: 16,
      }),
      expect.objectContaining({
        code: 'EXPR.PARSE',
        path: 'workflow.steps[1].input',
        line: 10,
        column: 14,
      }),
      expect.objectContaining({
        code: 'DSL.UNKNOWN_STEP',
        path: 'workflow.steps[1].on_error',
        line: 11,
        column: 17,
      }),
    ]);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({
        code: 'DSL.UNKNOWN_AGENT',
        path: 'workflow.steps[1].agent',
        line: 9,
        column: 14,
        message: 'agent "ghost-agent" is not registered',
      }),
    );
    // Nothing was stored.
    expect((await api('GET', '/v1/workflows/broken-flow')).status).toBe(404);
  });

  it('points at malformed YAML', async () => {
    const response = await api('POST', '/v1/workflows/validate', {
      raw: 'workflow:\n  name: x\n  steps: [\n',
      contentType: 'application/yaml',
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      valid: false,
      errors: [{ code: 'DSL.INVALID_YAML', line: 4, column: 1 }],
    });
  });

  it('accepts a valid JSON document and knows the registered agents', async () => {
    const report = await eventually(
      async () => {
        const response = await api<{ valid: boolean; warnings: unknown[] }>(
          'POST',
          '/v1/workflows/validate',
          {
            body: {
              workflow: {
                name: 'fine-flow',
                steps: [{ name: 'only', agent: 'validate-known-agent', timeout: '2s' }],
              },
            },
          },
        );
        // The engine learns of agents from agent-manager's events: wait until it has.
        return response.body.warnings.length === 0 ? response.body : undefined;
      },
      15_000,
      'the agent to be known',
    );
    expect(report).toEqual({ valid: true, errors: [], warnings: [] });
  });
});
