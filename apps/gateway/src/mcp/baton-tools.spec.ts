import { DomainError, ErrorCodes, MessageTypes } from '@baton/contracts';
import type { Caller } from '../auth/caller';
import type { PlatformClient } from '../platform/platform-client';
import { BatonTools, UnknownToolError } from './baton-tools';

function caller(roles: string[], scopes?: string[]): Caller {
  return { principal: 'p', workspaceId: 'ws', roles, correlationId: 'c', scopes };
}

/** A platform that knows one workflow and two agents (one decommissioned). */
function platform(): PlatformClient {
  const answers: Record<string, unknown> = {
    [MessageTypes.workflowList]: { items: [{ name: 'triage' }], next_cursor: null },
    [MessageTypes.workflowGet]: {
      name: 'triage',
      version: 3,
      description: null,
      input_schema: { type: 'object', required: ['text'] },
    },
    [MessageTypes.agentList]: {
      items: [
        { name: 'echo', type: 'worker', status: 'active', description: null },
        { name: 'gone', type: 'worker', status: 'decommissioned', description: null },
      ],
      next_cursor: null,
    },
  };
  return {
    send: (_topic: string, type: string, payload: { workflow?: string }) => {
      if (type === MessageTypes.runStart)
        return Promise.reject(DomainError.notFound('workflow', String(payload.workflow)));
      return Promise.resolve(answers[type]);
    },
  } as unknown as PlatformClient;
}

describe('BatonTools', () => {
  it('offers an admin the active workflows and live agents, with the input schema', async () => {
    const tools = await new BatonTools(platform()).list(caller(['admin']));
    expect(tools.map((tool) => tool.name)).toEqual(['workflow.triage', 'agent.echo']);
    expect(tools[0].inputSchema.properties).toMatchObject({
      input: { type: 'object', required: ['text'] },
    });
  });

  it('offers only what the role and the key scopes allow', async () => {
    const tools = new BatonTools(platform());
    expect(await tools.list(caller(['viewer']))).toEqual([]);
    const scoped = await tools.list(caller(['admin'], ['agents:read', 'agents:invoke']));
    expect(scoped.map((tool) => tool.name)).toEqual(['agent.echo']);
  });

  it('answers a refused call as a tool error carrying the problem', async () => {
    const outcome = await new BatonTools(platform()).call(caller(['admin']), 'workflow.nope', {
      input: {},
    });
    expect(outcome.isError).toBe(true);
    expect(outcome.structuredContent).toMatchObject({ error: { status: 404 } });
    const refused = await new BatonTools(platform()).call(caller(['viewer']), 'agent.echo', {});
    expect(refused.structuredContent).toMatchObject({ error: { code: ErrorCodes.forbidden } });
  });

  it('refuses a tool name of no known kind', async () => {
    await expect(new BatonTools(platform()).call(caller(['admin']), 'x.y', {})).rejects.toThrow(
      UnknownToolError,
    );
  });
});
