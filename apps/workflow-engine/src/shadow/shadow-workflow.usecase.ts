import {
  DomainError,
  type Envelope,
  type ShadowReportView,
  type ShadowRunView,
  type ShadowWorkflowCommand,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { InputSchemas } from '../workflows/input-schemas';
import { WorkflowsRepository } from '../workflows/workflows.repository';
import { fitToBudget } from './report-budget';
import type { LiveRun } from './run-comparison';
import { shadowRun } from './shadow-executor';
import { ShadowSourcesRepository, type SourceSelection } from './shadow-sources.repository';

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
  ) {}

  async execute(command: ShadowWorkflowCommand, request: Envelope): Promise<ShadowReportView> {
    const workspaceId = request.workspaceid;
    const candidate = await this.workflows.findVersion(workspaceId, command.name, command.version);
    if (!candidate) {
      throw (await this.workflows.find(workspaceId, command.name))
        ? DomainError.notFound('workflow version', `${command.name}@${command.version}`)
        : DomainError.notFound('workflow', command.name);
    }
    const selection = selectionOf(command);
    const live = await this.sources.find(workspaceId, command.name, selection);
    if ('runIds' in selection) requireAll(selection.runIds, live, command.name);

    const schemaKey = `${workspaceId}/${command.name}/${candidate.version}`;
    const runs: ShadowRunView[] = [];
    for (const run of live) {
      const refused = this.inputRefused(schemaKey, candidate.definition, run);
      runs.push(refused ?? (await shadowRun(candidate.definition, run)));
      // Each run is CPU only: let the engine's other work in between.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const counts = {
      runs: runs.length,
      same: runs.filter((r) => r.verdict === 'same').length,
      differs: runs.filter((r) => r.verdict === 'differs').length,
      failed: runs.filter((r) => r.verdict === 'failed').length,
    };
    await this.uow.run(async (tx) =>
      tx.audit(
        {
          action: 'workflow.shadow',
          target: `workflow/${command.name}`,
          details: { version: candidate.version, ...counts },
        },
        request,
      ),
    );
    return { workflow: command.name, version: candidate.version, counts, runs: fitToBudget(runs) };
  }

  /** A past input the candidate's input_schema refuses: the candidate would not have started. */
  private inputRefused(
    key: string,
    definition: Parameters<InputSchemas['check']>[1],
    run: LiveRun,
  ): ShadowRunView | undefined {
    try {
      this.inputSchemas.check(key, definition, run.input);
      return undefined;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return {
        run_id: run.id,
        live_version: run.version,
        verdict: 'failed',
        reason: error.message.slice(0, 512),
      };
    }
  }
}

function selectionOf(command: ShadowWorkflowCommand): SourceSelection {
  if (command.run_ids) {
    for (const field of ['since', 'until', 'limit'] as const) {
      if (command[field] !== undefined) {
        throw DomainError.invalid(field, 'cannot be combined with run_ids');
      }
    }
    return { runIds: [...new Set(command.run_ids.map((id) => id.toLowerCase()))] };
  }
  const since = command.since === undefined ? undefined : new Date(command.since);
  const until = command.until === undefined ? undefined : new Date(command.until);
  if (since && until && since >= until) throw DomainError.invalid('until', 'must be after since');
  return { since, until, limit: command.limit ?? DEFAULT_LIMIT };
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
      `${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} ${missing.length === 1 ? 'is' : 'are'} not a finished run of workflow ${workflow} in this workspace`,
    );
  }
}
