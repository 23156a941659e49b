import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RunEntity } from '../runs/store/run.entity';
import { RunsRepository } from '../runs/store/runs.repository';
import { toRecord } from '../runs/store/step-record.mapper';
import type { LiveRun } from './run-comparison';

/** Runs that ended on their own: a running or cancelled run has no full answer to compare with. */
const FINISHED = ['completed', 'failed'];

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
    const rows = await query.getMany();
    const executions = await this.runs.executionsOfRuns(rows.map((r) => r.id));
    return rows.map((run) => ({
      id: run.id,
      version: run.workflowVersion,
      status: run.status,
      input: run.input,
      output: run.output ?? null,
      error: run.error,
      records: (executions.get(run.id) ?? []).map(toRecord),
    }));
  }
}
