import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ResultStatsWriter, type ResultKey, type ResultStat } from './result-stats.writer';

/** Outcomes and duration percentiles of results in a window; `agent` null on the totals row. */
export interface ResultFiguresRow {
  agent: string | null;
  tasks: number;
  completed: number;
  failed: number;
  p50: number | null;
  p95: number | null;
}

/** One agent's results in a window. */
export interface AgentResultStatsRow {
  tasks: number;
  completed: number;
  failed: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  avg: number | null;
}

/**
 * What agent figures are read from: the `agent_results` table (one row per
 * result agent-manager consumed) and counts of the running tasks.
 */
@Injectable()
export class AgentStatsRepository extends ResultStatsWriter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  /** One INSERT ... ON CONFLICT DO NOTHING for all the rows given. */
  async insert(rows: readonly ResultStat[]): Promise<ResultKey[]> {
    if (rows.length === 0) return [];
    return (await this.dataSource.query(
      `INSERT INTO agent_results (workspace_id, agent, task_id, attempt, status, error_type, duration_ms, finished_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::int[], $8::timestamptz[])
       ON CONFLICT (task_id, attempt) DO NOTHING RETURNING task_id, attempt`,
      [
        rows.map((s) => s.workspace),
        rows.map((s) => s.agent),
        rows.map((s) => s.taskId),
        rows.map((s) => s.attempt),
        rows.map((s) => s.status),
        rows.map((s) => s.errorType),
        rows.map((s) => s.durationMs),
        rows.map((s) => s.finishedAt),
      ],
    )) as ResultKey[];
  }

  /**
   * The workspace's figures over the last `windowSeconds`, in one scan: a row
   * per agent, and the workspace's totals as the grouping set's empty row.
   */
  async figuresPerAgent(workspaceId: string, windowSeconds: number): Promise<ResultFiguresRow[]> {
    return (await this.dataSource.query(
      `SELECT agent, count(*)::int AS tasks,
              (count(*) FILTER (WHERE status = 'completed'))::int AS completed,
              (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
         FROM agent_results
        WHERE workspace_id = $1 AND finished_at > now() - ($2 || ' seconds')::interval
        GROUP BY GROUPING SETS ((agent), ())`,
      [workspaceId, String(windowSeconds)],
    )) as ResultFiguresRow[];
  }

  /** One agent's figures over the last `windowSeconds`. */
  async agentStats(
    workspaceId: string,
    agent: string,
    windowSeconds: number,
  ): Promise<AgentResultStatsRow> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS tasks,
              (count(*) FILTER (WHERE status = 'completed'))::int AS completed,
              (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) AS p99,
              avg(duration_ms)::float AS avg
       FROM agent_results
       WHERE workspace_id = $1 AND agent = $2 AND finished_at > now() - ($3 || ' seconds')::interval`,
      [workspaceId, agent, String(windowSeconds)],
    )) as AgentResultStatsRow[];
    return row;
  }

  /** Deletes the results that finished more than `keptMs` ago. */
  async pruneOlderThan(keptMs: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM agent_results WHERE finished_at < now() - ($1 || ' milliseconds')::interval`,
      [String(keptMs)],
    );
  }

  /** Running tasks of one agent. */
  async countRunning(workspaceId: string, agent: string): Promise<number> {
    const [running] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM tasks WHERE workspace_id = $1 AND agent = $2 AND status = 'running'`,
      [workspaceId, agent],
    )) as { n: number }[];
    return running.n;
  }

  /** Running tasks per agent of the workspace. */
  async runningPerAgent(workspaceId: string): Promise<{ agent: string; n: number }[]> {
    return (await this.dataSource.query(
      `SELECT agent, count(*)::int AS n FROM tasks
        WHERE workspace_id = $1 AND status = 'running' GROUP BY agent`,
      [workspaceId],
    )) as { agent: string; n: number }[];
  }

  /** Running tasks per workspace and agent. */
  async runningEverywhere(): Promise<{ workspace_id: string; agent: string; n: number }[]> {
    return (await this.dataSource.query(
      `SELECT workspace_id, agent, count(*)::int AS n FROM tasks
               WHERE status = 'running' GROUP BY workspace_id, agent`,
    )) as { workspace_id: string; agent: string; n: number }[];
  }
}
