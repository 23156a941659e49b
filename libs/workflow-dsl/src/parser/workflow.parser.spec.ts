import { DslCodes } from '../errors/dsl.errors';
import type {
  ForeachStep,
  ParallelStep,
  Step,
  SwitchStep,
  WaitForEventStep,
} from '../model/workflow.types';
import { FULL_WORKFLOW_YAML, SEED_WORKFLOW_YAML } from '../testing/workflow.fixtures';
import { parseWorkflowDefinition, parseWorkflowYaml } from './workflow.parser';

function stepNamed<K extends Step['kind']>(steps: readonly Step[], name: string, kind: K) {
  const step = steps.find((s) => s.name === name);
  expect(step?.kind).toBe(kind);
  return step as Extract<Step, { kind: K }>;
}

describe('parseWorkflowYaml: the seed workflow', () => {
  const result = parseWorkflowYaml(SEED_WORKFLOW_YAML);

  it('parses with no problem at all', () => {
    expect(result.problems).toEqual([]);
    expect(result.definition).toBeDefined();
  });

  it('builds the typed definition', () => {
    const def = result.definition!;
    expect(def.name).toBe('customer-inquiry-handler');
    expect(def.trigger).toEqual({ kind: 'event', eventType: 'incoming-message' });
    expect(def.retryPolicy.maxAttempts).toBe(1);
    expect(def.steps.map((s) => [s.name, s.kind])).toEqual([
      ['classify-inquiry', 'agent'],
      ['route-to-specialist', 'agent'],
      ['process-inquiry', 'agent'],
      ['send-response', 'action'],
    ]);
    const classify = stepNamed(def.steps, 'classify-inquiry', 'agent');
    expect(classify.agent).toEqual({ kind: 'static', name: 'classification-agent' });
    expect(classify.timeoutMs).toBe(5_000);
    expect(classify.path).toBe('workflow.steps[0]');
    const process = stepNamed(def.steps, 'process-inquiry', 'agent');
    expect(process.agent).toEqual({
      kind: 'template',
      template: '${route-to-specialist.specialist}',
    });
    expect(process.input).toBe('${classify-inquiry.context}');
    const send = stepNamed(def.steps, 'send-response', 'action');
    expect(send.action).toBe('send-message');
    expect(send.input).toBe('${process-inquiry.response}');
  });

  it('checks agents against the registry when given, with positions', () => {
    const known = parseWorkflowYaml(SEED_WORKFLOW_YAML, {
      knownAgents: new Set(['classification-agent', 'routing-agent']),
    });
    expect(known.problems).toEqual([]);
    const unknown = parseWorkflowYaml(SEED_WORKFLOW_YAML, {
      knownAgents: new Set(['classification-agent']),
    });
    expect(unknown.definition).toBeDefined();
    expect(unknown.problems).toEqual([
      {
        severity: 'warning',
        code: DslCodes.unknownAgent,
        message: 'agent "routing-agent" is not registered',
        path: 'workflow.steps[1].agent',
        line: 10,
        column: 14,
      },
    ]);
  });

  it('is idempotent: parsing twice gives equal definitions', () => {
    expect(parseWorkflowYaml(SEED_WORKFLOW_YAML).definition).toEqual(result.definition);
  });
});

describe('parseWorkflowYaml: every construct', () => {
  const result = parseWorkflowYaml(FULL_WORKFLOW_YAML, {
    knownAgents: new Set(['classification-agent', 'refund-agent', 'order-agent']),
    knownWorkflows: new Set(['fulfilment', 'escalation-flow']),
  });
  const def = result.definition!;

  it('parses with no problem', () => {
    expect(result.problems).toEqual([]);
  });

  it('reads the workflow fields, normalising durations to ms', () => {
    expect(def.description).toBe('Every construct of the DSL in one document');
    expect(def.version).toBe('1.2');
    expect(def.trigger).toEqual({
      kind: 'schedule',
      cron: '*/5 * * * *',
      timezone: 'Europe/Paris',
    });
    expect(def.inputSchema).toMatchObject({ type: 'object', required: ['orders'] });
    expect(def.timeoutMs).toBe(600_000);
    expect(def.retryPolicy).toEqual({
      maxAttempts: 3,
      backoff: 'exponential',
      initialDelayMs: 1_000,
      maxDelayMs: 30_000,
      jitter: true,
    });
    expect(def.errorHandlers).toEqual({
      timeout: { kind: 'builtin', handler: 'notify-admin' },
      validation_error: { kind: 'builtin', handler: 'return-to-user' },
      system_error: { kind: 'builtin', handler: 'escalate' },
      default: { kind: 'step', step: 'apologise' },
    });
    expect(def.output).toEqual({
      summary: 'Processed ${$count(input.orders)} orders',
      results: '${each-order.output}',
    });
  });

  it('reads agent steps with retry overrides, condition, handler and output mapping', () => {
    const step = stepNamed(def.steps, 'classify-inquiry', 'agent');
    expect(step.retry).toEqual({ ...def.retryPolicy, maxAttempts: 5, backoff: 'linear' });
    expect(step.when).toBe('${input.priority} = "high"');
    expect(step.onError).toEqual({ kind: 'builtin', handler: 'notify-admin' });
    expect(step.input).toBe('${input}');
    expect(step.outputSchema).toEqual({
      type: 'object',
      properties: { category: { type: 'string' } },
    });
    expect(step.output).toEqual({ category: '${classify-inquiry.category}' });
    expect(stepNamed(def.steps, 'billing', 'action')).toMatchObject({
      action: 'crm.update-ticket',
      connection: 'salesforce-prod',
      retry: def.retryPolicy,
    });
  });

  it('reads switch cases with goto, nested steps and a default', () => {
    const route: SwitchStep = stepNamed(def.steps, 'route', 'switch');
    expect(route.cases.map((c) => c.when)).toEqual([
      '${classify-inquiry.category} = "billing"',
      "`classify-inquiry`.category = 'refund'",
    ]);
    expect(route.cases[0].then).toEqual({ kind: 'goto', step: 'billing' });
    const nested = route.cases[1].then;
    expect(nested.kind === 'steps' && nested.steps[0].name).toBe('refund-check');
    expect(route.default?.then.kind).toBe('steps');
    expect(route.default?.path).toBe('workflow.steps[1].switch[2]');
  });

  it('reads parallel branches, foreach loops, sub-workflows and waits', () => {
    const enrich: ParallelStep = stepNamed(def.steps, 'enrich', 'parallel');
    expect(enrich.join).toBe('any');
    expect(enrich.branches.map((b) => [b.name, b.steps.map((s) => s.name)])).toEqual([
      ['crm', ['crm-lookup']],
      [undefined, ['erp-lookup']],
    ]);
    const loop: ForeachStep = stepNamed(def.steps, 'each-order', 'foreach');
    expect(loop).toMatchObject({ items: '${input.orders}', as: 'order', concurrency: 5 });
    expect(loop.steps[0].path).toBe('workflow.steps[4].foreach.steps[0]');
    expect(stepNamed(def.steps, 'child', 'workflow').workflow).toEqual({
      kind: 'static',
      name: 'fulfilment',
    });
    const wait: WaitForEventStep = stepNamed(def.steps, 'approval', 'wait_for_event');
    expect(wait).toMatchObject({
      eventType: 'approval.granted',
      correlation: '${input.ticket_id}',
      timeoutMs: 172_800_000,
      onError: { kind: 'workflow', workflow: 'escalation-flow' },
    });
  });

  it('defaults the trigger to http and a foreach to one item at a time as `item`', () => {
    const parsed = parseWorkflowYaml(
      'workflow:\n  name: w\n  steps:\n    - name: loop\n      foreach:\n        items: [1, 2]\n' +
        '        steps:\n          - name: each\n            agent: a\n            input: ${item}\n',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.definition?.trigger).toEqual({ kind: 'http' });
    expect(parsed.definition?.steps[0]).toMatchObject({
      as: 'item',
      concurrency: 1,
      items: [1, 2],
    });
  });
});

describe('parseWorkflowDefinition: the JSON form', () => {
  const inner = {
    name: 'json-flow',
    trigger: { event: 'order.created' },
    steps: [
      { name: 'only', agent: 'a', timeout: 2000, retry: { max_attempts: 2, initial_delay: '1s' } },
    ],
  };

  it('accepts the wrapped document and the inner object alike', () => {
    const wrapped = parseWorkflowDefinition({ workflow: inner });
    const bare = parseWorkflowDefinition(inner);
    expect(wrapped.problems).toEqual([]);
    expect(bare.definition).toEqual({
      ...wrapped.definition,
      steps: [{ ...wrapped.definition!.steps[0], path: 'steps[0]' }],
    });
    expect(bare.definition?.trigger).toEqual({ kind: 'event', eventType: 'order.created' });
    expect(bare.definition?.steps[0]).toMatchObject({
      timeoutMs: 2_000,
      retry: { maxAttempts: 2, initialDelayMs: 1_000 },
    });
  });

  it('names paths as the caller wrote them, without line or column', () => {
    const { problems, definition } = parseWorkflowDefinition({ ...inner, timeout: 'soon' });
    expect(definition).toBeUndefined();
    expect(problems).toEqual([
      expect.objectContaining({ code: DslCodes.badDuration, path: 'timeout' }),
    ]);
    expect(problems[0].line).toBeUndefined();
  });

  it('rejects values JSON cannot carry', () => {
    const { problems } = parseWorkflowDefinition({
      ...inner,
      output: { when: new Date(0), n: Number.NaN },
    });
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      [DslCodes.invalidType, 'output.when'],
      [DslCodes.invalidValue, 'output.n'],
    ]);
  });
});

describe('never throws on bad input', () => {
  it.each([
    ['empty text', ''],
    ['a scalar', 'hello'],
    ['a list', '- a\n- b'],
    ['a bad wrapper', 'workflow: 5'],
    ['steps as a mapping', 'workflow:\n  name: x\n  steps: { a: 1 }'],
    ['a step as a string', 'workflow:\n  name: x\n  steps: [oops]'],
    ['null steps', 'workflow:\n  name: x\n  steps:\n    -\n'],
    ['non-string text', 42 as unknown as string],
  ])('%s', (_label, text) => {
    const result = parseWorkflowYaml(text);
    expect(result.definition).toBeUndefined();
    expect(result.problems.some((p) => p.severity === 'error')).toBe(true);
  });

  it.each([null, undefined, 42, 'text', [], { workflow: [] }])('JSON %p', (doc) => {
    const result = parseWorkflowDefinition(doc);
    expect(result.definition).toBeUndefined();
    expect(result.problems[0].severity).toBe('error');
  });

  it('keeps the definition when there are only warnings', () => {
    const result = parseWorkflowYaml(
      'workflow:\n  name: x\n  colour: red\n  steps:\n    - name: a\n      agent: b\n',
    );
    expect(result.definition).toBeDefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: DslCodes.unknownKey,
        line: 3,
        column: 3,
      }),
    ]);
  });
});
