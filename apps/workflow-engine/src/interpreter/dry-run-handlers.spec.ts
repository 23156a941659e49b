import { dryRunOf, statuses } from './testing/workflows';

const run = dryRunOf;

describe('dry run: errors and handlers', () => {
  it('jumps to the on_error step and completes the run from there', async () => {
    const result = await run(
      `
workflow:
  name: jump
  steps:
    - { name: risky, agent: x, on_error: fallback }
    - { name: normal, agent: y }
    - name: fallback
      agent: z
      input: "\${risky.error.message}"
`,
      {
        risky: { error: { type: 'system_error', message: 'broken' } },
        fallback: { output: 'saved' },
      },
    );
    expect(result.status).toBe('completed');
    expect(statuses(result)).toEqual({ risky: 'failed', fallback: 'completed' });
    expect(result.steps[1].input).toBe('broken');
  });

  it('notify-admin emits an alert and the run still fails', async () => {
    const result = await run(
      `
workflow:
  name: alerting
  error_handlers: { timeout: notify-admin }
  steps:
    - { name: slow, agent: x, timeout: 1s }
`,
      { slow: { error: { type: 'timeout' } } },
    );
    expect(result.status).toBe('failed');
    expect(result.trace).toContainEqual(
      expect.objectContaining({
        type: 'workflow.alert',
        step: 'slow',
        error: { type: 'timeout', message: "step 'slow' timed out after 1s" },
      }),
    );
  });

  it('return-to-user ends the run failed with a user-facing payload as output', async () => {
    const result = await run(
      `
workflow:
  name: picky
  error_handlers: { validation_error: return-to-user }
  steps:
    - { name: check, agent: x }
`,
      { check: { error: { type: 'validation_error', message: 'order id missing' } } },
    );
    expect(result).toMatchObject({
      status: 'failed',
      output: { type: 'validation_error', message: 'order id missing', step: 'check' },
      error: { type: 'validation_error', message: 'order id missing' },
    });
  });

  it('escalate parks the step until the resolution arrives, then goes on', async () => {
    const yaml = `
workflow:
  name: escalating
  error_handlers: { default: escalate }
  steps:
    - { name: decide, agent: x }
    - { name: after, agent: y, input: "\${decide.output}" }
`;
    const pending = await run(yaml, { decide: { error: { type: 'system_error', message: 'x' } } });
    expect(pending.status).toBe('running');
    expect(pending.steps[0]).toMatchObject({
      status: 'waiting',
      waitingFor: { type: 'workflow.escalation.resolved', correlation: 'dry-run' },
    });
    const resolved = await run(yaml, {
      decide: { error: { type: 'system_error', message: 'x' }, escalation: { approved: true } },
      after: { output: 'done' },
    });
    expect(resolved.status).toBe('completed');
    expect(resolved.steps[1].input).toEqual({ approved: true });
  });

  it('a workflow handler runs the named workflow with the error and takes its output', async () => {
    const result = await run(
      `
workflow:
  name: with-handler
  steps:
    - { name: risky, agent: x, on_error: "workflow:cleanup" }
`,
      { risky: { error: { type: 'system_error', message: 'boom' } }, tidy: { output: 'tidied' } },
      {},
      {
        cleanup: `
workflow:
  name: cleanup
  steps:
    - { name: tidy, agent: janitor, input: "\${input.error.message}" }
`,
      },
    );
    expect(result.status).toBe('completed');
    expect(result.output).toBe('tidied');
    const child = result.trace.find((t) => t.type === 'dry-run.child');
    expect(child).toMatchObject({ workflow: 'cleanup', status: 'completed' });
  });

  it('a step handler of error_handlers jumps to that top-level step', async () => {
    const result = await run(
      `
workflow:
  name: handled
  error_handlers: { system_error: apologise }
  steps:
    - name: fan
      parallel:
        branches:
          - steps: [{ name: a, agent: x }]
    - { name: normal, agent: y }
    - { name: apologise, agent: z }
`,
      { a: { error: { type: 'system_error', message: 'down' } }, apologise: { output: 'sorry' } },
    );
    expect(result.status).toBe('completed');
    expect(result.output).toBe('sorry');
    expect(statuses(result)).toMatchObject({ fan: 'failed', apologise: 'completed' });
  });

  it('fails a step whose output does not match its output_schema with a validation_error', async () => {
    const result = await run(
      `
workflow:
  name: schema
  steps:
    - name: quote
      agent: x
      output_schema:
        type: object
        required: [total]
        properties: { total: { type: number } }
`,
      { quote: { output: { total: 'twelve' } } },
    );
    expect(result.error).toEqual({
      type: 'validation_error',
      message: "step 'quote' output does not match its output_schema: output.total must be number",
      step: 'quote',
    });
  });

  it('retries with virtual backoff and succeeds on a later attempt', async () => {
    const result = await run(
      `
workflow:
  name: retry
  retry_policy: { max_attempts: 3, backoff: exponential, initial_delay: 100 }
  steps:
    - { name: flaky, agent: x }
`,
      {
        flaky: [
          { error: { type: 'system_error', message: '1' } },
          { error: { type: 'system_error', message: '2' } },
          { output: 'third time' },
        ],
      },
    );
    expect(result.output).toBe('third time');
    expect(result.steps[0].attempt).toBe(3);
    expect(result.trace.at(-1)?.at).toBe(300);
  });

  it('a failing `when` expression fails its step with a system_error, not the engine', async () => {
    const result = await run(`
workflow:
  name: bad-when
  steps:
    - { name: a, agent: x, when: "$number('x') > 1" }
`);
    expect(result.error).toMatchObject({ type: 'system_error', step: 'a' });
    expect(result.error?.message).toContain("step 'a' when:");
  });
});
