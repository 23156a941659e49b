import {
  DomainError,
  type Envelope,
  type ShadowReportView,
  type ShadowRunView,
  type ShadowSource,
  type ShadowWorkflowCommand,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import type { WorkflowDefinition } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { eventTriggerStart, type EventTriggerStart } from '../triggers/event-trigger-start';
import { InputSchemas } from '../workflows/input-schemas';
import { WorkflowsRepository } from '../workflows/workflows.repository';
import { fitToBudget } from './report-budget';
import type { LiveRun } from './run-comparison';
import { shadowRun, shadowWithoutLiveRun } from './shadow-executor';
import {
  FINISHED,
  ShadowSourcesRepository,
  type SourceSelection,
} from './shadow-sources.repository';
import { StoredEventsClient, type EventSelection } from './stored-events.client';

const DEFAULT_LIMIT = 20;

/**
 * `POST /v1/workflows/{name}/versions/{version}/shadow`: the candidate version
 * run in memory on past runs of the workflow (a list, or a time window),
 * compared run by run with what the live version did (ADR 0039). Nothing is
 * dispatched: no task, no action, no timer, no run is stored; only the audit
 * entry of the request is written.
 */
@Injectable()
export class ShadowWorkflowUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly workflows: WorkflowsRepository,
    private readonly sources: ShadowSourcesRepository,
    private readonly inputSchemas: InputSchemas,
    private readonly storedEvents: StoredEventsClient,
  ) {}

  async execute(command: ShadowWorkflowCommand, request: Envelope): Promise<ShadowReportView> {
    const workspaceId = request.workspaceid;
    const candidate = await this.workflows.findVersion(workspaceId, command.name, command.version);
    if (!candidate) {
      throw (await this.workflows.find(workspaceId, command.name))
        ? DomainError.notFound('workflow version', `${command.name}@${command.version}`)
        : DomainError.notFound('workflow', command.name);
    }
    const source = sourceOf(command);
    const shadow: Candidate = {
      workspaceId,
      workflow: command.name,
      definition: candidate.definition,
      schemaKey: `${workspaceId}/${command.name}/${candidate.version}`,
    };
    const runs =
      source === 'events'
        ? await this.overEvents(shadow, eventSelectionOf(command, candidate.definition))
        : await this.overRuns(shadow, runSelectionOf(command));
    const counts = {
      runs: runs.length,
      same: runs.filter((r) => r.verdict === 'same').length,
      differs: runs.filter((r) => r.verdict === 'differs').length,
      failed: runs.filter((r) => r.verdict === 'failed').length,
      no_live_run: runs.filter((r) => r.verdict === 'no_live_run').length,
    };
    await this.uow.run(async (tx) =>
      tx.audit(
        {
          action: 'workflow.shadow',
          target: `workflow/${command.name}`,
          details: { version: candidate.version, source, ...counts },
        },
        request,
      ),
    );
    return {
      workflow: command.name,
      version: candidate.version,
      source,
      counts,
      runs: fitToBudget(runs),
    };
  }

  private async overRuns(shadow: Candidate, selection: SourceSelection): Promise<ShadowRunView[]> {
    const live = await this.sources.find(shadow.workspaceId, shadow.workflow, selection);
    if ('runIds' in selection) requireAll(selection.runIds, live, shadow.workflow);
    const runs: ShadowRunView[] = [];
    for (const run of live) {
      const refused = this.inputRefused(shadow, run.input);
      runs.push(
        refused
          ? { run_id: run.id, live_version: run.version, ...refused }
          : await shadowRun(shadow.definition, run),
      );
      await yieldToOtherWork();
    }
    return runs;
  }

  /**
   * Each stored event is the candidate's start as its event trigger makes it
   * (eventTriggerStart); the live run that event started, when there is a
   * finished one, is what it is compared with. Events come page by page from
   * event-manager, so one page is in memory at a time.
   */
  private async overEvents(shadow: Candidate, selection: EventSelection): Promise<ShadowRunView[]> {
    const runs: ShadowRunView[] = [];
    const seen = new Set<string>();
    for await (const page of this.storedEvents.pages(shadow.workspaceId, selection)) {
      const starts = page.map(eventTriggerStart);
      const live = await this.sources.findByKeys(
        shadow.workspaceId,
        shadow.workflow,
        starts.map((s) => s.idempotencyKey),
      );
      for (const start of starts) {
        seen.add(start.trigger.id);
        runs.push({
          event_id: start.trigger.id,
          ...(await this.overEvent(shadow, start, live.get(start.idempotencyKey))),
        });
        await yieldToOtherWork();
      }
    }
    if ('ids' in selection) requireAllEvents(selection.ids, seen);
    return runs;
  }

  private async overEvent(
    shadow: Candidate,
    start: EventTriggerStart,
    live: LiveRun | undefined,
  ): Promise<ShadowRunView> {
    const head = { run_id: live?.id ?? null, live_version: live?.version ?? null };
    const refused = this.inputRefused(shadow, start.input);
    if (refused) return { ...head, ...refused };
    if (live && FINISHED.includes(live.status)) return shadowRun(shadow.definition, live);
    const alone = await shadowWithoutLiveRun(shadow.definition, start, start.trigger.id);
    const reason = live && `the live run it started is ${live.status}: no end to compare with`;
    return { ...head, ...alone, ...(reason && alone.verdict === 'no_live_run' ? { reason } : {}) };
  }

  /** A past input the candidate's input_schema refuses: the candidate would not have started. */
  private inputRefused(
    shadow: Candidate,
    input: unknown,
  ): { verdict: 'failed'; reason: string } | undefined {
    try {
      this.inputSchemas.check(shadow.schemaKey, shadow.definition, input);
      return undefined;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { verdict: 'failed', reason: error.message.slice(0, 512) };
    }
  }
}

/** The candidate version being shadowed, and where. */
interface Candidate {
  workspaceId: string;
  workflow: string;
  definition: WorkflowDefinition;
  /** input_schema's compiled-schema cache key. */
  schemaKey: string;
}

/** Each run is CPU only: let the engine's other work in between. */
function yieldToOtherWork(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `events` when asked for, or implied by an event field; past runs otherwise. */
function sourceOf(command: ShadowWorkflowCommand): ShadowSource {
  const eventField = command.event_ids
    ? 'event_ids'
    : command.event_type !== undefined
      ? 'event_type'
      : undefined;
  const source = command.source ?? (eventField ? 'events' : 'runs');
  if (source === 'runs' && eventField) {
    throw DomainError.invalid(eventField, "is for source 'events'");
  }
  if (source === 'events' && command.run_ids) {
    throw DomainError.invalid('run_ids', "is for source 'runs'");
  }
  return source;
}

function runSelectionOf(command: ShadowWorkflowCommand): SourceSelection {
  if (command.run_ids) {
    refuseWindowWith('run_ids', command);
    return { runIds: [...new Set(command.run_ids.map((id) => id.toLowerCase()))] };
  }
  const { since, until } = windowOf(command);
  return { since, until, limit: command.limit ?? DEFAULT_LIMIT };
}

/**
 * Listed events, or the newest `limit` stored events of `event_type` (by
 * default the type the candidate's own event trigger starts it on) whose
 * time is in the window.
 */
function eventSelectionOf(
  command: ShadowWorkflowCommand,
  candidate: WorkflowDefinition,
): EventSelection {
  if (command.event_ids) {
    refuseWindowWith('event_ids', command);
    if (command.event_type !== undefined) {
      throw DomainError.invalid('event_type', 'cannot be combined with event_ids');
    }
    return { ids: [...new Set(command.event_ids)] };
  }
  const type =
    command.event_type ??
    (candidate.trigger.kind === 'event' ? candidate.trigger.eventType : undefined);
  if (!type) {
    throw DomainError.invalid(
      'event_type',
      'is required: the candidate version has no event trigger to take the type from',
    );
  }
  const { since, until } = windowOf(command);
  return {
    type,
    from: since?.toISOString(),
    to: until?.toISOString(),
    limit: command.limit ?? DEFAULT_LIMIT,
  };
}

function refuseWindowWith(list: string, command: ShadowWorkflowCommand): void {
  for (const field of ['since', 'until', 'limit'] as const) {
    if (command[field] !== undefined) {
      throw DomainError.invalid(field, `cannot be combined with ${list}`);
    }
  }
}

function windowOf(command: ShadowWorkflowCommand): { since?: Date; until?: Date } {
  const since = command.since === undefined ? undefined : new Date(command.since);
  const until = command.until === undefined ? undefined : new Date(command.until);
  if (since && until && since >= until) throw DomainError.invalid('until', 'must be after since');
  return { since, until };
}

/**
 * Every listed run must be a finished run of this workflow in the caller's
 * workspace; the same answer for one that exists elsewhere, so a shadow run
 * cannot probe other workspaces.
 */
function requireAll(runIds: string[], found: LiveRun[], workflow: string): void {
  const ids = new Set(found.map((r) => r.id));
  const missing = runIds.filter((id) => !ids.has(id));
  if (missing.length > 0) {
    throw DomainError.invalid(
      'run_ids',
      `${listed(missing)} ${missing.length === 1 ? 'is' : 'are'} not a finished run of workflow ${workflow} in this workspace`,
    );
  }
}

/**
 * Every listed event must be stored in the caller's workspace; one of another
 * workspace gets the same answer as one that does not exist.
 */
function requireAllEvents(eventIds: string[], found: Set<string>): void {
  const missing = eventIds.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw DomainError.invalid(
      'event_ids',
      `${listed(missing)} ${missing.length === 1 ? 'is' : 'are'} not a stored event of this workspace`,
    );
  }
}

function listed(ids: string[]): string {
  return `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}`;
}
