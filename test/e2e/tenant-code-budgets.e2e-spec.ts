import type { FlowRunView } from '@baton/contracts';
import type { OrchestratePlatform } from '@baton/sdk';
import { api, platformState, sdk } from './support/platform';
import { uniqueName } from './support/scripted-server';

/**
 * Tenant-written code runs under budgets (ADR 0015): a hostile transform is
 * stopped with a 422 naming its budget while the same services keep
 * answering, and a rules agent's catastrophic regex runs in linear time.
 * Latencies are printed for the reader, never asserted.
 */
const run = uniqueName('tc').slice(3);

interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
}

/** Exponential recursion: no depth trouble, endless in time. */
const ENDLESS = '( $f := function($n) { $n > 0 ? ($f($n - 1); $f($n - 1)) : 0 }; $f(60) )';

async function createTransform(name: string, expression: string): Promise<void> {
  const created = await api('POST', '/v1/transforms', { body: { name, expression } });
  expect(created.status).toBe(201);
}

describe('tenant-code budgets: one hostile expression fails alone, nothing stalls', () => {
  let orchestrate: OrchestratePlatform;
  const hostile = `endless-${run}`;
  const huge = `huge-pad-${run}`;
  const ordinary = `ordinary-${run}`;

  beforeAll(async () => {
    orchestrate = sdk();
    await createTransform(hostile, ENDLESS);
    await createTransform(huge, '$pad(data.text, 1000000000)');
    await createTransform(ordinary, '{ "ticket": id, "priority": $uppercase(data.priority) }');
  });

  it('stops an endless transform on the time budget while another request is answered', async () => {
    const event = { id: 'e-1', data: { priority: 'high', text: 'x' } };
    const hostileCall = api<Problem>('POST', `/v1/transforms/${hostile}/preview`, {
      body: { event },
    });
    // Sent while the hostile preview is (or is about to be) evaluating.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const timed = async <T>(call: () => Promise<T>): Promise<[T, number]> => {
      const started = Date.now();
      const result = await call();
      return [result, Date.now() - started];
    };
    // event-manager's own HTTP endpoint is served by the event loop the hostile
    // evaluation runs on: it answers between the evaluation's slices.
    const port = platformState().services.find((s) => s.name === 'event-manager')?.port;
    const liveness = async () => {
      const answers: [number, number][] = [];
      for (let i = 0; i < 5; i++) {
        const [response, ms] = await timed(() => fetch(`http://127.0.0.1:${port}/health/live`));
        answers.push([response.status, ms]);
      }
      return answers;
    };
    const [[live], [other, otherMs], [listed, listMs]] = await Promise.all([
      timed(liveness),
      // The same service's command consumer: may wait behind the hostile preview
      // when both land on one partition, but is answered.
      timed(() => api('POST', `/v1/transforms/${ordinary}/preview`, { body: { event } })),
      timed(() => orchestrate.listAgents()),
    ]);
    const answer = await hostileCall;

    process.stdout.write(
      `tenant-code-budgets: while an endless transform ran to its budget: event-manager ` +
        `/health/live answered in ${live.map(([, ms]) => ms).join(', ')} ms; an ordinary ` +
        `preview in ${otherMs} ms; an agent list (another service) in ${listMs} ms\n`,
    );
    expect(live.map(([status]) => status)).toEqual([200, 200, 200, 200, 200]);
    expect(other.status).toBe(200);
    expect(other.body).toEqual({ ok: true, result: { ticket: 'e-1', priority: 'HIGH' } });
    expect(Array.isArray(listed.items)).toBe(true);
    expect(answer.status).toBe(422);
    expect(answer.contentType).toMatch(/application\/problem\+json/);
    expect(answer.body.errors).toEqual([
      {
        field: 'expression',
        message: expect.stringMatching(/^exceeded the time budget of \d+ ms$/),
      },
    ]);
  });

  it('refuses a billion-wide $pad on the value-size budget before allocating it', async () => {
    const answer = await api<Problem>('POST', `/v1/transforms/${huge}/preview`, {
      body: { event: { id: 'e-2', data: { text: 'x' } } },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.errors?.[0]).toEqual({
      field: 'expression',
      message: expect.stringMatching(/^exceeded the value size budget of \d+ characters$/),
    });
  });

  it('refuses a transform whose regex RE2 cannot run when it is created, naming the field', async () => {
    const created = await api<Problem>('POST', '/v1/transforms', {
      body: { name: `backref-${run}`, expression: '$match(data.text, /(a)\\1/)' },
    });
    expect(created.status).toBe(422);
    expect(created.body.errors?.[0].field).toBe('expression');
    expect(created.body.errors?.[0].message).toMatch(/not a supported regular expression/);
  });

  it('runs a rules agent whose regex is catastrophic for a backtracking engine, in linear time', async () => {
    const name = `regex-rules-${run}`;
    await orchestrate.registerAgent({
      name,
      type: 'classifier',
      runtime: 'rules',
      capabilities: ['classify'],
      config: { rules: [{ when: { regex: '^(a+)+$' }, output: 'all-a' }], default: 'other' },
    });
    const started = Date.now();
    const answer = await orchestrate.invokeAgent({
      agent_id: name,
      input: { text: `${'a'.repeat(50_000)}!` },
      timeout: 30_000,
    });
    process.stdout.write(
      `tenant-code-budgets: (a+)+$ on 50,001 characters answered in ${Date.now() - started} ms\n`,
    );
    expect(answer.output).toBe('other');
  });

  it('fails a workflow step whose input template outgrows the value-size budget, naming it', async () => {
    const agent = `budget-echo-${run}`;
    await orchestrate.registerAgent({
      name: agent,
      type: 'classifier',
      runtime: 'rules',
      config: { rules: [], default: { ok: true } },
    });
    const workflow = `budget-step-${run}`;
    await orchestrate.createWorkflow({
      name: workflow,
      steps: [{ name: 'huge', agent, input: { text: '${$pad(input.text, 1000000000)}' } }],
    });
    const started = await orchestrate.startRun(workflow, { text: 'x' });
    const view = (await orchestrate.waitForRun(started.id, 30_000)) as FlowRunView;
    expect(view.status).toBe('failed');
    expect(view.error?.type).toBe('system_error');
    expect(view.error?.message).toMatch(
      /^step 'huge' input: exceeded the value size budget of \d+ characters( at position \d+)? in expression "\$pad/,
    );
  });

  it('refuses a rules agent whose regex uses lookbehind, naming the field', async () => {
    const created = await api<Problem>('POST', '/v1/agents', {
      body: {
        name: `lookbehind-rules-${run}`,
        type: 'classifier',
        runtime: 'rules',
        config: { rules: [{ when: { regex: '(?<=a)b' }, output: 1 }] },
      },
    });
    expect(created.status).toBe(422);
    expect(created.body.errors?.map((e) => e.field)).toContain('config.rules[0].when.regex');
  });
});

describe('documents are bounded before anything recursive reads them', () => {
  it('answers a JSON body nested 10,000 deep with 422 naming the body and the limit', async () => {
    const levels = 10_000;
    const response = await api<Problem>('POST', '/v1/transforms', {
      raw: `{"name":"deep","expression":"x","extra":${'['.repeat(levels)}${']'.repeat(levels)}}`,
    });
    expect(response.status).toBe(422);
    expect(response.contentType).toMatch(/application\/problem\+json/);
    expect(response.body.errors?.[0]).toEqual({
      field: 'body',
      message: expect.stringMatching(/^nests objects and arrays deeper than \d+ levels$/),
    });
  });

  it('answers a body past the size limit with 413 naming the limit', async () => {
    const response = await api<Problem>('POST', '/v1/transforms', {
      raw: JSON.stringify({ name: 'big', expression: `"${'x'.repeat(2 * 1_048_576)}"` }),
    });
    expect(response.status).toBe(413);
    expect(response.body.errors?.[0]).toEqual({
      field: 'body',
      message: expect.stringMatching(/^is larger than \d+ bytes$/),
    });
  });

  it('answers a billion-laughs workflow with 422 naming the alias limit, quickly and without harm', async () => {
    const lists = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
    ]) {
      lists.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const yaml = `workflow:\n  name: lol-${run}\n  output:\n${lists.map((l) => `    ${l}`).join('\n')}\n`;
    const response = await api<Problem>('POST', '/v1/workflows', {
      raw: yaml,
      contentType: 'application/yaml',
    });
    expect(response.status).toBe(422);
    expect(response.body.detail).toMatch(/expands more than \d+ aliases/);
  });
});
