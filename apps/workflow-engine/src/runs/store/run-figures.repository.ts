import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface WorkflowCountRow {
  workspace_id: string;
  workflow: string;
  n: number;
}

/**
 * The figures the engine's gauges read at scrape time. Each query is served by
 * a small index: active runs (runs_active), open waits, and the due timers
 * (timers_due).
 */
@Injectable()
export class RunFiguresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs running, paused or queued (ADR 0041), per workspace, workflow and status. */
  async activeRuns(): Promise<(WorkflowCountRow & { status: string })[]> {
    return (await this.dataSource.query(
      `SELECT workspace_id, workflow, status, count(*)::int AS n FROM runs
            WHERE status IN ('running', 'paused', 'queued') GROUP BY workspace_id, workflow, status`,
    )) as (WorkflowCountRow & { status: string })[];
  }

  /** Open waits (steps waiting for an event), per workspace and workflow. */
  async openWaits(): Promise<WorkflowCountRow[]> {
    return (await this.dataSource.query(
      `SELECT w.workspace_id, r.workflow, count(*)::int AS n FROM waits w
             JOIN runs r ON r.id = w.run_id GROUP BY w.workspace_id, r.workflow`,
    )) as WorkflowCountRow[];
  }

  /** Timers due and not fired yet. */
  async overdueTimers(): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM timers WHERE fire_at <= now()`,
    )) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  /** Seconds the oldest due timer has waited; 0 when none is due. */
  async oldestOverdueSeconds(): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT extract(epoch FROM now() - min(fire_at))::float AS s FROM timers WHERE fire_at <= now()`,
    )) as { s: number | null }[];
    return Math.max(0, rows[0]?.s ?? 0);
  }
}
