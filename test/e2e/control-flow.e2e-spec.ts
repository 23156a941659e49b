import type { FlowRunView } from '@baton/contracts';
import { AgentWorker, TaskError, type OrchestratePlatform } from '@baton/sdk';
import { platformState, sdk } from './support/platform';

/**
 * switch, parallel, foreach, sub-workflows, output_schema and the dry run, on
 * the real engine with SDK workers serving the agents over Kafka.
 */
describe('control flow', () => {
  let orchestrate: OrchestratePlatform;
  const workers: AgentWorker[] = [];
  let chargesInFlight = 0;
  let maxChargesInFlight = 0;

  const run = async (workflow: string, input: Record<string, unknown> = {}) => {
    const started = await orchestrate.startRun(workflow, input);
    return (await orchestrate.waitForRun(started.id, 30_000)) as FlowRunView;
  };
  const step = (view: FlowRunView, path: string) => view.steps.find((s) => s.path === path);

  beforeAll(async () => {
    orchestrate = sdk();
    const brokers = platformState().kafkaBrokers.split(',');
    const agents: [string, ConstructorParameters<typeof AgentWorker>[0]['handler'], number?][] = [
      ['cf-echo', (input, task) => ({ echoed: input, step: task.step })],
      ['cf-fast', () => ({ winner: 'fast' })],
      [
        'cf-slow',
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 2500));
          return { winner: 'slow' };
        },
      ],
      [
        'cf-charge',
        async (input) => {
          chargesInFlight++;
          maxChargesInFlight = Math.max(maxChargesInFlight, chargesInFlight);
          await new Promise((resolve) => setTimeout(resolve, 150));
          chargesInFlight--;
          const { id, index } = input as { id: string; index: number };
          return { charged: id, index };
        },
        3,
      ],
      [
        'cf-boom',
        () => {
          throw new TaskError('system_error', 'card processor down');
        },
      ],
      ['cf-quote', () => ({ total: 'twelve' })],
    ];
    for (const [name, , instances] of agents) {
      await orchestrate.registerAgent({ name, type: 'worker', max_instances: instances ?? 1 });
    }
    for (const [agent, handler, instances] of agents) {
      for (let i = 0; i < (instances ?? 1); i++)
        workers.push(new AgentWorker({ agent, handler, brokers }));
    }
    await Promise.all(workers.map((w) => w.start()));
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
  });

  describe('switch', () => {
    beforeAll(async () => {
      await orchestrate.createWorkflow(`
workflow:
  name: cf-switch
  steps:
    - name: classify
      agent: cf-echo
    - name: route
      switch:
        - when: \${classify.echoed.kind = "vip"}
          steps:
            - name: vip
              agent: cf-echo
              input: { treatment: gold }
        - when: \${classify.echoed.kind = "spam"}
          goto: close
        - default: true
          steps:
            - { name: standard, agent: cf-echo, input: { treatment: plain } }
    - name: reply
      agent: cf-echo
      input: \${route.output}
    - name: close
      agent: cf-echo
      input: { closed: true }
`);
    });

    it('runs the nested steps of the matching case, then the steps after the switch', async () => {
      const view = await run('cf-switch', { kind: 'vip' });
      expect(view.status).toBe('completed');
      expect(view.steps.map((s) => [s.path, s.status])).toEqual([
        ['classify', 'completed'],
        ['route', 'completed'],
        ['route.vip', 'completed'],
        ['reply', 'completed'],
        ['close', 'completed'],
      ]);
      expect(step(view, 'route')).toMatchObject({ kind: 'switch', input: { case: 1 } });
      expect(step(view, 'reply')?.input).toEqual({ echoed: { treatment: 'gold' }, step: 'vip' });
    });

    it('jumps with goto past the steps in between', async () => {
      const view = await run('cf-switch', { kind: 'spam' });
      expect(view.status).toBe('completed');
      expect(view.steps.map((s) => s.path)).toEqual(['classify', 'route', 'close']);
      expect(step(view, 'route')?.output).toEqual({ case: 2, goto: 'close' });
      expect(view.output).toEqual({ echoed: { closed: true }, step: 'close' });
    });

    it('takes the default case when no case matches', async () => {
      const view = await run('cf-switch', { kind: 'regular' });
      expect(view.steps.map((s) => s.path)).toEqual([
        'classify',
        'route',
        'route.standard',
        'reply',
        'close',
      ]);
    });
  });

  describe('parallel', () => {
    it('join all: runs every branch and collects their outputs in branch order', async () => {
      await orchestrate.createWorkflow({
        name: 'cf-fan-out',
        steps: [
          {
            name: 'fan',
            parallel: {
              join: 'all',
              branches: [
                { steps: [{ name: 'left', agent: 'cf-echo', input: { side: 'left' } }] },
                {
                  steps: [
                    { name: 'right1', agent: 'cf-echo', input: { side: 'right' } },
                    { name: 'right2', agent: 'cf-echo', input: '${right1.echoed}' },
                  ],
                },
              ],
            },
          },
        ],
      });
      const view = await run('cf-fan-out');
      expect(view.status).toBe('completed');
      expect(view.output).toEqual([
        { echoed: { side: 'left' }, step: 'left' },
        { echoed: { side: 'right' }, step: 'right2' },
      ]);
      expect(view.steps.map((s) => s.path).sort()).toEqual([
        'fan',
        'fan[0].left',
        'fan[1].right1',
        'fan[1].right2',
      ]);
    });

    it('join any: completes with the first branch and ignores the slower one', async () => {
      await orchestrate.createWorkflow({
        name: 'cf-race',
        steps: [
          {
            name: 'race',
            parallel: {
              join: 'any',
              branches: [
                { steps: [{ name: 'lazy', agent: 'cf-slow' }] },
                { steps: [{ name: 'quick', agent: 'cf-fast' }] },
              ],
            },
          },
        ],
      });
      const view = await run('cf-race');
      expect(view.status).toBe('completed');
      expect(view.output).toEqual({ winner: 'fast' });
      expect(step(view, 'race[0].lazy')?.status).toBe('cancelled');
      // The slow agent still answers after 2.5 s: the answer must change nothing.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const later = (await orchestrate.getRun(view.id)) as FlowRunView;
      expect(later.status).toBe('completed');
      expect(step(later, 'race[0].lazy')).toMatchObject({ status: 'cancelled', output: null });
    });
  });

  it('foreach: runs at most `concurrency` items at once and collects outputs in item order', async () => {
    await orchestrate.createWorkflow(`
workflow:
  name: cf-each
  steps:
    - name: charges
      foreach:
        items: \${input.orders}
        as: order
        concurrency: 2
        steps:
          - name: charge
            agent: cf-charge
            input: { id: "\${order.id}", index: "\${index}" }
`);
    const orders = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
    const view = await run('cf-each', { orders });
    expect(view.status).toBe('completed');
    expect(view.output).toEqual(orders.map((o, index) => ({ charged: o.id, index })));
    expect(view.steps.filter((s) => s.name === 'charge').map((s) => s.path)).toEqual(
      expect.arrayContaining(orders.map((_, i) => `charges[${i}].charge`)),
    );
    expect(maxChargesInFlight).toBeGreaterThanOrEqual(1);
    expect(maxChargesInFlight).toBeLessThanOrEqual(2);
  });

  describe('sub-workflows', () => {
    beforeAll(async () => {
      await orchestrate.createWorkflow({
        name: 'cf-child',
        input_schema: { type: 'object', required: ['n'] },
        steps: [{ name: 'work', agent: 'cf-echo', input: { n: '${input.n}' } }],
        output: '${work.echoed}',
      });
      await orchestrate.createWorkflow({
        name: 'cf-parent',
        steps: [
          { name: 'delegate', workflow: 'cf-child', input: { n: '${input.n}' } },
          { name: 'after', agent: 'cf-echo', input: '${delegate.output}' },
        ],
      });
      await orchestrate.createWorkflow({
        name: 'cf-failing-child',
        steps: [{ name: 'pay', agent: 'cf-boom' }],
      });
      await orchestrate.createWorkflow({
        name: 'cf-parent-of-failure',
        steps: [{ name: 'delegate', workflow: 'cf-failing-child' }],
      });
    });

    it("starts a child run linked to the parent; the child's output completes the step", async () => {
      const view = await run('cf-parent', { n: 5 });
      expect(view.status).toBe('completed');
      const delegate = step(view, 'delegate')!;
      expect(delegate).toMatchObject({
        kind: 'workflow',
        workflow: 'cf-child',
        status: 'completed',
        output: { n: 5 },
      });
      expect(step(view, 'after')?.input).toEqual({ n: 5 });
      const child = (await orchestrate.getRun(delegate.child_run_id!)) as FlowRunView;
      expect(child).toMatchObject({
        workflow: 'cf-child',
        status: 'completed',
        parent_run_id: view.id,
        input: { n: 5 },
        output: { n: 5 },
      });
    });

    it("fails the parent's step with the child's error", async () => {
      const view = await run('cf-parent-of-failure');
      expect(view.status).toBe('failed');
      expect(view.error).toEqual({ type: 'system_error', message: 'card processor down' });
      const child = await orchestrate.getRun(step(view, 'delegate')!.child_run_id!);
      expect(child.status).toBe('failed');
    });

    it("fails the step with a validation_error when the child's input_schema refuses the input", async () => {
      await orchestrate.createWorkflow({
        name: 'cf-parent-bad-input',
        steps: [{ name: 'delegate', workflow: 'cf-child', input: { m: 1 } }],
      });
      const view = await run('cf-parent-bad-input');
      expect(view.status).toBe('failed');
      expect(view.error?.type).toBe('validation_error');
      expect(view.error?.message).toContain("workflow 'cf-child' could not start");
    });
  });

  it('an expression that fails at run time fails its step with a system_error naming both', async () => {
    await orchestrate.createWorkflow({
      name: 'cf-bad-expression',
      steps: [
        {
          name: 'lines',
          foreach: {
            items: '${$split(input.text, 3)}',
            steps: [{ name: 'line', agent: 'cf-echo' }],
          },
        },
      ],
    });
    const view = await run('cf-bad-expression', { text: 'a,b' });
    expect(view.status).toBe('failed');
    expect(view.error?.type).toBe('system_error');
    expect(view.error?.message).toMatch(
      /^step 'lines' items: .*in expression "\$split\(input\.text, 3\)"$/,
    );
    expect(step(view, 'lines')).toMatchObject({ status: 'failed', kind: 'foreach' });
  });

  it('output_schema: a bad agent output is a validation_error that goes through the handlers', async () => {
    await orchestrate.createWorkflow(`
workflow:
  name: cf-schema
  error_handlers: { validation_error: return-to-user }
  steps:
    - name: quote
      agent: cf-quote
      output_schema:
        type: object
        required: [total]
        properties: { total: { type: number } }
`);
    const view = await run('cf-schema');
    const message =
      "step 'quote' output does not match its output_schema: output.total must be number";
    expect(view.status).toBe('failed');
    expect(view.error).toEqual({ type: 'validation_error', message });
    expect(view.output).toEqual({ type: 'validation_error', message, step: 'quote' });
    expect(step(view, 'quote')).toMatchObject({ status: 'failed', attempts: 1 });
  });
});
