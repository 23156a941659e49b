import { DslCodes, ExpressionError } from '../errors/dsl.errors';
import { compileExpression, compileTemplatePart } from './expression.compiler';
import { buildExpressionScope } from './expression-scope';

const scope = buildExpressionScope({
  input: {
    priority: 'high',
    orders: [
      { id: 'a', total: 5 },
      { id: 'b', total: 12 },
    ],
    nothing: null,
  },
  workflow: { run_id: 'run-1', name: 'customer-inquiry-handler', version: 3 },
  steps: {
    'classify-inquiry': {
      status: 'completed',
      output: { category: 'billing', context: { lang: 'en' } },
    },
  },
});

function thrown(fn: () => unknown): ExpressionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error('expected an ExpressionError');
}

describe('compileExpression: the simple-path fast path', () => {
  it('resolves a hyphenated step name and its fields directly', async () => {
    const compiled = compileExpression('classify-inquiry.category');
    expect(compiled.kind).toBe('path');
    expect(compiled.jsonata).toBe('`classify-inquiry`.category');
    await expect(compiled.evaluate(scope)).resolves.toBe('billing');
  });

  it('accepts the ${ } form and array indexes', async () => {
    await expect(compileExpression('${input.orders[1].id}').evaluate(scope)).resolves.toBe('b');
    await expect(compileExpression(' input.orders[0] ').evaluate(scope)).resolves.toEqual({
      id: 'a',
      total: 5,
    });
  });

  it('yields undefined through a missing step, field, index or null', async () => {
    for (const text of [
      'no-such-step.field',
      'input.missing.deeper',
      'input.nothing.deeper',
      'input.orders[7].id',
      'input.priority.length',
    ]) {
      await expect(compileExpression(text).evaluate(scope)).resolves.toBeUndefined();
    }
  });

  it('hands a field read on an array to JSONata, which maps over it', async () => {
    await expect(compileExpression('input.orders.id').evaluate(scope)).resolves.toEqual(['a', 'b']);
  });

  it('leaves literals and arithmetic to JSONata', async () => {
    await expect(compileExpression('5').evaluate(scope)).resolves.toBe(5);
    await expect(compileExpression('true').evaluate(scope)).resolves.toBe(true);
    await expect(compileExpression('null').evaluate(scope)).resolves.toBeNull();
    expect(compileExpression('1-2').kind).toBe('jsonata');
  });

  it('caches compiled expressions by text', () => {
    expect(compileExpression('input.priority')).toBe(compileExpression('input.priority'));
    expect(compileTemplatePart('$count(input.orders)')).toBe(
      compileTemplatePart('$count(input.orders)'),
    );
  });
});

describe('compileExpression: JSONata', () => {
  it('evaluates against the scope, with backticks for hyphenated step names', async () => {
    const compiled = compileExpression('`classify-inquiry`.category = "billing"');
    expect(compiled.kind).toBe('jsonata');
    await expect(compiled.evaluate(scope)).resolves.toBe(true);
    await expect(compileExpression('$sum(input.orders.total)').evaluate(scope)).resolves.toBe(17);
    await expect(compileExpression('input.orders[total > 10].id').evaluate(scope)).resolves.toBe(
      'b',
    );
  });

  it('turns ${ } operands into JSONata, keeping hyphenated paths intact', async () => {
    const compiled = compileExpression(
      '${classify-inquiry.category} = "billing" and ${input.priority} = "high"',
    );
    expect(compiled.jsonata).toBe(
      '(`classify-inquiry`.category) = "billing" and (input.priority) = "high"',
    );
    await expect(compiled.evaluate(scope)).resolves.toBe(true);
  });

  it('lists the root names read, with their offsets, ignoring relative paths', () => {
    const text = '`classify-inquiry`.category = input.x and $count(foo[bar > 1]) > 0';
    const refs = compileExpression(text).references;
    expect(refs.map((r) => r.name)).toEqual(['classify-inquiry', 'input', 'foo']);
    expect(refs.map((r) => text.slice(r.offset, r.offset + 5))).toEqual([
      '`clas',
      'input',
      'foo[b',
    ]);
  });

  it('maps reference offsets back through ${ } operands', () => {
    const text = '${classify-inquiry.category} = ${input.priority}';
    const refs = compileExpression(text).references;
    expect(refs.map((r) => [r.name, r.offset])).toEqual([
      ['classify-inquiry', 2],
      ['input', 33],
    ]);
  });

  it('notices a hyphenated name JSONata reads as a subtraction', () => {
    const chains = compileExpression('route-to-specialist.specialist = "x"').hyphenChains;
    expect(chains).toEqual([
      { name: 'route-to-specialist', offset: 0, parts: ['route', 'to', 'specialist'] },
    ]);
  });
});

describe('compileExpression: errors', () => {
  it('reports a parse error with EXPR.PARSE and the position in the text', () => {
    const error = thrown(() => compileExpression('input.a = '));
    expect(error.code).toBe(DslCodes.exprParse);
    expect(error.position).toBe(10);
    expect(error.expression).toBe('input.a = ');
    expect(error.jsonataCode).toBe('S0207');
    expect(error.message).toContain('"input.a = "');
    expect(thrown(() => compileExpression('$x := 5; y')).position).toBe(7);
    expect(thrown(() => compileExpression('foo(')).position).toBe(4);
  });

  it('maps a parse error position back into text with ${ } operands', () => {
    const text = '${input.a} = = 3';
    const error = thrown(() => compileExpression(text));
    expect(error.position).toBe(text.indexOf('= 3'));
  });

  it('rejects empty and unterminated expressions', () => {
    expect(thrown(() => compileExpression('   ')).code).toBe(DslCodes.exprParse);
    const unterminated = thrown(() => compileExpression('${input.a = 1'));
    expect(unterminated.code).toBe(DslCodes.exprParse);
    expect(unterminated.position).toBe(0);
  });

  it('reports an evaluation error with EXPR.EVAL naming the expression', async () => {
    const failing = compileExpression('$number(input.priority)');
    await expect(failing.evaluate(scope)).rejects.toMatchObject({
      code: DslCodes.exprEval,
      expression: '$number(input.priority)',
      jsonataCode: 'D3030',
    });
    await expect(failing.evaluate(scope)).rejects.toThrow(/\$number\(input\.priority\)/);
  });

  it('refuses to yield a function as a value', async () => {
    await expect(compileExpression('function($x) { $x }').evaluate(scope)).rejects.toMatchObject({
      code: DslCodes.exprEval,
    });
  });
});

describe('compileExpression: tenant-code budgets', () => {
  it('fails a runaway expression as EXPR.EVAL naming the budget', async () => {
    const expr = compileExpression('$pad("", 1000000000)');
    const error: unknown = await expr.evaluate(scope).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).code).toBe(DslCodes.exprEval);
    expect((error as ExpressionError).reason).toMatch(/^exceeded the value size budget of \d+/);
  });

  it('refuses a regex RE2 cannot run when compiling, as EXPR.PARSE', () => {
    expect(() => compileExpression('$match(input.text, /(a)\\1/)')).toThrow(ExpressionError);
    expect(() => compileExpression('$match(input.text, /(a)\\1/)')).toThrow(
      /not a supported regular expression/,
    );
  });
});
