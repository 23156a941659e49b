import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface WorkflowFigures {
  runs_started: number;
  runs_completed: number;
  runs_failed: number;
  run_p50_ms: number | null;
  run_p95_ms: number | null;
}

export interface StepFigures {
  steps_completed: number;
  steps_failed: number;
  bottlenecks: { workflow: string | null; step: string; count: number; p95_ms: number }[];
}

/**
 * A run (or step) that ended in the window is paired with its start if that
 * came at most this long before the window, so the join stays bounded.
 */
const START_LOOKBACK = `interval '1 day'`;

/**
 * Workflow figures over a window, from the workflow events the store already
 * holds (workflow.run.*, workflow.step.*; subject = the run id). No other
 * service's schema is read.
 */
@Injectable()
export class WorkflowFiguresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async runs(
    workspaceId: string,
    windowMs: number,
    workflow: string | null,
  ): Promise<WorkflowFigures> {
    const [row] = (await this.dataSource.query(
      `WITH ended AS (
         SELECT subject, type, time FROM events
          WHERE workspace_id = $1 AND type IN ('workflow.run.completed', 'workflow.run.failed')
            AND time > now() - $2 * interval '1 millisecond'
            AND ($3::text IS NULL OR envelope -> 'data' ->> 'workflow' = $3)
       ), durations AS (
         SELECT extract(epoch FROM e.time - s.time) * 1000 AS ms FROM ended e
           JOIN events s ON s.workspace_id = $1 AND s.type = 'workflow.run.started'
                        AND s.subject = e.subject
                        AND s.time > now() - $2 * interval '1 millisecond' - ${START_LOOKBACK}
       )
       SELECT (SELECT count(*)::int FROM events
                WHERE workspace_id = $1 AND type = 'workflow.run.started'
                  AND time > now() - $2 * interval '1 millisecond'
                  AND ($3::text IS NULL OR envelope -> 'data' ->> 'workflow' = $3)) AS started,
              (SELECT count(*)::int FROM ended WHERE type = 'workflow.run.completed') AS completed,
              (SELECT count(*)::int FROM ended WHERE type = 'workflow.run.failed') AS failed,
              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM durations) AS p50,
              (SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY ms) FROM durations) AS p95`,
      [workspaceId, windowMs, workflow],
    )) as {
      started: number;
      completed: number;
      failed: number;
      p50: number | null;
      p95: number | null;
    }[];
    return {
      runs_started: Number(row.started),
      runs_completed: Number(row.completed),
      runs_failed: Number(row.failed),
      run_p50_ms: round(row.p50),
      run_p95_ms: round(row.p95),
    };
  }

  /** Step outcomes, and the slowest steps by p95 (the summary's bottlenecks). */
  async steps(workspaceId: string, windowMs: number): Promise<StepFigures> {
    const [counts] = (await this.dataSource.query(
      `SELECT (count(*) FILTER (WHERE type = 'workflow.step.completed'))::int AS completed,
              (count(*) FILTER (WHERE type = 'workflow.step.failed'))::int AS failed
         FROM events
        WHERE workspace_id = $1 AND type IN ('workflow.step.completed', 'workflow.step.failed')
          AND time > now() - $2 * interval '1 millisecond'`,
      [workspaceId, windowMs],
    )) as { completed: number; failed: number }[];
    const slowest = (await this.dataSource.query(
      `SELECT e.envelope -> 'data' ->> 'workflow' AS workflow, e.envelope -> 'data' ->> 'step' AS step,
              count(*)::int AS count,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM e.time - s.time) * 1000) AS p95
         FROM events e
         JOIN events s ON s.workspace_id = e.workspace_id AND s.type = 'workflow.step.started'
                      AND s.subject = e.subject
                      AND s.envelope -> 'data' ->> 'path' = e.envelope -> 'data' ->> 'path'
                      AND s.envelope -> 'data' -> 'attempt' = e.envelope -> 'data' -> 'attempt'
                      AND s.time > now() - $2 * interval '1 millisecond' - ${START_LOOKBACK}
        WHERE e.workspace_id = $1 AND e.type = 'workflow.step.completed'
          AND e.time > now() - $2 * interval '1 millisecond'
        GROUP BY 1, 2 ORDER BY p95 DESC LIMIT 10`,
      [workspaceId, windowMs],
    )) as { workflow: string | null; step: string; count: number; p95: number }[];
    return {
      steps_completed: Number(counts.completed),
      steps_failed: Number(counts.failed),
      bottlenecks: slowest.map((row) => ({
        workflow: row.workflow,
        step: row.step,
        count: Number(row.count),
        p95_ms: round(row.p95) ?? 0,
      })),
    };
  }
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(Number(value) * 10) / 10;
}
