import {
  AgentTaskMessageTypes,
  ClaimTaskCommand,
  DomainError,
  ErrorCodes,
  PULL_LEASE_DEFAULT_MS,
  ReportTaskCommand,
  type ClaimedTaskView,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { AgentsRepository } from '../agents/agents.repository';
import { PullRuntime } from '../runtimes/pull/pull.runtime';

/**
 * HTTP workers of `pull` agents: claim the next waiting task under a lease,
 * report its result. The result then takes the path of every task agent-manager
 * runs (stored, then on baton.agent.results), so it is durable once answered.
 */
@Injectable()
export class PullCommands extends CommandHandlers {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly runtime: PullRuntime,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(AgentTaskMessageTypes.claim, ClaimTaskCommand, (command, envelope) =>
        this.claim(envelope.workspaceid, command),
      )
      .handle(AgentTaskMessageTypes.report, ReportTaskCommand, (command, envelope) =>
        this.report(envelope.workspaceid, command),
      );
  }

  private async claim(
    workspaceId: string,
    command: ClaimTaskCommand,
  ): Promise<{ task: ClaimedTaskView | null }> {
    await this.pullAgent(workspaceId, command.name);
    const claim = this.runtime.tasks.claim(
      `${workspaceId}/${command.name}`,
      command.worker_id ?? 'anonymous',
      command.lease_ms ?? PULL_LEASE_DEFAULT_MS,
      Date.now(),
    );
    if (!claim) return { task: null };
    return {
      task: {
        task_id: claim.taskId,
        agent: command.name,
        input: claim.input,
        claim_token: claim.token,
        lease_expires_at: new Date(claim.until).toISOString(),
        deadline: new Date(claim.deadline).toISOString(),
      },
    };
  }

  private async report(
    workspaceId: string,
    command: ReportTaskCommand,
  ): Promise<{ accepted: true }> {
    await this.pullAgent(workspaceId, command.name);
    const verdict = this.runtime.tasks.report(
      `${workspaceId}/${command.name}`,
      command.task_id,
      command.claim_token,
      command.error ? { error: command.error } : { output: command.output ?? null },
      Date.now(),
    );
    if (verdict === 'unknown-task') {
      throw new DomainError(
        ErrorCodes.notFound,
        `task '${command.task_id}' is not waiting for a result (finished, timed out, or never claimed)`,
      );
    }
    if (verdict === 'stale-claim') {
      throw new DomainError(
        ErrorCodes.conflict,
        'this claim expired and the task went back to the queue; its result was not used',
        [{ field: 'claim_token', message: 'is not the task’s current claim' }],
      );
    }
    return { accepted: true };
  }

  private async pullAgent(workspaceId: string, name: string): Promise<void> {
    const agent = await this.agents.find(workspaceId, name);
    if (!agent) throw DomainError.notFound('agent', name);
    if (agent.runtime !== 'pull') {
      throw new DomainError(
        ErrorCodes.conflict,
        `agent '${name}' has runtime '${agent.runtime}'; HTTP workers serve runtime 'pull' agents`,
      );
    }
  }
}
