import {
  DomainError,
  WorkflowDiffQuery,
  WorkflowOpsMessageTypes,
  WorkflowVersionQuery,
  WorkflowVersionsQuery,
  decodeCursor,
  toPage,
  type WorkflowDiffView,
  type WorkflowVersionPage,
  type WorkflowVersionView,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { WorkflowsRepository } from '../workflows/workflows.repository';
import { ActivateVersionUseCase } from './activate-version.usecase';
import { unifiedDiff } from './line-diff';
import { diffableSource, toVersionSummary, toVersionView } from './workflow-version.view';
import { WorkflowVersionsRepository } from './workflow-versions.repository';

/** Version history, one version's document, a diff of two, and activation (rollback). */
@Injectable()
export class WorkflowVersionsHandlers extends CommandHandlers {
  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly versions: WorkflowVersionsRepository,
    private readonly activate: ActivateVersionUseCase,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(WorkflowOpsMessageTypes.versionList, WorkflowVersionsQuery, (query, envelope) =>
        this.list(envelope.workspaceid, query),
      )
      .handle(WorkflowOpsMessageTypes.versionGet, WorkflowVersionQuery, (query, envelope) =>
        this.get(envelope.workspaceid, query),
      )
      .handle(WorkflowOpsMessageTypes.versionDiff, WorkflowDiffQuery, (query, envelope) =>
        this.diff(envelope.workspaceid, query),
      )
      .handle(WorkflowOpsMessageTypes.versionActivate, WorkflowVersionQuery, (query, envelope) =>
        this.activate.execute(query, envelope),
      );
  }

  private async list(
    workspaceId: string,
    query: WorkflowVersionsQuery,
  ): Promise<WorkflowVersionPage> {
    const workflow = await this.workflows.find(workspaceId, query.name);
    if (!workflow) throw DomainError.notFound('workflow', query.name);
    const limit = query.limit ?? 50;
    const position = decodeCursor(query.cursor);
    const before = position === undefined ? undefined : Number(position);
    if (before !== undefined && !Number.isInteger(before)) {
      throw DomainError.invalid('cursor', 'is not a cursor this API returned');
    }
    const rows = await this.versions.list(workspaceId, query.name, before, limit + 1);
    const page = toPage(
      rows,
      limit,
      (v) => toVersionSummary(v, workflow.activeVersion),
      (v) => String(v.version),
    );
    return {
      name: workflow.name,
      active_version: workflow.activeVersion,
      latest_version: workflow.latestVersion,
      ...page,
    };
  }

  private async get(
    workspaceId: string,
    query: WorkflowVersionQuery,
  ): Promise<WorkflowVersionView> {
    const workflow = await this.workflows.find(workspaceId, query.name);
    if (!workflow) throw DomainError.notFound('workflow', query.name);
    const version = await this.requireVersion(workspaceId, query.name, query.version);
    return toVersionView(version, version.version === workflow.activeVersion);
  }

  private async diff(workspaceId: string, query: WorkflowDiffQuery): Promise<WorkflowDiffView> {
    const from = await this.requireVersion(workspaceId, query.name, query.from);
    const to = await this.requireVersion(workspaceId, query.name, query.to);
    const diff = unifiedDiff(diffableSource(from.source), diffableSource(to.source), {
      from: `${query.name} v${from.version}`,
      to: `${query.name} v${to.version}`,
    });
    return {
      name: query.name,
      from: from.version,
      to: to.version,
      diff: diff.text,
      added: diff.added,
      removed: diff.removed,
    };
  }

  private async requireVersion(workspaceId: string, name: string, version: number) {
    const row = await this.workflows.findVersion(workspaceId, name, version);
    if (!row) {
      const workflow = await this.workflows.find(workspaceId, name);
      throw workflow
        ? DomainError.notFound('workflow version', `${name}@${version}`)
        : DomainError.notFound('workflow', name);
    }
    return row;
  }
}
