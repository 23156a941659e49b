import { randomUUID } from 'node:crypto';
import { useServiceDatabase } from '../../../../../test/repositories/service-database';
import { DATABASE } from '../../agent-manager.database';
import { LlmCallsRepository } from './llm-calls.repository';
import type { CallScope } from './recorded-calls';
import { ToolCallsRepository } from './tool-calls.repository';

describe('ToolCallsRepository (Postgres)', () => {
  const db = useServiceDatabase(DATABASE, ['llm_calls', 'llm_tool_calls']);
  let modelCalls: LlmCallsRepository;
  let toolCalls: ToolCallsRepository;
  beforeAll(() => {
    modelCalls = new LlmCallsRepository(db.dataSource);
    toolCalls = new ToolCallsRepository(db.dataSource);
  });

  function scope(taskId: string, attempt: number, workspaceId = 'ws-a'): CallScope {
    const runId = '00000000-0000-4000-8000-000000000001';
    return {
      workspaceId,
      taskId,
      runId,
      step: 'ask',
      attempt,
      agent: 'assistant',
      agentVersion: 1,
    };
  }

  async function modelCall(at: CallScope, round: number): Promise<string> {
    const id = randomUUID();
    await modelCalls.record({
      id,
      scope: at,
      round,
      requestHash: `${round}`,
      model: 'm',
      request: {},
      response: {},
      promptTokens: 1,
      completionTokens: 1,
      cost: null,
      latencyMs: 1,
    });
    return id;
  }

  async function toolCall(at: CallScope, round: number, index: number): Promise<string> {
    const id = randomUUID();
    await toolCalls.record({
      id,
      scope: at,
      place: { round, index },
      tool: 'orders/lookup',
      requestHash: `${round}-${index}`,
      arguments: { order_id: `A-${index}` },
      result: { output: { status: 'shipped' } },
      latencyMs: 3,
    });
    return id;
  }

  it('lists each tool call with the model call of its task and round that asked for it, in order', async () => {
    const task = randomUUID();
    const first = await modelCall(scope(task, 1), 0);
    const second = await modelCall(scope(task, 1), 1);
    const b = await toolCall(scope(task, 1), 0, 1);
    const a = await toolCall(scope(task, 1), 0, 0);

    const rows = await toolCalls.listForModelCalls('ws-a', [first, second]);
    expect(rows.map((r) => [r.llm_call_id, r.id, r.call_index])).toEqual([
      [first, a, 0],
      [first, b, 1],
    ]);
    expect(rows[0]).toMatchObject({
      tool: 'orders/lookup',
      arguments: { order_id: 'A-0' },
      result: { output: { status: 'shipped' } },
      latency_ms: 3,
      discarded: false,
    });
  });

  it('gives a retry that reused the recorded answer its tool calls under the attempt that asked', async () => {
    const task = randomUUID();
    const asked = await modelCall(scope(task, 1), 0);
    // Attempt 2 took round 0's answer from the record, then called the tool itself.
    const called = await toolCall(scope(task, 2), 0, 0);
    const askedAgain = await modelCall(scope(task, 3), 0);
    const calledAgain = await toolCall(scope(task, 3), 0, 0);

    const rows = await toolCalls.listForModelCalls('ws-a', [asked, askedAgain]);
    expect(rows.map((r) => [r.llm_call_id, r.id])).toEqual([
      [asked, called],
      [askedAgain, calledAgain],
    ]);
  });

  it("lists nothing of another workspace's calls", async () => {
    const task = randomUUID();
    const asked = await modelCall(scope(task, 1, 'ws-b'), 0);
    await toolCall(scope(task, 1, 'ws-b'), 0, 0);
    expect(await toolCalls.listForModelCalls('ws-a', [asked])).toEqual([]);
    expect(await toolCalls.listForModelCalls('ws-a', [])).toEqual([]);
  });
});
