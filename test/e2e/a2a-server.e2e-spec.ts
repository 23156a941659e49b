import type { AgentCard, Task } from '@a2a-js/sdk';
import { A2AClient } from '@a2a-js/sdk/client';
import type { OrchestratePlatform } from '@baton/sdk';
import { randomUUID } from 'node:crypto';
import { api, platformState, sdk } from './support/platform';
import { ScriptedServer, uniqueName } from './support/scripted-server';
import { workspaceWithKeys } from './support/workspaces';

/** The remote end of an http agent: greets whoever its input names. */
const remote = new ScriptedServer((request) => ({
  body: { greeting: `hello ${(request.json as { name?: string }).name ?? 'nobody'}` },
}));

/** fetch with the caller's key, as an A2A client of an authenticated agent sends it. */
function withKey(key: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${key}`);
    return fetch(input, { ...init, headers });
  };
}

/**
 * Baton's agents over A2A (issue 27, ADR 0040): a card per agent at a
 * documented URL, `message/send` and `tasks/get` served through
 * `@a2a-js/sdk`, and spoken to here with the SDK's own client.
 */
describe('A2A: Baton serves its agents', () => {
  let orchestrate: OrchestratePlatform;
  const agent = uniqueName('greeter');
  const cardPath = `/a2a/${agent}/.well-known/agent-card.json`;

  beforeAll(async () => {
    orchestrate = sdk();
    await remote.start();
    await orchestrate.registerAgent({
      name: agent,
      type: 'tool',
      runtime: 'http',
      description: 'Greets by name',
      capabilities: ['greeting'],
      config: { url: `${remote.url}/greet` },
    });
  });

  afterAll(() => remote.stop());

  it('publishes a card for the agent and answers message/send and tasks/get', async () => {
    const { gatewayUrl, apiKey } = platformState();
    const card = await api<AgentCard>('GET', cardPath);
    expect(card.status).toBe(200);
    expect(card.body).toMatchObject({
      name: agent,
      description: 'Greets by name',
      url: `${gatewayUrl}/a2a/${agent}`,
      preferredTransport: 'JSONRPC',
      skills: [expect.objectContaining({ id: agent, tags: ['greeting'] })],
    });

    const client = await A2AClient.fromCardUrl(`${gatewayUrl}${cardPath}`, {
      fetchImpl: withKey(apiKey),
    });
    const sent = await client.sendMessage({
      message: {
        kind: 'message',
        role: 'user',
        messageId: randomUUID(),
        parts: [{ kind: 'data', data: { name: 'Ada' } }],
      },
    });
    expect('error' in sent).toBe(false);
    const task = (sent as { result: Task }).result;
    expect(task).toMatchObject({ kind: 'task', status: { state: 'completed' } });
    expect(task.artifacts?.[0].parts).toEqual([{ kind: 'data', data: { greeting: 'hello Ada' } }]);
    // The remote agent was called once, by Baton's http runtime.
    expect(remote.received.filter((r) => r.path === '/greet')).toHaveLength(1);

    const got = await client.getTask({ id: task.id });
    expect('error' in got).toBe(false);
    expect((got as { result: Task }).result).toMatchObject({
      id: task.id,
      status: { state: 'completed' },
      artifacts: [
        expect.objectContaining({ parts: [{ kind: 'data', data: { greeting: 'hello Ada' } }] }),
      ],
    });

    // The SDK's client raises the protocol's errors (-32001 task not found).
    await expect(client.getTask({ id: randomUUID() })).rejects.toThrow('Task not found');
    const streamed = await api<{ error?: { code: number } }>('POST', `/a2a/${agent}`, {
      body: {
        jsonrpc: '2.0',
        id: 1,
        method: 'message/stream',
        params: {
          message: { kind: 'message', role: 'user', messageId: randomUUID(), parts: [] },
        },
      },
    });
    expect(streamed.status).toBe(200);
    expect(streamed.body.error).toBeDefined();
  });

  it("is reachable by Baton's own A2A client: an a2a agent bridging to a Baton agent", async () => {
    const { gatewayUrl, apiKey } = platformState();
    const stored = await api('PUT', '/v1/secrets/a2a-self-key', { body: { value: apiKey } });
    expect([200, 201]).toContain(stored.status);
    const bridge = uniqueName('greeter-over-a2a');
    await orchestrate.registerAgent({
      name: bridge,
      type: 'tool',
      runtime: 'http',
      config: {
        protocol: 'a2a',
        url: `${gatewayUrl}/a2a/${agent}`,
        api_key_secret: 'a2a-self-key',
      },
    });
    const before = remote.received.length;
    const result = await orchestrate.invokeAgent({
      agent_id: bridge,
      input: { name: 'Grace' },
      timeout: 15_000,
    });
    expect(result.output).toEqual({ greeting: 'hello Grace' });
    expect(remote.received.length).toBe(before + 1);
  });

  it('authenticates like the API and keeps each workspace to its own agents', async () => {
    const anonymous = await api('GET', cardPath, { apiKey: null });
    expect(anonymous.status).toBe(401);
    const { keys } = await workspaceWithKeys('a2a-other');
    const elsewhere = await api('GET', cardPath, { apiKey: keys[0] });
    expect(elsewhere.status).toBe(404);
    const sent = await api<{ error?: { code: number } }>('POST', `/a2a/${agent}`, {
      apiKey: keys[0],
      body: { jsonrpc: '2.0', id: 1, method: 'tasks/get', params: { id: randomUUID() } },
    });
    expect(sent.status).toBe(404);
  });
});
