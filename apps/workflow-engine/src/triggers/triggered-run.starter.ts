import {
  DomainError,
  Topics,
  WorkflowOpsEventTypes,
  createEnvelope,
  type Envelope,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { WorkflowDefinition } from '@baton/workflow-dsl';
import { InputSchemas } from '../runs/input-schemas';
import { RunStarter } from '../runs/run-starter';
import { StartRunUseCase } from '../runs/start-run.usecase';
import { WorkflowDefinitions } from '../runs/workflow-definitions';
import { WorkflowsRepository } from '../workflows/workflows.repository';

export interface TriggeredStart {
  workspaceId: string;
  workflow: string;
  input: Record<string, unknown>;
  /** What `${trigger}` reads in the run. */
  trigger: unknown;
  /** One run per key and workflow: a redelivered event or a re-fired schedule starts nothing new. */
  idempotencyKey: string;
  /** The message the run is a consequence of (workspace, correlation and causation come from it). */
  cause: Envelope;
  /** The trace the cause arrived in, when it is not on the envelope. */
  traceparent?: string;
}

/** Runs started per transaction when a batch of events triggers many. */
const STARTS_PER_TRANSACTION = 500;

/**
 * Starts a run on behalf of a trigger. A run that cannot start for a reason
 * retrying will not fix (input against input_schema, an unregistered agent)
 * is reported as a `workflow.trigger.failed` event, once, and the trigger
 * moves on; anything else is thrown so that the caller retries.
 */
@Injectable()
export class TriggeredRunStarter {
  constructor(
    private readonly startRun: StartRunUseCase,
    private readonly uow: UnitOfWork,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly workflows: WorkflowsRepository,
    private readonly definitions: WorkflowDefinitions,
    private readonly inputSchemas: InputSchemas,
    private readonly runStarter: RunStarter,
  ) {}

  /**
   * Starts the runs of a batch of trigger events in as few transactions as
   * possible: each workflow is looked up once, and the runs that can start are
   * inserted and take their first step together (RunStarter.createMany). Those
   * that cannot are reported one by one, as `start` does.
   */
  async startMany(specs: TriggeredStart[]): Promise<void> {
    const ready: Parameters<RunStarter['createMany']>[1] = [];
    const workflows = new Map<
      string,
      Promise<{ version: number; definition: WorkflowDefinition }>
    >();
    for (const spec of specs) {
      const key = `${spec.workspaceId}\u0000${spec.workflow}`;
      if (!workflows.has(key)) workflows.set(key, this.activeDefinition(spec));
      try {
        const { version, definition } = await workflows.get(key)!;
        this.inputSchemas.check(
          `${spec.workspaceId}/${spec.workflow}/${version}`,
          definition,
          spec.input,
        );
        ready.push({
          spec: {
            workspaceId: spec.workspaceId,
            workflow: spec.workflow,
            version,
            definition,
            input: spec.input,
            correlationId: spec.cause.correlationid,
            idempotencyKey: spec.idempotencyKey,
            trigger: spec.trigger,
          },
          cause: { ...spec.cause, workspaceid: spec.workspaceId },
          traceparent: spec.cause.traceparent ?? spec.traceparent,
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await this.reportFailure(spec, error);
      }
    }
    for (let i = 0; i < ready.length; i += STARTS_PER_TRANSACTION) {
      const chunk = ready.slice(i, i + STARTS_PER_TRANSACTION);
      await this.uow.run((tx) => this.runStarter.createMany(tx, chunk));
    }
  }

  /** The workflow's active version, if it can start runs (its agents are all registered). */
  private async activeDefinition(
    spec: TriggeredStart,
  ): Promise<{ version: number; definition: WorkflowDefinition }> {
    const workflow = await this.workflows.find(spec.workspaceId, spec.workflow);
    if (!workflow) throw DomainError.notFound('workflow', spec.workflow);
    const version = workflow.activeVersion;
    const definition = await this.definitions.get(spec.workspaceId, spec.workflow, version);
    await this.runStarter.requireKnownAgents(spec.workspaceId, definition);
    return { version, definition };
  }

  async start(spec: TriggeredStart): Promise<string | undefined> {
    try {
      const { run } = await this.startRun.execute(
        { workflow: spec.workflow, input: spec.input, idempotency_key: spec.idempotencyKey },
        { ...spec.cause, workspaceid: spec.workspaceId },
        { trigger: spec.trigger },
      );
      return run.id;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await this.reportFailure(spec, error);
      return undefined;
    }
  }

  /** A `workflow.trigger.failed` event, once per workflow and key, for a run that cannot start. */
  private async reportFailure(spec: TriggeredStart, error: DomainError): Promise<void> {
    this.logger.warn(
      { workflow: spec.workflow, key: spec.idempotencyKey, err: { message: error.message } },
      'trigger matched but the run could not start',
    );
    await this.uow.run(async (tx) => {
      if (!(await tx.markProcessed('trigger-failed', `${spec.workflow}/${spec.idempotencyKey}`)))
        return;
      tx.publish({
        topic: Topics.workflowEvents,
        key: `${spec.workspaceId}/${spec.workflow}`,
        envelope: createEnvelope({
          type: WorkflowOpsEventTypes.triggerFailed,
          source: 'workflow-engine',
          subject: spec.workflow,
          workspaceId: spec.workspaceId,
          causedBy: spec.cause,
          data: {
            workflow: spec.workflow,
            trigger: spec.trigger,
            error: {
              type: 'validation_error',
              message: error.detail,
              errors: error.errors ?? [],
            },
          },
        }),
      });
    });
  }
}
