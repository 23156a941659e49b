import type { ConnectionTestView, ConnectionView } from '@baton/contracts';
import { Gate } from './support/gate';
import { McpToolServer } from './support/mcp-tool-server';
import { api } from './support/platform';
import { uniqueName } from './support/scripted-server';

/**
 * A call that waits on a connection's target (a tool of an MCP server, a
 * test of the connection) runs beside integration-manager's command
 * partition: the commands keyed to the same partition are answered while it
 * is out (ADR 0040). Before, a slow tool held them for up to the connection's
 * timeout. The tool here answers only when the test opens its gate, so the
 * order of answers shows it, without a clock.
 */
describe('integration-manager: a slow call to a target does not hold its partition', () => {
  const gate = new Gate();
  const tools = new McpToolServer([
    {
      name: 'slow_lookup',
      inputSchema: { type: 'object', properties: { order_id: { type: 'string' } } },
      answer: async (args) => {
        await gate.pass(String(args.order_id));
        return { order_id: args.order_id, status: 'shipped' };
      },
    },
  ]);
  const connection = uniqueName('slow-tools');

  beforeAll(async () => {
    await tools.start();
    const created = await api('POST', '/v1/connections', {
      body: { name: connection, connector: 'mcp', config: { url: tools.url } },
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    gate.openAll();
    await tools.stop();
  });

  it('answers reads of the same connection while its tool call is out, then the call', async () => {
    // A test of the connection calls the tool; both commands are keyed by the connection's
    // name, so they reach the same partition of baton.integration.commands.
    const testing = api<ConnectionTestView>('POST', `/v1/connections/${connection}/test`, {
      body: { operation: 'slow_lookup', input: { order_id: 'A-1' } },
    });
    await gate.arrived('A-1');

    const read = await api<ConnectionView>('GET', `/v1/connections/${connection}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe(connection);
    const health = await api('GET', `/v1/connections/${connection}/health`);
    expect(health.status).toBe(200);

    gate.open('A-1');
    const tested = await testing;
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({
      ok: true,
      operation: 'slow_lookup',
      output: { order_id: 'A-1', status: 'shipped' },
    });
    expect(tools.calls.filter((c) => c.tool === 'slow_lookup')).toHaveLength(1);
  });
});
