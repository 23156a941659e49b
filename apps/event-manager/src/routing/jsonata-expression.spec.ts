import { DomainError } from '@baton/contracts';
import {
  compileJsonata,
  compileOrReject,
  ExpressionFailure,
  isTruthy,
  positionOf,
} from './jsonata-expression';

describe('compileJsonata', () => {
  it('evaluates against a CloudEvent and hands back plain JSON values', async () => {
    const compiled = compileJsonata('{ "order": data.id, "items": data.items.sku }');
    const result = await compiled.evaluate({
      data: { id: 'A', items: [{ sku: 'x' }, { sku: 'y' }] },
    });
    expect(result).toEqual({ order: 'A', items: ['x', 'y'] });
    expect(Object.getPrototypeOf((result as { items: unknown[] }).items)).toBe(Array.prototype);
  });

  it('reports where the text does not parse, as offset, line and column', () => {
    try {
      compileJsonata('data.total >\n  (1 + ');
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(ExpressionFailure);
      const failure = error as ExpressionFailure;
      expect(failure.at?.line).toBe(2);
      expect(failure.message).toMatch(/\(line 2, column \d+\)$/);
      expect(failure.reason).not.toMatch(/line 2/);
    }
  });

  it('reports the position of a run-time error', async () => {
    const compiled = compileJsonata('"Hi " & $uppercase(data.name)');
    await expect(compiled.evaluate({ data: { name: 42 } })).rejects.toMatchObject({
      at: { line: 1 },
    });
  });

  it('refuses an expression that yields a function', async () => {
    await expect(compileJsonata('function($x) { $x }').evaluate({})).rejects.toThrow(/function/);
  });

  it('refuses an empty expression', () => {
    expect(() => compileJsonata('   ')).toThrow(/empty/);
  });
});

describe('compileOrReject', () => {
  it('turns a parse error into a 422 naming the field, line and column', () => {
    try {
      compileOrReject('{ "a": data.x, }', 'expression');
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      const payload = (error as DomainError).toPayload();
      expect(payload.code).toBe('REQUEST.INVALID');
      expect(payload.errors?.[0]).toMatchObject({ field: 'expression', line: 1 });
      expect(payload.errors?.[0].message).toMatch(/at position \d+$/);
    }
  });
});

describe('isTruthy (JSONata $boolean)', () => {
  it.each([
    [true, true],
    [false, false],
    [0, false],
    [3, true],
    ['', false],
    ['x', true],
    [null, false],
    [undefined, false],
    [[], false],
    [[0, false], false],
    [[0, 1], true],
    [{}, false],
    [{ a: 1 }, true],
  ])('%j is %s', (value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });
});

describe('positionOf', () => {
  it('counts lines and columns from 1', () => {
    expect(positionOf('ab\ncd', 4)).toEqual({ position: 4, line: 2, column: 2 });
    expect(positionOf('ab', 0)).toEqual({ position: 0, line: 1, column: 1 });
  });
});
