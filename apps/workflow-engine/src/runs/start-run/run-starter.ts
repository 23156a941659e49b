import {
  DomainError,
  ErrorCodes,
  WorkflowEventTypes,
  type Envelope,
  isObject,
} from '@baton/contracts';
import { insertEntity, type Transaction } from '@baton/database';
import { currentTraceparent } from '@baton/kafka';
import { startRunSpan } from '../run-tracing';
import { walkSteps, type WorkflowDefinition } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { KnownAgentsRepository } from '../../known-agents/known-agents.repository';
import { WorkflowsRepository } from '../../workflows/workflows.repository';
import { InputSchemas } from '../../workflows/input-schemas';
import { RunEntity } from '../store/run.entity';
import { RunProgress } from '../execution/run-progress';
import { ACTIVE_STATUSES } from '../../interpreter';
import { RunsRepository, type TimerRow } from '../store/runs.repository';
import type { RunWrites } from '../store/run-writes';
import { WorkflowDefinitions } from '../../workflows/workflow-definitions';
import { workflowEvent } from '../execution/workflow-events';
import { recordRunStarted } from '../workflow-metrics';
import { RunAdmission } from './run-admission';

export interface NewRun {
  workspaceId: string;
  workflow: string;
  version: number;
  definition: WorkflowDefinition;
  input: Record<string, unknown>;
  correlationId: string;
  idempotencyKey?: string | null;
  /** What started the run (an event, a schedule firing): `${trigger}` in its expressions. */
  trigger?: unknown;
  parent?: { runId: string; taskId: string; attempt: number };
  /** The run this one replays, and the steps that ask the model again (POST /v1/runs/{id}/replay). */
  replay?: { of: string; refresh: string[] | null };
}

/** One run to create, with the message it answers and the trace that message came in. */
export interface RunStart {
  spec: NewRun;
  cause?: Envelope;
  traceparent?: string;
}

/** Creates runs: the ones users start, and the children sub-workflow steps start. */
@Injectable()
export class RunStarter {
  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly definitions: WorkflowDefinitions,
    private readonly knownAgents: KnownAgentsRepository,
    private readonly inputSchemas: InputSchemas,
    private readonly runs: RunsRepository,
    private readonly progress: RunProgress,
    private readonly admission: RunAdmission,
  ) {}

  /** Inserts the run and takes its first decision, in the caller's transaction. */
  async create(tx: Transaction, spec: NewRun, cause?: Envelope): Promise<RunEntity> {
    const run = newRunEntity(spec, currentTraceparent());
    await insertEntity(tx.manager, RunEntity, run);
    await this.begin(tx, run, spec.definition, spec.parent, cause);
    return run;
  }

  /**
   * Many runs in the caller's transaction: one insert, first decisions that
   * share one flush. A run whose idempotency key is taken already is skipped
   * (a redelivered event): the answer has the run created for each start, or
   * nothing where the key was taken. A run its workspace has no room for is
   * stored `queued`, without a first decision (RunAdmission).
   */
  async createMany(tx: Transaction, starts: RunStart[]): Promise<(RunEntity | undefined)[]> {
    // Each run's trace begins before its row is written: the row keeps it (GET /v1/runs/{id}).
    const spans = starts.map((start) => startRunSpan(start));
    try {
      const runs = starts.map(({ spec }, i) => newRunEntity(spec, spans[i].traceparent));
      await this.admission.admitNew(tx, runs);
      const inserted = await this.runs.insertNew(tx.manager, runs);
      const writes = this.progress.newWrites();
      for (const [i, run] of runs.entries()) {
        spans[i].setAttributes({
          'baton.run_id': run.id,
          'baton.run.created': inserted.has(run.id),
          'baton.run.queued': run.status === 'queued',
        });
        if (!inserted.has(run.id)) continue;
        const { spec, cause } = starts[i];
        // Started by a caller (a trigger's runs are the platform's own doing).
        if (cause?.principal)
          tx.audit(
            { action: 'run.start', target: `run/${run.id}`, details: { workflow: spec.workflow } },
            cause,
          );
        if (run.status === 'queued') {
          // Watchers see it waiting; `workflow.run.started` follows when it is admitted.
          tx.publish(workflowEvent(WorkflowEventTypes.runQueued, run, {}, cause));
          continue;
        }
        await spans[i].within(() =>
          this.begin(tx, run, spec.definition, spec.parent, cause, writes),
        );
      }
      await writes.flush(tx);
      for (const span of spans) span.end();
      return runs.map((run) => (inserted.has(run.id) ? run : undefined));
    } catch (error) {
      for (const span of spans) span.end(error);
      throw error;
    }
  }

  /**
   * Queued runs their workspace now has room for (AdmitQueuedUseCase), their
   * rows already `running` in this transaction: their first decisions, in one flush.
   */
  async beginAdmitted(tx: Transaction, runs: RunEntity[]): Promise<void> {
    const writes = this.progress.newWrites();
    for (const run of runs) {
      run.status = 'running';
      const definition = await this.definitions.get(
        run.workspaceId,
        run.workflow,
        run.workflowVersion,
        tx.manager,
      );
      await this.begin(tx, run, definition, undefined, undefined, writes);
    }
    await writes.flush(tx);
  }

  private async begin(
    tx: Transaction,
    run: RunEntity,
    definition: WorkflowDefinition,
    parent: NewRun['parent'],
    cause?: Envelope,
    writes?: RunWrites,
  ): Promise<void> {
    tx.publish(
      workflowEvent(
        WorkflowEventTypes.runStarted,
        run,
        parent ? { parent_run_id: parent.runId } : {},
        cause,
      ),
    );
    await this.progress.start(tx, run, definition, cause, writes);
    tx.afterCommit(() => recordRunStarted(run));
  }

  /**
   * A sub-workflow step asked for a child run (a `start-child` timer). The
   * child runs the named workflow's active version with the step's input; a
   * child that cannot start (unknown workflow, input that fails the child's
   * input_schema) fails the parent's step instead.
   */
  async startChild(tx: Transaction, timer: TimerRow): Promise<void> {
    const payload = timer.payload as {
      task_id: string;
      attempt: number;
      workflow: string;
      input: unknown;
    };
    const parent = await this.runs.lockRun(tx.manager, timer.run_id);
    if (!parent || parent.status !== 'running') return;
    const step = await this.runs.findExecution(tx.manager, payload.task_id);
    if (!step || !ACTIVE_STATUSES.has(step.status) || step.attempt !== payload.attempt) return;
    const input = isObject(payload.input) ? payload.input : { value: payload.input ?? null };
    try {
      const workflow = await this.workflows.find(parent.workspaceId, payload.workflow, tx.manager);
      if (!workflow) throw DomainError.notFound('workflow', payload.workflow);
      const version = workflow.activeVersion;
      const definition = await this.definitions.get(
        parent.workspaceId,
        workflow.name,
        version,
        tx.manager,
      );
      this.inputSchemas.check(
        `${parent.workspaceId}/${workflow.name}/${version}`,
        definition,
        input,
      );
      await this.requireKnownAgents(parent.workspaceId, definition, tx.manager);
      await this.create(tx, {
        workspaceId: parent.workspaceId,
        workflow: workflow.name,
        version,
        definition,
        input,
        correlationId: parent.correlationId,
        // A sub-workflow reads the same `${trigger}` as the run that started it.
        trigger: parent.trigger,
        parent: { runId: parent.id, taskId: payload.task_id, attempt: payload.attempt },
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await this.progress.advance(tx, parent, {
        kind: 'child-finished',
        taskId: payload.task_id,
        attempt: payload.attempt,
        status: 'failed',
        error: {
          type: error.code === ErrorCodes.validation ? 'validation_error' : 'system_error',
          message: `workflow '${payload.workflow}' could not start: ${error.message}`,
        },
      });
    }
  }

  /** Steps that name an agent nobody registered cannot run: say so before starting. */
  async requireKnownAgents(
    workspaceId: string,
    definition: WorkflowDefinition,
    manager?: EntityManager,
  ): Promise<void> {
    const wanted = new Map<string, string>();
    walkSteps(definition, (step) => {
      if (step.kind === 'agent' && step.agent.kind === 'static')
        wanted.set(step.agent.name, step.name);
    });
    const known = await this.knownAgents.known(workspaceId, [...wanted.keys()], manager);
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

function newRunEntity(spec: NewRun, traceparent: string | undefined): RunEntity {
  const now = new Date();
  return Object.assign(new RunEntity(), {
    id: randomUUID(),
    workspaceId: spec.workspaceId,
    workflow: spec.workflow,
    workflowVersion: spec.version,
    status: 'running',
    input: spec.input,
    output: null,
    error: null,
    correlationId: spec.correlationId,
    trigger: spec.trigger ?? null,
    pausedAt: null,
    idempotencyKey: spec.idempotencyKey ?? null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    parentRunId: spec.parent?.runId ?? null,
    parentTaskId: spec.parent?.taskId ?? null,
    parentAttempt: spec.parent?.attempt ?? null,
    state: null,
    traceparent: traceparent ?? null,
    replayOf: spec.replay?.of ?? null,
    replayRefresh: spec.replay?.refresh ?? null,
  } satisfies RunEntity);
}
