import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { RunEntity } from './run.entity';

/** A workspace's runs as admission sees them: how many run, and whether any wait. */
export interface WorkspaceStanding {
  workspace_id: string;
  running: number;
  queued: boolean;
  /** Its own limit (workspace_admission), null for the default; 0 is no limit. */
  own_limit: number | null;
}

/** The SQL of run admission (ADR 0041): workspace locks, counts, and the queue of waiting runs. */
@Injectable()
export class AdmissionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Takes each workspace's admission lock until the transaction ends, in one
   * order for every caller (so two batches queue instead of deadlocking): a
   * count of running runs stays true until the runs admitted on it commit.
   */
  async lockWorkspaces(manager: EntityManager, workspaceIds: string[]): Promise<void> {
    await manager.query(
      `SELECT pg_advisory_xact_lock(k)
         FROM (SELECT DISTINCT hashtextextended('baton.admission/' || w, 0) AS k
                 FROM unnest($1::text[]) w ORDER BY k) locks`,
      [workspaceIds],
    );
  }

  /**
   * Running runs and whether any wait, per workspace, in one statement (the
   * partial indexes). A run parked on a wait (`wait_for_event`, a timer, a
   * handler's escalation) with nothing else in flight does not count: it
   * holds no slot of the shared queues, and workflows that wait days for
   * approvals would otherwise hold their workspace's slots and queue every
   * new run behind them.
   */
  async standing(manager: EntityManager, workspaceIds: string[]): Promise<WorkspaceStanding[]> {
    return (await manager.query(
      `SELECT w AS workspace_id,
              (SELECT count(*) FROM runs r
                WHERE r.workspace_id = w AND r.status = 'running'
                  AND (NOT EXISTS (SELECT 1 FROM step_executions p
                                    WHERE p.run_id = r.id AND p.status = 'waiting')
                       OR EXISTS (SELECT 1 FROM step_executions b
                                   WHERE b.run_id = r.id AND b.status IN ('running', 'retrying')))
              )::int AS running,
              EXISTS (SELECT 1 FROM runs q WHERE q.workspace_id = w AND q.status = 'queued')
                AS queued,
              (SELECT a.active_runs FROM workspace_admission a WHERE a.workspace_id = w)
                AS own_limit
         FROM unnest($1::text[]) w`,
      [workspaceIds],
    )) as WorkspaceStanding[];
  }

  /** Workspaces with waiting runs, `limit` at most. */
  async workspacesWithQueue(limit: number): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT workspace_id FROM runs WHERE status = 'queued' LIMIT $1`,
      [limit],
    )) as { workspace_id: string }[];
    return rows.map((row) => row.workspace_id);
  }

  /** The workspace's `count` oldest waiting runs, locked. */
  oldestQueued(manager: EntityManager, workspaceId: string, count: number): Promise<RunEntity[]> {
    return manager
      .createQueryBuilder(RunEntity, 'r')
      .setLock('pessimistic_write')
      .where(`r.workspace_id = :workspaceId AND r.status = 'queued'`, { workspaceId })
      .orderBy('r.created_at')
      .addOrderBy('r.id')
      .limit(count)
      .getMany();
  }

  /** The workspaces with a limit of their own (few: those an operator set one for). */
  async overridden(): Promise<Map<string, number>> {
    const rows = (await this.dataSource.query(
      `SELECT workspace_id, active_runs FROM workspace_admission`,
    )) as { workspace_id: string; active_runs: number }[];
    return new Map(rows.map((row) => [row.workspace_id, row.active_runs]));
  }

  async ownLimit(workspaceId: string): Promise<number | null> {
    const rows = (await this.dataSource.query(
      `SELECT active_runs FROM workspace_admission WHERE workspace_id = $1`,
      [workspaceId],
    )) as { active_runs: number }[];
    return rows[0]?.active_runs ?? null;
  }

  /** Sets (null: removes) the workspace's own limit, in the caller's transaction. */
  async setOwnLimit(
    manager: EntityManager,
    workspaceId: string,
    activeRuns: number | null,
  ): Promise<void> {
    if (activeRuns === null) {
      await manager.query(`DELETE FROM workspace_admission WHERE workspace_id = $1`, [workspaceId]);
      return;
    }
    await manager.query(
      `INSERT INTO workspace_admission (workspace_id, active_runs) VALUES ($1, $2)
       ON CONFLICT (workspace_id) DO UPDATE SET active_runs = $2, updated_at = now()`,
      [workspaceId, activeRuns],
    );
  }

  async markRunning(manager: EntityManager, runIds: string[], at: Date): Promise<void> {
    await manager.query(
      `UPDATE runs SET status = 'running', updated_at = $2 WHERE id = ANY($1::uuid[]) AND status = 'queued'`,
      [runIds, at],
    );
  }
}
