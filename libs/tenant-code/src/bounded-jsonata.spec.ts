import jsonata from 'jsonata';
import { compileBoundedJsonata } from './bounded-jsonata';
import { BudgetExceededError } from './budget-exceeded.error';
import { configureTenantCode, DEFAULT_TENANT_CODE_BUDGETS } from './budgets';
import { RegexRejectedError } from './linear-regex';

const TIME_MS = 200;

// Only the tests about time shorten the time budget: the others must reach
// their own budget first even on a loaded machine.
afterEach(() => configureTenantCode(DEFAULT_TENANT_CODE_BUDGETS));

async function budgetError(text: string, input: unknown = {}): Promise<BudgetExceededError> {
  const error: unknown = await compileBoundedJsonata(text)
    .evaluate(input)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(BudgetExceededError);
  return error as BudgetExceededError;
}

describe('compileBoundedJsonata: hostile expressions stop with the budget named', () => {
  it('stops a recursion that never ends on the depth budget', async () => {
    const error = await budgetError('( $f := function($n) { 1 + $f($n + 1) }; $f(0) )');
    expect(error.budget).toBe('depth');
    expect(error.message).toMatch(/depth budget of 500/);
  });

  it('stops a long loop on the time budget', async () => {
    configureTenantCode({ timeMs: TIME_MS });
    const error = await budgetError(
      '( $f := function($n) { $n > 0 ? ($f($n - 1); $f($n - 1)) : 0 }; $f(40) )',
    );
    expect(error.budget).toBe('time');
    expect(error.message).toBe(`exceeded the time budget of ${TIME_MS} ms`);
  });

  it('refuses a huge $pad before allocating it', async () => {
    const error = await budgetError('$pad("x", 1000000000)');
    expect(error.budget).toBe('value size');
    expect(error.limit).toBe(DEFAULT_TENANT_CODE_BUDGETS.maxValueSize);
  });

  it('stops doubling concatenation when the string outgrows the budget', async () => {
    const error = await budgetError(
      '( $d := function($s, $n) { $n = 0 ? $s : $d($s & $s, $n - 1) }; $d("ab", 40) )',
    );
    expect(error.budget).toBe('value size');
  });

  it('refuses a giant range before allocating it', async () => {
    const error = await budgetError('$count([1..9000000])');
    expect(error.budget).toBe('array length');
  });

  it('refuses $join and $replace whose result would be too large', async () => {
    // Each piece and the list are small; only the joined result would be large.
    const join = '$join($map([1..10], function() { "x" }), $pad("", 1000000))';
    expect((await budgetError(join)).budget).toBe('value size');
    const big = 'a'.repeat(100_000);
    expect((await budgetError('$replace(text, "a", $pad("", 100))', { text: big })).budget).toBe(
      'value size',
    );
    expect((await budgetError('$replace(text, /a/, $pad("", 100))', { text: big })).budget).toBe(
      'value size',
    );
  });

  it('refuses $replace with a function whose replacements add up to too much', async () => {
    // Every replacement is small and so is the input; only their sum is large.
    // 2,000 replacements of 4,000 characters: 8 MB, over the 5 MB budget.
    const text = 'a'.repeat(2_000);
    const expression = '$replace(text, /a/, function($m) { $pad("", 4000) })';
    expect((await budgetError(expression, { text })).budget).toBe('value size');
  });

  it('still replaces with a function within the budget', async () => {
    const expression = '$replace(text, /(\\w+)/, function($m) { $uppercase($m.match) })';
    expect(await compileBoundedJsonata(expression).evaluate({ text: 'ab cd' })).toBe('AB CD');
  });

  it('refuses $string of a value made of many references to one big string', async () => {
    const error = await budgetError(
      '( $big := $pad("", 1000000); $string($map([1..50], function() { $big })) )',
    );
    expect(error.budget).toBe('value size');
  });
});

describe('compileBoundedJsonata: ordinary expressions behave as plain JSONata', () => {
  const input = {
    order: {
      id: 'o-1',
      total: 120,
      lines: [
        { sku: 'a', qty: 2 },
        { sku: 'b', qty: 1 },
      ],
    },
    customer: { name: 'Ada Lovelace', email: 'ADA@example.com' },
  };
  const cases = [
    'order.total > 100',
    '{ "id": order.id, "skus": order.lines.sku, "qty": $sum(order.lines.qty) }',
    '$uppercase(customer.name) & " <" & $lowercase(customer.email) & ">"',
    '$match(customer.email, /^([a-z]+)@/i).groups[0]',
    '$replace(customer.name, /a/i, "4")',
    '$split("a,b,,c", /,+/)',
    '$contains(customer.email, /EXAMPLE\\.com$/)',
    '$pad(order.id, 8, "#") & $pad(order.id, -6)',
    '$join(order.lines.sku, "|")',
    '$string(order.lines)',
    '[1..5].($ * 2)',
  ];
  it.each(cases)('%s', async (text) => {
    const expected: unknown = await jsonata(text).evaluate(input);
    const actual = await compileBoundedJsonata(text).evaluate(input);
    expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
  });
});

describe('compileBoundedJsonata: regex literals run on RE2', () => {
  it('matches a catastrophic pattern against a long input quickly', async () => {
    const text = `${'a'.repeat(50_000)}!`;
    const result = await compileBoundedJsonata('$contains(text, /(a+)+$/)').evaluate({ text });
    expect(result).toBe(false);
  });

  it('refuses a backreference when compiling, with the position of the literal', () => {
    let error: unknown;
    try {
      compileBoundedJsonata('$match(text, /(a)\\1/)');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegexRejectedError);
    expect((error as RegexRejectedError).message).toMatch(/backreferences/);
    expect((error as { position?: number }).position).toBeGreaterThan(0);
  });
});

describe('compileBoundedJsonata: a long evaluation shares the event loop', () => {
  it('lets a timer set after it started run before it ends', async () => {
    configureTenantCode({ timeMs: TIME_MS });
    const order: string[] = [];
    const hostile = compileBoundedJsonata(
      '( $f := function($n) { $n > 0 ? ($f($n - 1); $f($n - 1)) : 0 }; $f(40) )',
    )
      .evaluate({})
      .catch(() => order.push('hostile stopped'));
    setTimeout(() => order.push('timer ran'), 1);
    await hostile;
    expect(order).toEqual(['timer ran', 'hostile stopped']);
  });
});
