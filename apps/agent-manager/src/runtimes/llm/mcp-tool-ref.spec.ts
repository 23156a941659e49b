import { mcpFunctionName, parseMcpToolRef } from './mcp-tool-ref';

describe('mcp:<connection>/<tool> entries of an llm agent', () => {
  it('names a connection and one of its tools', () => {
    expect(parseMcpToolRef('mcp:order-tools/lookup_order')).toEqual({
      ok: true,
      ref: { connection: 'order-tools', tool: 'lookup_order' },
    });
  });

  it.each([
    ['mcp:order-tools', 'tool name'],
    ['mcp:order-tools/', 'tool name'],
    ['mcp:/lookup', 'connection name'],
    ['mcp:Orders/lookup', 'connection name'],
    ['mcp:orders/look up', 'tool name'],
    [`mcp:orders/${'x'.repeat(129)}`, 'tool name'],
  ])('refuses %s, saying what is missing', (entry, missing) => {
    const parsed = parseMcpToolRef(entry);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(missing);
  });

  it('gives the model a function name chat completion APIs accept', () => {
    expect(mcpFunctionName({ connection: 'orders', tool: 'orders.lookup' }, 0)).toBe(
      'orders__orders_lookup',
    );
    const long = mcpFunctionName({ connection: 'c'.repeat(60), tool: 't'.repeat(60) }, 3);
    expect(long).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(long.endsWith('_3')).toBe(true);
  });
});
