import { api, platformState } from './support/platform';

type Problem = { status: number; errors?: { field: string; message: string }[] };

// Inputs the fuzzer (fuzz.e2e-spec.ts) found to break a service, each kept as a plain case.
describe('fuzz regressions', () => {
  it('answers a nested constructor key with 422 naming it, not 500', async () => {
    const subscription = await api<Problem>('POST', '/v1/subscriptions', {
      raw: '{"events":["order.*"],"topic":"fuzz.out","secret":{"constructor":[1,false]}}',
    });
    expect(subscription.status).toBe(422);
    expect(subscription.contentType).toContain('application/problem+json');
    expect(subscription.body.errors?.[0].field).toBe('secret.constructor');

    const workflow = await api<Problem>('POST', '/v1/workflows', {
      raw: '{"workflow":{"name":"x","constructor":[-920670560,false]}}',
    });
    expect(workflow.status).toBe(422);
    expect(workflow.body.errors?.map((e) => e.field).join()).toContain('constructor');
  });

  it('answers a __proto__ key with 422 naming it', async () => {
    const response = await api<Problem>('POST', '/v1/agents', {
      raw: '{"name":"proto-agent","type":"worker","__proto__":{"max_instances":0}}',
    });
    expect(response.status).toBe(422);
    expect(response.body.errors?.[0].field).toBe('__proto__');
  });

  it('answers a NUL character, which Postgres cannot store, with 422 naming the field', async () => {
    const get = await api<Problem>('GET', '/v1/events/%0A%00%0A');
    expect(get.status).toBe(422);
    expect(get.body.errors?.[0].field).toBe('id');

    const publish = await api<Problem>('POST', '/v1/events', {
      body: { type: 'fuzz.nul', data: { note: 'a\u0000b' } },
    });
    expect(publish.status).toBe(422);
    expect(publish.body.errors?.[0].field).toBe('data.note');
  });

  it('refuses a workflow whose strings the store cannot hold, and validate says so too', async () => {
    const yaml =
      'workflow:\n  name: unstorable\n  steps:\n    - name: a\n      agent: fuzz-agent\n      input: "\\udfff"\n';
    const created = await api<Problem>('POST', '/v1/workflows', {
      raw: yaml,
      contentType: 'application/yaml',
    });
    expect(created.status).toBe(422);
    expect(created.body.errors?.[0].field).toMatch(/^workflow\.steps.*input/);

    const asJson = await api<Problem>('POST', '/v1/workflows', {
      raw: '{"workflow":{"name":"unstorable","steps":[{"name":"a","agent":"fuzz-agent","input":"\\udfff"}]}}',
    });
    expect(asJson.status).toBe(422);

    const validated = await api<{ valid: boolean; errors: { path: string }[] }>(
      'POST',
      '/v1/workflows/validate',
      {
        raw: yaml,
        contentType: 'application/yaml',
      },
    );
    expect(validated.status).toBe(200);
    expect(validated.body.valid).toBe(false);
    expect(validated.body.errors.map((e) => e.path).join()).toContain('input');
  });

  it('gives concurrent first creates of one workflow name each their own version', async () => {
    const name = `race-${Date.now()}`;
    const creates = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        api('POST', '/v1/workflows', {
          raw: `workflow:\n  name: ${name}\n  steps:\n    - name: s${i}\n      agent: fuzz-agent\n`,
          contentType: 'application/yaml',
        }),
      ),
    );
    expect(creates.map((c) => c.status)).toEqual([201, 201, 201, 201]);
    const versions = await api<{ items: { version: number }[] }>(
      'GET',
      `/v1/workflows/${name}/versions`,
    );
    expect(versions.body.items.map((v) => v.version)).toEqual([4, 3, 2, 1]);
  });

  it('answers headers larger than the server reads with 431 problem+json', async () => {
    const response = await fetch(`${platformState().gatewayUrl}/v1/agents`, {
      headers: {
        authorization: `Bearer ${platformState().apiKey}`,
        'x-padding': 'x'.repeat(20_000),
      },
    });
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as Problem).status).toBe(431);
  });
});
