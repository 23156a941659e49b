import {
  DomainError,
  type Envelope,
  type FlowRunView,
  type StartRunCommand,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { WorkflowsRepository } from '../workflows/workflows.repository';
import { InputSchemas } from './input-schemas';
import type { RunEntity } from './run.entity';
import { RunStarter } from './run-starter';
import { toRunView } from './run.view';
import { RunsRepository } from './runs.repository';
import { WorkflowDefinitions } from './workflow-definitions';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class StartRunUseCase {
  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly definitions: WorkflowDefinitions,
    private readonly inputSchemas: InputSchemas,
    private readonly runs: RunsRepository,
    private readonly starter: RunStarter,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Starts a run of the active version; the same Idempotency-Key answers the same run.
   * `trigger` is what started it (an event, a schedule firing), readable as `${trigger}`.
   */
  async execute(
    command: StartRunCommand,
    request: Envelope,
    options: { trigger?: unknown } = {},
  ): Promise<{ created: boolean; run: FlowRunView }> {
    const workspaceId = request.workspaceid;
    if (command.idempotency_key) {
      const existing = await this.runs.findByIdempotencyKey(
        workspaceId,
        command.workflow,
        command.idempotency_key,
      );
      if (existing)
        return {
          created: false,
          run: toRunView(existing, await this.runs.executionsOf(existing.id)),
        };
    }
    const workflow = await this.workflows.find(workspaceId, command.workflow);
    if (!workflow) throw DomainError.notFound('workflow', command.workflow);
    const version = workflow.activeVersion;
    const definition = await this.definitions.get(workspaceId, command.workflow, version);
    const input = command.input ?? {};
    this.inputSchemas.check(`${workspaceId}/${command.workflow}/${version}`, definition, input);
    await this.starter.requireKnownAgents(workspaceId, definition);

    let run: RunEntity;
    try {
      run = await this.uow.run((tx) =>
        this.starter.create(
          tx,
          {
            workspaceId,
            workflow: command.workflow,
            version,
            definition,
            input,
            correlationId: request.correlationid,
            idempotencyKey: command.idempotency_key ?? null,
            trigger: options.trigger,
          },
          request,
        ),
      );
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION && command.idempotency_key) {
        return this.execute(command, request, options); // a concurrent request with the same key won
      }
      throw error;
    }
    // The first decision may already have finished the run: `run` carries its state.
    return { created: true, run: toRunView(run, await this.runs.executionsOf(run.id)) };
  }
}
