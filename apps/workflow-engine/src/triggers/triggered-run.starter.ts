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
import { StartRunUseCase } from '../runs/start-run/start-run.usecase';

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
  /** The trace the cause arrived in. */
  traceparent?: string;
}

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
  ) {}

  /** Starts the runs of a batch of trigger events together (StartRunUseCase.startRuns). */
  async startMany(specs: TriggeredStart[]): Promise<(string | undefined)[]> {
    // Only the run ids are wanted: no views are built (startRuns, not executeMany).
    const outcomes = await this.startRun.startRuns(
      specs.map((spec) => ({
        command: {
          workflow: spec.workflow,
          input: spec.input,
          idempotency_key: spec.idempotencyKey,
        },
        request: { ...spec.cause, workspaceid: spec.workspaceId },
        trigger: spec.trigger,
        traceparent: spec.traceparent,
      })),
    );
    const runIds: (string | undefined)[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      if ('run' in outcome) {
        runIds.push(outcome.run.id);
        continue;
      }
      if (!(outcome.error instanceof DomainError)) throw outcome.error;
      await this.reportFailure(specs[i], outcome.error);
      runIds.push(undefined);
    }
    return runIds;
  }

  async start(spec: TriggeredStart): Promise<string | undefined> {
    return (await this.startMany([spec]))[0];
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
