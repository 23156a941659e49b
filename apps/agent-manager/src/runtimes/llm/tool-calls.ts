import { createHash, randomUUID } from 'node:crypto';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import canonicalize from 'canonicalize';
import type { Logger } from 'pino';
import type { CallScope } from './recorded-calls';
import { ToolCallsRepository, type ToolCallPlace } from './tool-calls.repository';

/**
 * Record once, replay free, for the MCP tools of llm agents (ADR 0040): a
 * tool's answer is recorded where it was asked (the step of the run, the
 * round, the call's place in it) and the same call there is answered from the
 * record, on a retry, a task run again after a crash or a replayed run. Only
 * answers are recorded: a failed call (the server down, the breaker open) is
 * asked again next time.
 */
@Injectable()
export class ToolCalls {
  constructor(
    private readonly calls: ToolCallsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  discard(scope: CallScope): Promise<void> {
    return this.calls.discardAttempt(scope.taskId, scope.attempt);
  }

  async call(
    scope: CallScope,
    place: ToolCallPlace,
    tool: string,
    args: unknown,
    record: boolean,
    callTool: () => Promise<{ ok: true; output: unknown } | { ok: false; error: unknown }>,
  ): Promise<{ output: unknown } | { error: unknown }> {
    if (!record) {
      const answer = await callTool();
      return answer.ok ? { output: answer.output } : { error: answer.error };
    }
    const requestHash = createHash('sha256')
      .update(canonicalize({ tool, arguments: args }) ?? '')
      .digest('hex');
    const recorded = await this.calls.reusable(scope, place, requestHash);
    if (recorded !== null) {
      this.logger.info(
        { task_id: scope.taskId, run_id: scope.runId, step: scope.step, tool, round: place.round },
        'tool answer reused from the record',
      );
      return { output: (recorded as { output: unknown }).output };
    }
    const started = Date.now();
    const answer = await callTool();
    if (!answer.ok) return { error: answer.error };
    await this.calls.record({
      id: randomUUID(),
      scope,
      place,
      tool,
      requestHash,
      arguments: args,
      // Wrapped, so that a tool answering null is still a recorded answer.
      result: { output: answer.output ?? null },
      latencyMs: Date.now() - started,
    });
    return { output: answer.output };
  }
}
