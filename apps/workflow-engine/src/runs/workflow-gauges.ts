import { gauge } from '@baton/telemetry';
import { Injectable } from '@nestjs/common';
import { RunFiguresRepository } from './store/run-figures.repository';

/**
 * Gauges read from Postgres when Prometheus scrapes (every replica reports
 * the same figures; take max() across replicas, not sum()).
 */
@Injectable()
export class WorkflowGauges {
  constructor(figures: RunFiguresRepository) {
    // A scrape while Postgres is away answers the other metrics; these keep their last values.
    const read = async <T>(figure: () => Promise<T>): Promise<T | undefined> =>
      figure().catch(() => undefined);
    gauge({
      name: 'baton_workflow_runs_active',
      help: 'Runs running, paused or queued (waiting for admission), by workflow and status',
      labelNames: ['workspace', 'workflow', 'status'],
      async collect() {
        const rows = await read(() => figures.activeRuns());
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
        const rows = await read(() => figures.openWaits());
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
        const n = await read(() => figures.overdueTimers());
        if (n !== undefined) this.set(n);
      },
    });
    gauge({
      name: 'baton_workflow_timer_oldest_overdue_seconds',
      help: 'How long the oldest due timer has waited to fire (0 when none is due)',
      async collect() {
        const seconds = await read(() => figures.oldestOverdueSeconds());
        if (seconds !== undefined) this.set(seconds);
      },
    });
  }
}
