import { DomainError, ErrorCodes, MessageTypes } from '@baton/contracts';
import type { PlatformRequests } from '../platform-requests';
import { McpToolsClient } from './mcp-tools.client';

/** integration-manager as agent-manager sees it: a connection of each kind and its tools. */
function client(): { tools: McpToolsClient; asked: string[] } {
  const asked: string[] = [];
  const connections: Record<string, string> = { orders: 'mcp', crm: 'http' };
  const requests = {
    request: (_topic: string, type: string, data: { name: string }) => {
      asked.push(`${type} ${data.name}`);
      const connector = connections[data.name];
      if (!connector) return Promise.reject(DomainError.notFound('connection', data.name));
      if (type === MessageTypes.connectionGet)
        return Promise.resolve({ name: data.name, connector });
      return Promise.resolve({
        name: data.name,
        connector,
        items: [{ name: 'lookup_order', description: 'd', input_schema: { type: 'object' } }],
      });
    },
  } as unknown as PlatformRequests;
  return { tools: new McpToolsClient(requests), asked };
}

describe("the mcp: entries of an llm agent's tools, checked against the workspace", () => {
  it('names each entry whose connection or tool the workspace does not have', async () => {
    const { tools, asked } = client();
    const errors = await tools.configErrors('ws', [
      'some-agent',
      'mcp:orders/lookup_order',
      'mcp:missing/lookup_order',
      'mcp:crm/request',
      'mcp:orders/drop_tables',
    ]);
    expect(errors).toEqual([
      { field: 'config.tools[2]', message: "no connection 'missing' in this workspace" },
      {
        field: 'config.tools[3]',
        message: "connection 'crm' is of kind http, not an MCP server",
      },
      { field: 'config.tools[4]', message: "connection 'orders' lists no tool 'drop_tables'" },
    ]);
    // One look-up per connection, however many of its tools are named.
    expect(asked.filter((a) => a.endsWith(' orders'))).toHaveLength(2);
  });

  it('says when the tools cannot be listed', async () => {
    const requests = {
      request: () =>
        Promise.reject(new DomainError(ErrorCodes.timeout, 'no answer within 15000 ms')),
    } as unknown as PlatformRequests;
    const errors = await new McpToolsClient(requests).configErrors('ws', ['mcp:orders/x']);
    expect(errors[0].message).toContain("the tools of connection 'orders' cannot be listed");
  });
});
