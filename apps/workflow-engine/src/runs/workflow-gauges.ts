import { gauge } from '@baton/telemetry';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

interface CountRow {
  workspace_id: string;
  workflow: string;
  n: number;
}

/**
 * Gauges read from Postgres when Prometheus scrapes (every replica reports
 * the same figures; take max() across replicas, not sum()). Each query is
 * served by a small index: active runs (runs_active), open waits, and the
 * due timers (timers_due).
 */
@Injectable()
export class WorkflowGauges {
  constructor(@InjectDataSource() dataSource: DataSource) {
    // A scrape while Postgres is away answers the other metrics; these keep their last values.
    const query = async <T>(sql: string): Promise<T[] | undefined> =>
      (await dataSource.query(sql).catch(() => undefined)) as T[] | undefined;
    gauge({
      name: 'baton_workflow_runs_active',
      help: 'Runs running or paused, by workflow and status',
      labelNames: ['workspace', 'workflow', 'status'],
      async collect() {
        const rows = await query<CountRow & { status: string }>(
          `SELECT workspace_id, workflow, status, count(*)::int AS n FROM runs
            WHERE status IN ('running', 'paused') GROUP BY workspace_id, workflow, status`,
        );
        if (!rows) return;
        this.reset();
        for (const row of rows) {
          this.set(
            { workspace: row.workspace_id, workflow: row.workflow, status: row.status },
            row.n,
          );
        }
      },
    });
    gauge({
      name: 'baton_workflow_steps_waiting',
      help: 'Steps waiting for an event (wait_for_event, escalations), by workflow',
      labelNames: ['workspace', 'workflow'],
      async collect() {
        const rows = await query<CountRow>(
          `SELECT w.workspace_id, r.workflow, count(*)::int AS n FROM waits w
             JOIN runs r ON r.id = w.run_id GROUP BY w.workspace_id, r.workflow`,
        );
        if (!rows) return;
        this.reset();
        for (const row of rows) {
          this.set({ workspace: row.workspace_id, workflow: row.workflow }, row.n);
        }
      },
    });
    gauge({
      name: 'baton_workflow_timers_overdue',
      help: 'Timers due but not fired yet',
      async collect() {
        const rows = await query<{ n: number }>(
          `SELECT count(*)::int AS n FROM timers WHERE fire_at <= now()`,
        );
        if (rows) this.set(rows[0]?.n ?? 0);
      },
    });
    gauge({
      name: 'baton_workflow_timer_oldest_overdue_seconds',
      help: 'How long the oldest due timer has waited to fire (0 when none is due)',
      async collect() {
        const rows = await query<{ s: number | null }>(
          `SELECT extract(epoch FROM now() - min(fire_at))::float AS s FROM timers WHERE fire_at <= now()`,
        );
        if (rows) this.set(Math.max(0, rows[0]?.s ?? 0));
      },
    });
  }
}
