import {
  DomainError,
  type Envelope,
  type FlowRunView,
  type StartRunCommand,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import type { WorkflowDefinition } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { WorkflowsRepository } from '../../workflows/workflows.repository';
import { InputSchemas } from '../../workflows/input-schemas';
import type { RunEntity } from '../store/run.entity';
import { RunStarter, type NewRun, type RunStart } from './run-starter';
import { toRunView } from '../store/run.view';
import { RunsRepository } from '../store/runs.repository';
import { WorkflowDefinitions } from '../../workflows/workflow-definitions';

export interface StartRequest {
  command: StartRunCommand;
  /** The request's envelope: workspace, correlation and causation come from it. */
  request: Envelope;
  /** What started the run (an event, a schedule firing), readable as `${trigger}`. */
  trigger?: unknown;
  /** The trace the request arrived in, for what the run's first decision publishes. */
  traceparent?: string;
}

export type StartResult = { created: boolean; run: FlowRunView };

/** Runs started per transaction when many requests (or trigger events) arrive together. */
const STARTS_PER_TRANSACTION = 500;

export type Outcome = { run: RunEntity; created: boolean } | { error: unknown };

/**
 * Starts runs of the active version of their workflow; the same
 * Idempotency-Key answers the same run. Requests that arrive together (a
 * fetched batch of start commands) are started in one transaction: one insert,
 * first decisions sharing one flush. Each request gets its own answer: a run,
 * or the error that kept it from starting.
 */
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

  /** Starts the runs and answers each request with its run's view (the API's answer). */
  async executeMany(requests: StartRequest[]): Promise<PromiseSettledResult<StartResult>[]> {
    return this.views(await this.startRuns(requests));
  }

  /** Starts the runs; each request's outcome is its run (new or earlier) or its error. */
  async startRuns(requests: StartRequest[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(requests.length);
    const existing = await this.existingRuns(requests);
    const ready: (RunStart & { spec: NewRun; index: number })[] = [];
    const active = new Map<string, Promise<{ version: number; definition: WorkflowDefinition }>>();
    // The same key twice in one batch (a message and its redelivery fetched together) is one
    // start: the repeat takes the first one's outcome instead of racing it in one insert.
    const firstWithKey = new Map<string, number>();
    const repeats: [index: number, first: number][] = [];
    for (const [index, { command, request, trigger, traceparent }] of requests.entries()) {
      const workspaceId = request.workspaceid;
      const key = command.idempotency_key;
      const id = key ? idempotencyId(workspaceId, command.workflow, key) : undefined;
      const earlier = id ? existing.get(id) : null;
      if (earlier) {
        outcomes[index] = { run: earlier, created: false };
        continue;
      }
      if (id !== undefined) {
        const first = firstWithKey.get(id);
        if (first !== undefined) {
          repeats.push([index, first]);
          continue;
        }
        firstWithKey.set(id, index);
      }
      const workflowId = `${workspaceId}\u0000${command.workflow}`;
      if (!active.has(workflowId)) active.set(workflowId, this.activeDefinition(request, command));
      try {
        const { version, definition } = await active.get(workflowId)!;
        const input = command.input ?? {};
        this.inputSchemas.check(`${workspaceId}/${command.workflow}/${version}`, definition, input);
        const spec: NewRun = {
          workspaceId,
          workflow: command.workflow,
          version,
          definition,
          input,
          correlationId: request.correlationid,
          idempotencyKey: key ?? null,
          trigger,
        };
        ready.push({ index, spec, cause: request, traceparent });
      } catch (error) {
        outcomes[index] = { error };
      }
    }
    await this.linkEventReplays(ready.map((r) => r.spec));
    for (let from = 0; from < ready.length; from += STARTS_PER_TRANSACTION) {
      await this.startTogether(
        ready.slice(from, from + STARTS_PER_TRANSACTION),
        requests,
        outcomes,
      );
    }
    for (const [index, first] of repeats) {
      const outcome = outcomes[first];
      outcomes[index] = 'run' in outcome ? { run: outcome.run, created: false } : outcome;
    }
    return outcomes;
  }

  /** One transaction for these runs; their outcomes go where their requests are. */
  private async startTogether(
    ready: (RunStart & { spec: NewRun; index: number })[],
    requests: StartRequest[],
    outcomes: Outcome[],
  ): Promise<void> {
    const created = await this.uow.run((tx) => this.starter.createMany(tx, ready));
    // A run not created had its key taken meanwhile (a concurrent request, or the same
    // key twice in this batch): that run is the answer.
    const taken = await this.existingRuns(
      ready.filter((_, i) => !created[i]).map((r) => requests[r.index]),
    );
    for (const [i, { index, spec }] of ready.entries()) {
      const run =
        created[i] ??
        taken.get(idempotencyId(spec.workspaceId, spec.workflow, spec.idempotencyKey!));
      outcomes[index] = run
        ? { run, created: Boolean(created[i]) }
        : { error: new Error(`run of ${spec.workflow} was neither created nor found`) };
    }
  }

  /** Each outcome as the command's answer; the runs' steps are read in one query. */
  private async views(outcomes: Outcome[]): Promise<PromiseSettledResult<StartResult>[]> {
    const runIds = outcomes.flatMap((o) => ('run' in o ? [o.run.id] : []));
    const executions = await this.runs.executionsOfRuns(runIds);
    return outcomes.map((outcome) =>
      'run' in outcome
        ? {
            status: 'fulfilled',
            value: {
              created: outcome.created,
              // The first decision may already have finished the run: the entity carries its state.
              run: toRunView(outcome.run, executions.get(outcome.run.id) ?? []),
            },
          }
        : { status: 'rejected', reason: outcome.error },
    );
  }

  /** Runs started earlier under the requests' idempotency keys. */
  private async existingRuns(requests: StartRequest[]): Promise<Map<string, RunEntity>> {
    const found = new Map<string, RunEntity>();
    const byWorkspace = new Map<string, { workflow: string; key: string }[]>();
    for (const { command, request } of requests) {
      if (!command.idempotency_key) continue;
      const keys = byWorkspace.get(request.workspaceid) ?? [];
      keys.push({ workflow: command.workflow, key: command.idempotency_key });
      byWorkspace.set(request.workspaceid, keys);
    }
    for (const [workspaceId, keys] of byWorkspace) {
      for (const run of await this.runs.findByIdempotencyKeys(workspaceId, keys)) {
        found.set(idempotencyId(workspaceId, run.workflow, run.idempotencyKey!), run);
      }
    }
    return found;
  }

  /**
   * A run started by an event replay (its key is the original start's key
   * with `:replay:<id>` after it) replays the run the original event started:
   * it reuses that run's recorded model answers instead of paying for them again.
   */
  private async linkEventReplays(specs: NewRun[]): Promise<void> {
    const replays = specs.flatMap((spec) => {
      const original = spec.idempotencyKey ? eventReplayOriginalKey(spec.idempotencyKey) : null;
      return original ? [{ spec, original }] : [];
    });
    if (replays.length === 0) return;
    const byWorkspace = new Map<string, typeof replays>();
    for (const replay of replays) {
      const list = byWorkspace.get(replay.spec.workspaceId) ?? [];
      list.push(replay);
      byWorkspace.set(replay.spec.workspaceId, list);
    }
    for (const [workspaceId, list] of byWorkspace) {
      const originals = await this.runs.findByIdempotencyKeys(
        workspaceId,
        list.map(({ spec, original }) => ({ workflow: spec.workflow, key: original })),
      );
      const byKey = new Map(
        originals.map((run) => [`${run.workflow}\u0000${run.idempotencyKey}`, run]),
      );
      for (const { spec, original } of list) {
        const run = byKey.get(`${spec.workflow}\u0000${original}`);
        if (run) spec.replay = { of: run.id, refresh: null };
      }
    }
  }

  /** The workflow's active version, if it can start runs (its agents are all registered). */
  private async activeDefinition(
    request: Envelope,
    command: StartRunCommand,
  ): Promise<{ version: number; definition: WorkflowDefinition }> {
    const workspaceId = request.workspaceid;
    const workflow = await this.workflows.find(workspaceId, command.workflow);
    if (!workflow) throw DomainError.notFound('workflow', command.workflow);
    const version = workflow.activeVersion;
    const definition = await this.definitions.get(workspaceId, command.workflow, version);
    await this.starter.requireKnownAgents(workspaceId, definition);
    return { version, definition };
  }
}

/** The key of the start an event replay repeats (see workflowStartMessage in event-manager). */
export function eventReplayOriginalKey(key: string): string | null {
  const match = /^(.+):replay:[0-9a-f-]{36}$/.exec(key);
  return match ? match[1] : null;
}

function idempotencyId(workspaceId: string, workflow: string, key: string): string {
  return `${workspaceId}\u0000${workflow}\u0000${key}`;
}
