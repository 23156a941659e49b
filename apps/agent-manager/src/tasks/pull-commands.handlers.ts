import {
  AgentTaskMessageTypes,
  ClaimTaskCommand,
  DomainError,
  ExtendClaimCommand,
  PULL_LEASE_DEFAULT_MS,
  ReportTaskCommand,
  type ClaimedTaskView,
  type ClaimLeaseView,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { AgentsRepository } from '../agent-model/agents.repository';
import { PullTasksRepository, type ClaimRefusal } from '../runtimes/pull/pull-tasks.repository';
import { FinishTaskUseCase } from '../task-outcomes/finish-task.usecase';
import { JsonSchemas } from '../agent-model/json-schemas';
import type { TaskOutcome } from '../task-model/tasks.repository';

const FAILURE_TYPES = new Set(['timeout', 'validation_error', 'system_error']);

/**
 * HTTP workers of `pull` agents: claim the next waiting task under a lease,
 * renew the lease while at work, report its result. Claims live in the tasks
 * table, so whichever replica answers, the claim is the same one (ADR 0033).
 * The result then takes the path of every task agent-manager runs (stored,
 * then on baton.agent.results), so it is durable once answered.
 */
@Injectable()
export class PullCommands extends CommandHandlers {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly pullTasks: PullTasksRepository,
    private readonly finish: FinishTaskUseCase,
    private readonly schemas: JsonSchemas,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(AgentTaskMessageTypes.claim, ClaimTaskCommand, (command, envelope) =>
        this.claim(envelope.workspaceid, command),
      )
      .handle(AgentTaskMessageTypes.extend, ExtendClaimCommand, (command, envelope) =>
        this.extend(envelope.workspaceid, command),
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
    const claim = await this.pullTasks.claim(
      workspaceId,
      command.name,
      command.worker_id ?? 'anonymous',
      command.lease_ms ?? PULL_LEASE_DEFAULT_MS,
    );
    if (!claim) return { task: null };
    return {
      task: {
        task_id: claim.task.id,
        agent: command.name,
        input: claim.task.input,
        claim_token: claim.token,
        lease_expires_at: claim.until.toISOString(),
        deadline: claim.deadline.toISOString(),
      },
    };
  }

  private async extend(workspaceId: string, command: ExtendClaimCommand): Promise<ClaimLeaseView> {
    await this.pullAgent(workspaceId, command.name);
    const lease = await this.pullTasks.extend(
      workspaceId,
      command.name,
      command.task_id,
      command.claim_token,
      command.lease_ms ?? PULL_LEASE_DEFAULT_MS,
    );
    if (typeof lease === 'string') throw refused(lease, command.task_id);
    return {
      task_id: command.task_id,
      lease_expires_at: lease.until.toISOString(),
      deadline: lease.deadline.toISOString(),
    };
  }

  private async report(
    workspaceId: string,
    command: ReportTaskCommand,
  ): Promise<{ accepted: true }> {
    await this.pullAgent(workspaceId, command.name);
    const task = await this.pullTasks.claimed(
      workspaceId,
      command.name,
      command.task_id,
      command.claim_token,
    );
    if (typeof task === 'string') throw refused(task, command.task_id);
    const outcome = await this.outcome(task.workspaceId, task.agent, task.agentVersion, command);
    outcome.durationMs = Date.now() - task.createdAt.getTime();
    // The claim is checked again in the finishing statement: a lease that ran out meanwhile loses.
    const finished = await this.finish.execute(task, outcome, {
      publishResult: true,
      claimToken: command.claim_token,
    });
    if (!finished) {
      const now = await this.pullTasks.claimed(
        workspaceId,
        command.name,
        command.task_id,
        command.claim_token,
      );
      throw refused(typeof now === 'string' ? now : 'stale-claim', command.task_id);
    }
    return { accepted: true };
  }

  /** The worker's answer as a task outcome; an output that breaks the agent's output schema fails the task. */
  private async outcome(
    workspaceId: string,
    agentName: string,
    version: number,
    command: ReportTaskCommand,
  ): Promise<TaskOutcome> {
    if (command.error) {
      const type = FAILURE_TYPES.has(command.error.type) ? command.error.type : 'system_error';
      return { status: 'failed', error: { type, message: command.error.message } };
    }
    const output = command.output ?? null;
    const agent = await this.agents.snapshot(workspaceId, agentName, version);
    const problem = agent
      ? this.schemas.outputProblem(
          `${workspaceId}/${agentName}/${version}`,
          agent.outputSchema,
          output,
        )
      : null;
    if (problem) return { status: 'failed', error: { type: 'validation_error', message: problem } };
    return { status: 'completed', output };
  }

  private async pullAgent(workspaceId: string, name: string): Promise<void> {
    const agent = await this.agents.find(workspaceId, name);
    if (!agent) throw DomainError.notFound('agent', name);
    if (agent.runtime !== 'pull') {
      throw new DomainError(
        'AGENT.NOT_PULL',
        `agent '${name}' has runtime '${agent.runtime}'; HTTP workers serve runtime 'pull' agents`,
      );
    }
  }
}

function refused(reason: ClaimRefusal, taskId: string): DomainError {
  if (reason === 'unknown-task') {
    return new DomainError(
      'TASK.NOT_AWAITING_RESULT',
      `task '${taskId}' is not waiting for a result (finished, timed out, or never claimed)`,
    );
  }
  return new DomainError(
    'TASK.CLAIM_EXPIRED',
    'this claim expired and the task went back to the queue; its result was not used',
    [{ field: 'claim_token', message: 'is not the task’s current claim' }],
  );
}
