import { DslCodes } from '../errors/dsl.errors';
import { buildExpressionScope, stepScopeEntry, withLocals } from './expression-scope';
import {
  evaluateCondition,
  evaluateTemplate,
  isTruthy,
  referencedSteps,
} from './template.evaluator';
import { scanTemplate } from './template.scanner';

/** The scope after the seed's first two steps have run. */
const scope = buildExpressionScope({
  input: { name: 'Ada', count: 3, tags: ['vip', 'eu'], priority: 'high', empty: [] },
  trigger: { type: 'incoming-message', subject: 'ticket-9' },
  workflow: { run_id: 'run-1', name: 'customer-inquiry-handler', version: 1 },
  steps: {
    'classify-inquiry': {
      status: 'completed',
      output: { category: 'billing', context: { lang: 'en', text: 'refund please' } },
    },
    'route-to-specialist': { status: 'completed', output: { specialist: 'billing-agent' } },
  },
});

describe('evaluateTemplate', () => {
  it('reads the seed references as the seed means them', async () => {
    await expect(evaluateTemplate('${classify-inquiry.output}', scope)).resolves.toEqual({
      category: 'billing',
      context: { lang: 'en', text: 'refund please' },
    });
    await expect(evaluateTemplate('${route-to-specialist.specialist}', scope)).resolves.toBe(
      'billing-agent',
    );
    await expect(evaluateTemplate('${classify-inquiry.context}', scope)).resolves.toEqual({
      lang: 'en',
      text: 'refund please',
    });
    await expect(evaluateTemplate('${classify-inquiry.status}', scope)).resolves.toBe('completed');
    await expect(evaluateTemplate('${process-inquiry.response}', scope)).resolves.toBeUndefined();
  });

  it('keeps the type of a string that is exactly one expression', async () => {
    await expect(evaluateTemplate('${input.count}', scope)).resolves.toBe(3);
    await expect(evaluateTemplate('${input.tags}', scope)).resolves.toEqual(['vip', 'eu']);
    await expect(evaluateTemplate('${input.count > 2}', scope)).resolves.toBe(true);
    await expect(evaluateTemplate('${ {"n": input.count * 2} }', scope)).resolves.toEqual({ n: 6 });
  });

  it('interpolates expressions inside longer text', async () => {
    await expect(
      evaluateTemplate(
        'Hi ${input.name}: ${input.count} items ${input.tags} ${input.nope}!',
        scope,
      ),
    ).resolves.toBe('Hi Ada: 3 items ["vip","eu"] !');
    await expect(evaluateTemplate('ctx=${classify-inquiry.context}', scope)).resolves.toBe(
      'ctx={"lang":"en","text":"refund please"}',
    );
    await expect(evaluateTemplate('${ "}" & input.name }', scope)).resolves.toBe('}Ada');
  });

  it('walks objects and arrays, dropping keys that come out undefined', async () => {
    const template = {
      customer: '${input.name}',
      specialist: '${route-to-specialist.specialist}',
      missing: '${nowhere.at.all}',
      list: ['${input.count}', 'plain', 7, null, true],
      run: '${workflow.run_id}',
      subject: '${trigger.subject}',
    };
    await expect(evaluateTemplate(template, scope)).resolves.toEqual({
      customer: 'Ada',
      specialist: 'billing-agent',
      list: [3, 'plain', 7, null, true],
      run: 'run-1',
      subject: 'ticket-9',
    });
  });

  it('treats $${ as a literal ${', async () => {
    await expect(evaluateTemplate('cost: $${input.count}', scope)).resolves.toBe(
      'cost: ${input.count}',
    );
    await expect(evaluateTemplate('plain $ text', scope)).resolves.toBe('plain $ text');
  });

  it('binds loop variables, which shadow steps of the same name', async () => {
    const inner = withLocals(scope, {
      order: { id: 'o-1' },
      index: 2,
      'classify-inquiry': 'shadowed',
    });
    await expect(evaluateTemplate('${order.id}#${index}', inner)).resolves.toBe('o-1#2');
    await expect(evaluateTemplate('${classify-inquiry}', inner)).resolves.toBe('shadowed');
  });

  it('throws EXPR.PARSE for an unterminated ${ and EXPR.EVAL for a failing expression', async () => {
    await expect(evaluateTemplate({ a: ['${input.name'] }, scope)).rejects.toMatchObject({
      code: DslCodes.exprParse,
    });
    await expect(evaluateTemplate('x ${$number(input.name)}', scope)).rejects.toMatchObject({
      code: DslCodes.exprEval,
      expression: '$number(input.name)',
    });
  });
});

describe('evaluateCondition', () => {
  it.each([
    ['${input.priority} = "high"', true],
    ['input.priority = "low"', false],
    ['`classify-inquiry`.category = "billing"', true],
    ['${classify-inquiry.category} in ["billing", "refund"]', true],
    ['${input.count}', true],
    ['${input.empty}', false],
    ['${nowhere.field}', false],
    ['input.name', true],
    ['$count(input.tags) > 5', false],
  ])('%s → %p', async (text, expected) => {
    await expect(evaluateCondition(text, scope)).resolves.toBe(expected);
  });

  it('uses JSONata truthiness', () => {
    expect([0, '', null, undefined, [], {}, [0, ''], Number.NaN].map(isTruthy)).toEqual(
      Array(8).fill(false),
    );
    expect([1, 'x', [0, 1], { a: 1 }, true].map(isTruthy)).toEqual(Array(5).fill(true));
  });
});

describe('referencedSteps', () => {
  it('lists the first segment of every expression, once, in order', () => {
    expect(
      referencedSteps({
        a: '${classify-inquiry.output}',
        b: ['${route-to-specialist.specialist} and ${input.x}', 42, null],
        c: { d: '${`classify-inquiry`.category = "x" and $count(order.lines[qty > 1]) > 0}' },
      }),
    ).toEqual(['classify-inquiry', 'route-to-specialist', 'input', 'order']);
  });

  it('ignores plain strings and text that does not parse', () => {
    expect(referencedSteps(['plain', '${input.', '${a = }', 5])).toEqual([]);
  });
});

describe('scanTemplate and the scope', () => {
  it('splits text and expressions, nesting braces and skipping quoted ones', () => {
    expect(scanTemplate('a ${ {"k": "}"} } b').parts).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'expr', source: ' {"k": "}"} ', start: 4 },
      { kind: 'text', text: ' b' },
    ]);
    expect(scanTemplate('${x}').single).toBe(true);
  });

  it('exposes output and status over same-named output fields', () => {
    expect(stepScopeEntry({ status: 'completed', output: { status: 'mine', a: 1 } })).toEqual({
      status: 'completed',
      a: 1,
      output: { status: 'mine', a: 1 },
    });
    expect(stepScopeEntry({ status: 'failed', output: 'text' })).toEqual({
      output: 'text',
      status: 'failed',
    });
  });
});
