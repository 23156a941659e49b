import { parseWorkflowYaml, type WorkflowDefinition } from '@baton/workflow-dsl';
import { planFrom, type RunSnapshot } from './run-planner';

function definitionOf(yaml: string): WorkflowDefinition {
  const result = parseWorkflowYaml(yaml);
  if (!result.definition) throw new Error(JSON.stringify(result.problems));
  return result.definition;
}

const SEED = definitionOf(`
workflow:
  name: customer-inquiry-handler
  trigger: incoming-message
  steps:
    - name: classify-inquiry
      agent: classification-agent
      timeout: 5s
    - name: route-to-specialist
      agent: routing-agent
      input: \${classify-inquiry.output}
    - name: process-inquiry
      agent: \${route-to-specialist.specialist}
      input: \${classify-inquiry.context}
    - name: send-response
      action: send-message
      input: \${process-inquiry.response}
`);

function snapshot(steps: RunSnapshot['steps'] = {}, input: unknown = { text: 'hi' }): RunSnapshot {
  return { runId: 'run-1', workflow: 'customer-inquiry-handler', workflowVersion: 1, input, steps };
}

describe('planFrom', () => {
  it('dispatches the first step with the run input when the step has no input', async () => {
    const plan = await planFrom(SEED, snapshot(), 0);
    expect(plan.move).toMatchObject({
      kind: 'dispatch',
      index: 0,
      target: 'classification-agent',
      input: { text: 'hi' },
    });
  });

  it("resolves the seed's agent expression from an earlier step's output", async () => {
    const plan = await planFrom(
      SEED,
      snapshot({
        'classify-inquiry': {
          status: 'completed',
          output: { category: 'billing', context: { text: 'hi' } },
        },
        'route-to-specialist': { status: 'completed', output: { specialist: 'billing-agent' } },
      }),
      2,
    );
    expect(plan.move).toMatchObject({
      kind: 'dispatch',
      target: 'billing-agent',
      input: { text: 'hi' },
    });
  });

  it('dispatches an action step to its action', async () => {
    const plan = await planFrom(
      SEED,
      snapshot({ 'process-inquiry': { status: 'completed', output: { response: 'hello' } } }),
      3,
    );
    expect(plan.move).toMatchObject({ kind: 'dispatch', target: 'send-message', input: 'hello' });
  });

  it("completes with the last step's output when the workflow declares none", async () => {
    const plan = await planFrom(
      SEED,
      snapshot({ 'send-response': { status: 'completed', output: { delivered: true } } }),
      4,
    );
    expect(plan.move).toEqual({ kind: 'complete', output: { delivered: true } });
  });

  it('skips steps whose condition is false and says which', async () => {
    const definition = definitionOf(`
workflow:
  name: conditional
  output: \${input.n}
  steps:
    - name: only-big
      agent: a
      when: \${input.n} > 10
`);
    const plan = await planFrom(definition, snapshot({}, { n: 3 }), 0);
    expect(plan.skipped).toEqual([{ index: 0, name: 'only-big' }]);
    expect(plan.move).toEqual({ kind: 'complete', output: 3 });
  });

  it('fails with a system_error naming the step when the agent expression resolves to nothing', async () => {
    const plan = await planFrom(
      SEED,
      snapshot({ 'route-to-specialist': { status: 'completed', output: {} } }),
      2,
    );
    expect(plan.move).toEqual({
      kind: 'fail',
      error: {
        type: 'system_error',
        message: "step 'process-inquiry' resolved to no agent",
        step: 'process-inquiry',
      },
    });
  });

  it('turns an expression evaluation error into a system_error, never an exception', async () => {
    const definition = definitionOf(`
workflow:
  name: broken-expression
  steps:
    - name: a
      agent: x
      input: \${$number("not a number")}
`);
    const plan = await planFrom(definition, snapshot(), 0);
    expect(plan.move).toMatchObject({ kind: 'fail', error: { type: 'system_error', step: 'a' } });
  });
});
