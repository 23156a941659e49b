import { dryRunOf, statuses } from './testing/workflows';

const run = dryRunOf;

describe('dry run: switch', () => {
  const ROUTER = `
workflow:
  name: router
  steps:
    - name: classify
      agent: classifier
    - name: route
      switch:
        - when: \${classify.category = "billing"}
          steps:
            - { name: bill, agent: billing, input: "\${classify.category}" }
        - when: \${classify.category = "spam"}
          goto: done
        - default: true
          steps:
            - { name: general, agent: general }
    - name: reply
      agent: replier
    - name: done
      agent: closer
`;

  it('runs the nested steps of the first matching case, then goes on after the switch', async () => {
    const result = await run(ROUTER, {
      classify: { output: { category: 'billing' } },
      bill: { output: { invoice: 7 } },
      closer: { output: 'x' },
      done: { output: 'closed' },
    });
    expect(result.status).toBe('completed');
    expect(result.steps.map((s) => s.key)).toEqual([
      'classify',
      'route',
      'route.bill',
      'reply',
      'done',
    ]);
    expect(result.steps.find((s) => s.key === 'route.bill')?.input).toBe('billing');
    // A switch's output is its branch's last output.
    expect(result.steps.find((s) => s.key === 'route')?.output).toEqual({ invoice: 7 });
    expect(result.output).toBe('closed');
  });

  it('jumps with goto, skipping the steps in between', async () => {
    const result = await run(ROUTER, {
      classify: { output: { category: 'spam' } },
      done: { output: 'closed' },
    });
    expect(result.steps.map((s) => s.key)).toEqual(['classify', 'route', 'done']);
    expect(result.steps[1].output).toEqual({ case: 2, goto: 'done' });
  });

  it('takes the default case when nothing matches', async () => {
    const result = await run(ROUTER, { classify: { output: { category: 'other' } } });
    expect(result.steps.map((s) => s.key)).toContain('route.general');
  });

  it('counts a step reached again by goto as a new execution', async () => {
    const result = await run(
      `
workflow:
  name: loop
  steps:
    - name: poll
      agent: poller
    - name: check
      switch:
        - when: \${poll.ready = false}
          goto: poll
    - name: finish
      agent: finisher
`,
      {
        poll: [{ output: { ready: false } }, { output: { ready: true } }],
        finish: { output: 'ok' },
      },
    );
    expect(result.steps.map((s) => s.key)).toEqual([
      'poll',
      'check',
      'poll#2',
      'check#2',
      'finish',
    ]);
    expect(result.output).toBe('ok');
  });
});

describe('dry run: parallel and foreach', () => {
  it('joins all branches into a list of their outputs, in branch order', async () => {
    const result = await run(
      `
workflow:
  name: fan-out
  steps:
    - name: fan
      parallel:
        branches:
          - steps: [{ name: a, agent: x }]
          - steps: [{ name: b, agent: y }, { name: c, agent: z, input: "\${b.output}" }]
`,
      { a: { output: 1 }, b: { output: 2 }, c: { output: 3 } },
    );
    expect(result.output).toEqual([1, 3]);
    expect(result.steps.find((s) => s.key === 'fan[1].c')?.input).toBe(2);
  });

  it('fails an all-join with the first failing branch and cancels the rest', async () => {
    const result = await run(
      `
workflow:
  name: fan-out
  steps:
    - name: fan
      parallel:
        branches:
          - steps: [{ name: a, agent: x }, { name: a2, agent: x }]
          - steps: [{ name: b, agent: y }]
`,
      { a: { output: 1 }, b: { error: { type: 'system_error', message: 'down' } } },
    );
    expect(result.status).toBe('failed');
    expect(result.error).toEqual({ type: 'system_error', message: 'down', step: 'b' });
    expect(statuses(result)).toMatchObject({ fan: 'failed', 'fan[1].b': 'failed' });
  });

  it('lets an any-join succeed when one branch fails and another succeeds', async () => {
    const result = await run(
      `
workflow:
  name: race
  steps:
    - name: race
      parallel:
        join: any
        branches:
          - steps: [{ name: a, agent: x }]
          - steps: [{ name: b, agent: y }]
`,
      { a: { error: { type: 'system_error', message: 'no' } }, b: { output: 'b wins' } },
    );
    expect(result.status).toBe('completed');
    expect(result.output).toBe('b wins');
  });

  it('runs foreach iterations at most `concurrency` at a time and collects outputs in order', async () => {
    const result = await run(
      `
workflow:
  name: each
  steps:
    - name: each
      foreach:
        items: \${input.orders}
        as: order
        concurrency: 2
        steps:
          - name: charge
            agent: charger
            input: { id: "\${order.id}", position: "\${index}" }
`,
      { charge: [{ output: 'c0' }, { output: 'c1' }, { output: 'c2' }] },
      { orders: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] },
    );
    expect(result.output).toEqual(['c0', 'c1', 'c2']);
    const dispatched = result.trace.filter((t) => t.type === 'dry-run.dispatched');
    expect(dispatched.map((t) => [t.path, t.input])).toEqual([
      ['each[0].charge', { id: 'a', position: 0 }],
      ['each[1].charge', { id: 'b', position: 1 }],
      ['each[2].charge', { id: 'c', position: 2 }],
    ]);
    // The third iteration starts only after one of the first two finished.
    const started = result.trace.map((t) => `${t.type}:${t.path}`);
    expect(started.indexOf('workflow.step.started:each[2].charge')).toBeGreaterThan(
      started.indexOf('workflow.step.completed:each[0].charge'),
    );
  });

  it('fails a foreach whose items are not a list', async () => {
    const result = await run(
      `
workflow:
  name: each
  steps:
    - name: each
      foreach:
        items: \${input.orders}
        steps: [{ name: charge, agent: charger }]
`,
      {},
      { orders: 'abc' },
    );
    expect(result.error).toEqual({
      type: 'system_error',
      message: "step 'each' items must be a list, not string",
      step: 'each',
    });
  });
});
