import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RunEntity } from '../runs/store/run.entity';
import { RunsRepository } from '../runs/store/runs.repository';
import { toRecord } from '../runs/store/step-record.mapper';
import type { LiveRun } from './run-comparison';

/** Runs that ended on their own: a running or cancelled run has no full answer to compare with. */
export const FINISHED = ['completed', 'failed'];

export type SourceSelection = { runIds: string[] } | { since?: Date; until?: Date; limit: number };

/**
 * Reads the past runs a shadow run compares with, always within one workspace
 * and one workflow: a run id of another workspace or workflow is simply not
 * found. Read only.
 */
@Injectable()
export class ShadowSourcesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: RunsRepository,
  ) {}

  async find(
    workspaceId: string,
    workflow: string,
    selection: SourceSelection,
  ): Promise<LiveRun[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(RunEntity, 'r')
      .where('r.workspace_id = :workspaceId AND r.workflow = :workflow', { workspaceId, workflow })
      .andWhere('r.status IN (:...finished)', { finished: FINISHED })
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC');
    if ('runIds' in selection) {
      query.andWhere('r.id = ANY(:ids::uuid[])', { ids: selection.runIds });
    } else {
      if (selection.since) query.andWhere('r.created_at >= :since', { since: selection.since });
      if (selection.until) query.andWhere('r.created_at < :until', { until: selection.until });
      query.limit(selection.limit);
    }
    return this.withRecords(await query.getMany());
  }

  /**
   * The runs of the workflow started with these idempotency keys (an event
   * trigger's `event:<id>`), finished or not, by key.
   */
  async findByKeys(
    workspaceId: string,
    workflow: string,
    keys: string[],
  ): Promise<Map<string, LiveRun>> {
    if (keys.length === 0) return new Map();
    const rows = await this.dataSource.manager
      .createQueryBuilder(RunEntity, 'r')
      .where('r.workspace_id = :workspaceId AND r.workflow = :workflow', { workspaceId, workflow })
      .andWhere('r.idempotency_key = ANY(:keys::text[])', { keys })
      .getMany();
    const runs = await this.withRecords(rows);
    return new Map(rows.map((row, i) => [row.idempotencyKey!, runs[i]]));
  }

  private async withRecords(rows: RunEntity[]): Promise<LiveRun[]> {
    const executions = await this.runs.executionsOfRuns(rows.map((r) => r.id));
    return rows.map((run) => ({
      id: run.id,
      version: run.workflowVersion,
      status: run.status,
      input: run.input,
      trigger: run.trigger ?? undefined,
      output: run.output ?? null,
      error: run.error,
      records: (executions.get(run.id) ?? []).map(toRecord),
    }));
  }
}
