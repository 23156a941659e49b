import {
  DomainError,
  ErrorCodes,
  WorkflowEventTypes,
  type Envelope,
  type RunView,
  type StartRunCommand,
} from '@baton/contracts';
import { UnitOfWork, insertEntity } from '@baton/database';
import { walkSteps, type WorkflowDefinition } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { KnownAgentsRepository } from '../known-agents/known-agents.repository';
import { WorkflowsRepository } from '../workflows/workflows.repository';
import { InputSchemas } from './input-schemas';
import { RunEntity } from './run.entity';
import { planFrom } from './run-planner';
import { RunProgress } from './run-progress';
import { toRunView } from './run.view';
import { RunsRepository } from './runs.repository';
import { WorkflowDefinitions } from './workflow-definitions';
import { workflowEvent } from './workflow-events';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class StartRunUseCase {
  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly definitions: WorkflowDefinitions,
    private readonly knownAgents: KnownAgentsRepository,
    private readonly inputSchemas: InputSchemas,
    private readonly runs: RunsRepository,
    private readonly progress: RunProgress,
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
  ): Promise<{ created: boolean; run: RunView }> {
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
    await this.requireKnownAgents(workspaceId, definition);

    const now = new Date();
    const run = Object.assign(new RunEntity(), {
      id: randomUUID(),
      workspaceId,
      workflow: command.workflow,
      workflowVersion: version,
      status: 'running',
      input,
      output: null,
      error: null,
      trigger: options.trigger ?? null,
      pausedAt: null,
      correlationId: request.correlationid,
      idempotencyKey: command.idempotency_key ?? null,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    } satisfies RunEntity);
    const plan = await planFrom(
      definition,
      {
        runId: run.id,
        workflow: run.workflow,
        workflowVersion: version,
        input,
        trigger: options.trigger,
        steps: {},
      },
      0,
    );
    try {
      await this.uow.run(async (tx) => {
        await insertEntity(tx.manager, RunEntity, run);
        tx.publish(workflowEvent(WorkflowEventTypes.runStarted, run, {}, request));
        await this.progress.apply(tx, run, plan, request);
      });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION && command.idempotency_key) {
        return this.execute(command, request, options); // a concurrent request with the same key won
      }
      throw error;
    }
    return { created: true, run: toRunView(run, await this.runs.executionsOf(run.id)) };
  }

  /** Steps that name an agent nobody registered cannot run: say so before starting. */
  private async requireKnownAgents(
    workspaceId: string,
    definition: WorkflowDefinition,
  ): Promise<void> {
    const wanted = new Map<string, string>();
    walkSteps(definition, (step) => {
      if (step.kind === 'agent' && step.agent.kind === 'static')
        wanted.set(step.agent.name, step.name);
    });
    const known = await this.knownAgents.known(workspaceId, [...wanted.keys()]);
    const missing = [...wanted].filter(([agent]) => !known.has(agent));
    if (missing.length > 0) {
      throw new DomainError(
        ErrorCodes.validation,
        `unknown agent(s): ${missing.map(([agent]) => agent).join(', ')}`,
        missing.map(([agent, step]) => ({
          field: `steps.${step}.agent`,
          message: `agent '${agent}' is not registered`,
        })),
      );
    }
  }
}
