import { DomainError, type Envelope, type ReplayRunCommand, type RunView } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { currentTraceparent } from '@baton/kafka';
import { walkSteps } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { WorkflowDefinitions } from '../../workflows/workflow-definitions';
import { toRunView } from '../store/run.view';
import { RunsRepository } from '../store/runs.repository';
import { RunStarter } from './run-starter';

/**
 * `POST /v1/runs/{id}/replay`: a new run of the source run's workflow version
 * with the source's input and trigger. Its agent tasks carry the source run,
 * so agent-manager answers each llm step from the source's recorded model
 * calls (following the source's own replay chain) and calls the model only for
 * the steps named in `refresh` or asking a question the record does not hold.
 * The source run is not touched.
 */
@Injectable()
export class ReplayRunUseCase {
  constructor(
    private readonly runs: RunsRepository,
    private readonly definitions: WorkflowDefinitions,
    private readonly starter: RunStarter,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(command: ReplayRunCommand, request: Envelope): Promise<RunView> {
    const workspaceId = request.workspaceid;
    const source = await this.runs.findRun(workspaceId, command.run_id);
    if (!source) throw DomainError.notFound('run', command.run_id);
    if (source.parentRunId) {
      throw DomainError.invalid('run_id', 'a sub-workflow run is replayed with its parent run');
    }
    const definition = await this.definitions.get(
      workspaceId,
      source.workflow,
      source.workflowVersion,
    );
    const steps = new Set<string>();
    walkSteps(definition, (step) => steps.add(step.name));
    for (const [i, step] of (command.refresh ?? []).entries()) {
      if (!steps.has(step)) {
        throw DomainError.invalid(
          `refresh[${i}]`,
          `'${step}' is not a step of ${source.workflow} version ${source.workflowVersion}`,
        );
      }
    }
    await this.starter.requireKnownAgents(workspaceId, definition);
    const [run] = await this.uow.run((tx) =>
      this.starter.createMany(tx, [
        {
          spec: {
            workspaceId,
            workflow: source.workflow,
            version: source.workflowVersion,
            definition,
            input: source.input as Record<string, unknown>,
            correlationId: request.correlationid,
            trigger: source.trigger ?? undefined,
            replay: { of: source.id, refresh: command.refresh ?? null },
          },
          cause: request,
          traceparent: currentTraceparent(),
        },
      ]),
    );
    if (!run) throw new Error(`the replay of run ${source.id} was not created`);
    return toRunView(run, await this.runs.executionsOf(run.id));
  }
}
