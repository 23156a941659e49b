import { dryRun, type MockSpec } from '../interpreter';
import { definitionOf } from '../interpreter/testing/workflows';
import type { LiveRun } from './run-comparison';
import { MAX_STEP_DIFFERENCES, MAX_VALUE_CHARS } from './run-comparison';
import { shadowRun, shadowWithoutLiveRun, type ShadowRunResult } from './shadow-executor';

/**
 * The shadow executor as a table: a live version run on an input with the
 * answers its agents gave (recorded by the interpreter itself, stored through
 * JSON as the engine stores them), then a candidate version shadowed over that
 * run → the verdict, where the path parts, which steps differ and how each
 * was answered.
 */

const LIVE = `
workflow:
  name: support
  steps:
    - { name: classify, agent: classifier, input: '\${input.text}' }
    - name: route
      switch:
        - when: \${classify.category = "billing"}
          steps:
            - { name: bill, agent: billing, input: '\${classify.category}' }
        - default: true
          steps:
            - { name: general, agent: general }
    - { name: reply, action: send-message, input: '\${classify.category}' }
`;

const ANSWERS: Record<string, MockSpec> = {
  classify: { output: { category: 'billing', score: 0.9 } },
  bill: { output: { invoice: 7 } },
  general: { output: 'general answer' },
  reply: { output: { sent: true } },
};

/** A past run of `yaml`, as the engine has it in Postgres. */
async function liveRun(
  yaml: string,
  answers: Record<string, MockSpec>,
  input: unknown,
): Promise<LiveRun> {
  const result = await dryRun({ definition: definitionOf(yaml), input, mocks: answers });
  const stored = JSON.parse(JSON.stringify(result)) as typeof result;
  return {
    id: 'run-1',
    version: 1,
    status: stored.status,
    input,
    output: stored.output,
    error: stored.error,
    records: stored.steps,
  };
}

const edit = (from: string, to: string, yaml = LIVE): string => {
  if (!yaml.includes(from)) throw new Error(`the live workflow has no "${from}"`);
  return yaml.replace(from, to);
};

type Row = {
  name: string;
  candidate: string;
  live?: string;
  answers?: Record<string, MockSpec>;
  input?: unknown;
  expect: {
    verdict: string;
    pathAt?: { index: number; live: string | null; candidate: string | null } | null;
    differing?: string[];
    answers?: { recorded: number; not_recorded: number };
    notRecorded?: string[];
  };
};

/** A workflow that waits for an event; shadowed unchanged, its wait is answered from the live run. */
const APPROVAL = `
workflow:
  name: approval
  steps:
    - name: approval
      wait_for_event: { type: order.approved, correlation: '\${input.order}' }
    - { name: ship, agent: shipper, input: '\${approval.output.by}' }
`;

const rows: Row[] = [
  {
    name: 'the same version reuses every recorded answer and is the same',
    candidate: LIVE,
    expect: {
      verdict: 'same',
      pathAt: null,
      differing: [],
      answers: { recorded: 3, not_recorded: 0 },
    },
  },
  {
    name: 'a step asking its agent something else is not recorded; what follows it differs',
    candidate: edit(
      "{ name: bill, agent: billing, input: '${classify.category}' }",
      "{ name: bill, agent: billing, input: '${input.text}' }",
    ),
    expect: {
      verdict: 'differs',
      pathAt: null,
      differing: ['route.bill', 'route'],
      answers: { recorded: 2, not_recorded: 1 },
      notRecorded: ['route.bill'],
    },
  },
  {
    name: 'a step given to another agent is not recorded',
    candidate: edit('agent: billing', 'agent: billing-v2'),
    expect: {
      verdict: 'differs',
      pathAt: null,
      differing: ['route.bill', 'route'],
      notRecorded: ['route.bill'],
    },
  },
  {
    name: 'a changed condition takes another branch: the path parts at the switch',
    candidate: edit('classify.category = "billing"', 'classify.score > 0.95'),
    expect: {
      verdict: 'differs',
      pathAt: { index: 2, live: 'route.bill', candidate: 'route.general' },
      differing: ['route.general', 'route', 'route.bill'],
      notRecorded: ['route.general'],
    },
  },
  {
    name: 'a changed action input mocks the action (null), the run output differs',
    candidate: edit(
      "{ name: reply, action: send-message, input: '${classify.category}' }",
      "{ name: reply, action: send-message, input: '${bill.invoice}' }",
    ),
    expect: {
      verdict: 'differs',
      pathAt: null,
      differing: ['reply'],
      answers: { recorded: 2, not_recorded: 1 },
      notRecorded: ['reply'],
    },
  },
  {
    name: 'a step added at the end runs unrecorded and lengthens the path',
    candidate: `${LIVE}    - { name: audit, agent: auditor }\n`,
    expect: {
      verdict: 'differs',
      pathAt: { index: 4, live: null, candidate: 'audit' },
      differing: ['audit'],
      notRecorded: ['audit'],
    },
  },
  {
    name: 'a step removed is a live step the candidate never ran',
    candidate: edit(
      "    - { name: reply, action: send-message, input: '${classify.category}' }\n",
      '',
    ),
    expect: {
      verdict: 'differs',
      pathAt: { index: 3, live: 'reply', candidate: null },
      differing: ['reply'],
      answers: { recorded: 2, not_recorded: 0 },
    },
  },
  {
    name: "a recorded failure is replayed as the step's failure, and handling it changes the end",
    live: `
workflow:
  name: fragile
  steps:
    - { name: fetch, agent: fetcher }
    - { name: use, agent: user, input: '\${fetch.output}' }
`,
    answers: { fetch: { error: { type: 'system_error', message: 'down' } } },
    candidate: `
workflow:
  name: fragile
  steps:
    - { name: fetch, agent: fetcher, on_error: fallback }
    - { name: use, agent: user, input: '\${fetch.output}' }
    - { name: fallback, agent: fallback }
`,
    expect: {
      verdict: 'differs',
      pathAt: { index: 1, live: null, candidate: 'fallback' },
      differing: ['fallback'],
      answers: { recorded: 1, not_recorded: 1 },
      notRecorded: ['fallback'],
    },
  },
  {
    name: 'an awaited event is answered with the data the live run received',
    live: APPROVAL,
    answers: { approval: { output: { by: 'ann' } }, ship: { output: 'shipped' } },
    input: { order: 'o-1' },
    candidate: APPROVAL,
    expect: { verdict: 'same', pathAt: null, answers: { recorded: 2, not_recorded: 0 } },
  },
];

describe('shadow executor', () => {
  it.each(rows)('$name', async (row) => {
    const live = await liveRun(
      row.live ?? LIVE,
      row.answers ?? ANSWERS,
      row.input ?? { text: 'hi' },
    );
    const result = await shadowRun(definitionOf(row.candidate), live);
    const report = reported(result);
    expect(report.verdict).toBe(row.expect.verdict);
    if (row.expect.pathAt !== undefined) expect(report.path_differs_at).toEqual(row.expect.pathAt);
    if (row.expect.differing) {
      expect(report.step_differences.map((d) => d.path).sort()).toEqual(
        [...row.expect.differing].sort(),
      );
    }
    if (row.expect.answers) expect(report.answers).toEqual(row.expect.answers);
    for (const path of row.expect.notRecorded ?? []) {
      expect(report.step_differences.find((d) => d.path === path)?.answer).toBe('not_recorded');
    }
  });

  it('names both sides of a differing step', async () => {
    const live = await liveRun(LIVE, ANSWERS, { text: 'hi' });
    const candidate = edit('agent: billing', 'agent: billing-v2');
    const report = reported(await shadowRun(definitionOf(candidate), live));
    expect(report.step_differences.find((d) => d.path === 'route.bill')).toEqual({
      path: 'route.bill',
      live: { status: 'completed', output: { invoice: 7 }, error: null },
      candidate: { status: 'completed', output: null, error: null },
      answer: 'not_recorded',
    });
    expect(report.live).toEqual({ status: 'completed', output: { sent: true }, error: null });
    expect(report.candidate).toEqual(report.live);
  });

  it('clips long outputs and lists a bounded number of differences', async () => {
    const many = Array.from({ length: MAX_STEP_DIFFERENCES + 3 }, (_, i) => `s${i}`);
    const yaml = (agent: string) => `
workflow:
  name: long
  steps:
${many.map((s) => `    - { name: ${s}, agent: ${agent} }`).join('\n')}
`;
    const big = 'x'.repeat(MAX_VALUE_CHARS * 4);
    const answers = Object.fromEntries(many.map((s) => [s, { output: big }]));
    const live = await liveRun(yaml('old'), answers, {});
    const report = reported(await shadowRun(definitionOf(yaml('new')), live));
    expect(report.verdict).toBe('differs');
    expect(report.step_differences).toHaveLength(MAX_STEP_DIFFERENCES);
    expect(report.step_differences_omitted).toBe(3);
    const clipped = report.step_differences[0].live?.output as {
      truncated: boolean;
      preview: string;
    };
    expect(clipped.truncated).toBe(true);
    expect(clipped.preview).toHaveLength(MAX_VALUE_CHARS);
    expect(report.answers).toEqual({ recorded: 0, not_recorded: many.length });
  });
});

describe('shadow executor over a stored event', () => {
  const TRIGGERED = `
workflow:
  name: orders
  trigger: { event: order.created }
  steps:
    - { name: check, agent: checker, input: '\${trigger.subject & "/" & input.sku}' }
    - { name: notify, action: send-message, input: '\${check.output}' }
`;
  const event = { id: 'evt-1', type: 'order.created', subject: 'order-7' };

  it('gives the candidate the trigger the live run read, and reuses its answers', async () => {
    const recorded = await dryRun({
      definition: definitionOf(TRIGGERED),
      input: { sku: 'a' },
      trigger: event,
      mocks: { check: { output: 'ok' }, notify: { output: { sent: true } } },
    });
    expect(recorded.steps[0].input).toBe('order-7/a');
    const stored = JSON.parse(JSON.stringify(recorded)) as typeof recorded;
    const live: LiveRun = {
      id: 'run-7',
      version: 1,
      status: stored.status,
      input: { sku: 'a' },
      trigger: event,
      output: stored.output,
      error: stored.error,
      records: stored.steps,
    };
    const report = reported(await shadowRun(definitionOf(TRIGGERED), live));
    expect(report).toMatchObject({ verdict: 'same', answers: { recorded: 2, not_recorded: 0 } });
  });

  it('answers every step of an event without a live run with null, and lists them', async () => {
    const result = await shadowWithoutLiveRun(
      definitionOf(TRIGGERED),
      { input: { sku: 'b' }, trigger: event },
      'evt-1',
    );
    expect(result).toMatchObject({
      verdict: 'no_live_run',
      candidate: { status: 'completed', output: null },
      answers: { recorded: 0, not_recorded: 2 },
      step_differences: [
        { path: 'check', live: null, answer: 'not_recorded' },
        { path: 'notify', live: null, answer: 'not_recorded' },
      ],
      step_differences_omitted: 0,
    });
  });
});

function reported(result: ShadowRunResult): Exclude<ShadowRunResult, { verdict: 'failed' }> {
  if (result.verdict === 'failed') throw new Error(`the shadow failed: ${result.reason}`);
  return result;
}
