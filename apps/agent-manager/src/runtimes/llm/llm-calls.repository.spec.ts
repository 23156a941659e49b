import { randomUUID } from 'node:crypto';
import { useServiceDatabase } from '../../../../../test/repositories/service-database';
import { DATABASE } from '../../agent-manager.database';
import { LlmCallsRepository } from './llm-calls.repository';
import type { CallScope } from './recorded-calls';
import { ToolCallsRepository } from './tool-calls.repository';

describe('recorded llm and tool answers, reused (Postgres)', () => {
  const db = useServiceDatabase(DATABASE, ['llm_calls', 'llm_tool_calls', 'llm_replays']);
  let modelCalls: LlmCallsRepository;
  let toolCalls: ToolCallsRepository;
  beforeAll(() => {
    modelCalls = new LlmCallsRepository(db.dataSource);
    toolCalls = new ToolCallsRepository(db.dataSource);
  });

  function scope(at: Partial<CallScope> = {}): CallScope {
    return {
      workspaceId: 'ws-a',
      taskId: randomUUID(),
      runId: null,
      step: null,
      attempt: 1,
      agent: 'assistant',
      agentVersion: 1,
      ...at,
    };
  }

  async function modelCall(at: CallScope, round: number, answer: string): Promise<void> {
    await modelCalls.record({
      id: randomUUID(),
      scope: at,
      round,
      requestHash: `h${round}`,
      model: 'm',
      request: {},
      response: { answer },
      promptTokens: 1,
      completionTokens: 1,
      cost: null,
      latencyMs: 1,
    });
  }

  async function toolCall(at: CallScope, round: number, index: number, answer: string) {
    await toolCalls.record({
      id: randomUUID(),
      scope: at,
      place: { round, index },
      tool: 'orders/lookup',
      requestHash: `h${round}`,
      arguments: {},
      result: { output: answer },
      latencyMs: 1,
    });
  }

  it("reuses a task's own answer for the same round and request, until its attempt is discarded", async () => {
    const at = scope();
    await modelCall(at, 0, 'first');
    await toolCall(at, 0, 1, 'tool');

    expect(await modelCalls.reusable(at, 0, 'h0')).toEqual({ answer: 'first' });
    expect(await modelCalls.reusable(at, 1, 'h0')).toBeNull();
    expect(await modelCalls.reusable(at, 0, 'other')).toBeNull();
    expect(await toolCalls.reusable(at, { round: 0, index: 1 }, 'h0')).toEqual({ output: 'tool' });
    expect(await toolCalls.reusable(at, { round: 0, index: 0 }, 'h0')).toBeNull();

    await modelCalls.discardAttempt(at.taskId, 1);
    await toolCalls.discardAttempt(at.taskId, 1);
    expect(await modelCalls.reusable(at, 0, 'h0')).toBeNull();
    expect(await toolCalls.reusable(at, { round: 0, index: 1 }, 'h0')).toBeNull();
  });

  it('reuses the answers of the run a replay replays, nearest first, unless the replay refreshes the step', async () => {
    const source = scope({ runId: randomUUID(), step: 'ask' });
    const replay = scope({ runId: randomUUID(), step: 'ask' });
    const refreshing = scope({ runId: randomUUID(), step: 'ask' });
    await modelCall(source, 0, 'recorded');
    await toolCall(source, 0, 0, 'recorded tool');
    await modelCalls.linkReplay('ws-a', replay.runId!, source.runId!, []);
    await modelCalls.linkReplay('ws-a', refreshing.runId!, source.runId!, ['ask']);

    expect(await modelCalls.reusable(replay, 0, 'h0')).toEqual({ answer: 'recorded' });
    expect(await toolCalls.reusable(replay, { round: 0, index: 0 }, 'h0')).toEqual({
      output: 'recorded tool',
    });
    expect(await modelCalls.reusable(refreshing, 0, 'h0')).toBeNull();
    expect(await toolCalls.reusable(refreshing, { round: 0, index: 0 }, 'h0')).toBeNull();
    expect(await modelCalls.reusable({ ...replay, workspaceId: 'ws-b' }, 0, 'h0')).toBeNull();

    await modelCall(replay, 0, 'replayed');
    expect(await modelCalls.reusable(replay, 0, 'h0')).toEqual({ answer: 'replayed' });
  });
});
