import {
  CreateWorkflowCommand,
  DomainError,
  MessageTypes,
  ValidateWorkflowCommand,
  WorkflowNameQuery,
  WorkflowOpsMessageTypes,
  decodeCursor,
  toPage,
  IntBetween,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { ValidateWorkflowUseCase } from '../validation/validate-workflow.usecase';
import { CreateWorkflowUseCase } from '../workflows/create-workflow.usecase';
import { toWorkflowView } from '../workflows/workflow.view';
import { WorkflowsRepository } from '../workflows/workflows.repository';

class ListWorkflowsQuery {
  @IsOptional()
  @IsString()
  cursor?: string;

  @IsOptional()
  @IntBetween(1, 200)
  limit?: number;
}

/**
 * Creating, validating, reading and listing workflows. Runs, versions, run
 * operations and dry runs answer their own commands (`*.handlers.ts` next to them).
 */
@Injectable()
export class WorkflowCommandsHandlers extends CommandHandlers {
  constructor(
    private readonly createWorkflow: CreateWorkflowUseCase,
    private readonly workflows: WorkflowsRepository,
    private readonly validate: ValidateWorkflowUseCase,
  ) {
    super();
  }

  register(commands: CommandRegistry): void {
    commands
      .handle(MessageTypes.workflowCreate, CreateWorkflowCommand, (command, envelope) =>
        this.createWorkflow.execute(command, envelope),
      )
      .handle(WorkflowOpsMessageTypes.validate, ValidateWorkflowCommand, (command, envelope) =>
        this.validate.execute(command, envelope),
      )
      .handle(MessageTypes.workflowGet, WorkflowNameQuery, async (query, envelope) => {
        const version = await this.workflows.findActiveVersion(envelope.workspaceid, query.name);
        if (!version) throw DomainError.notFound('workflow', query.name);
        return toWorkflowView(version);
      })
      .handle(MessageTypes.workflowList, ListWorkflowsQuery, async (query, envelope) => {
        const limit = query.limit ?? 50;
        const rows = await this.workflows.list(
          envelope.workspaceid,
          decodeCursor(query.cursor),
          limit + 1,
        );
        const page = toPage(
          rows,
          limit,
          (w) => w,
          (w) => w.name,
        );
        return {
          items: page.items.map((w) => ({
            name: w.name,
            active_version: w.activeVersion,
            latest_version: w.latestVersion,
            updated_at: w.updatedAt.toISOString(),
          })),
          next_cursor: page.next_cursor,
        };
      });
  }
}
