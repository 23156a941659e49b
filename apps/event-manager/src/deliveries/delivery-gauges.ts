import { gauge } from '@baton/telemetry';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * Deliveries waiting and dead, read from Postgres at scrape time (served by
 * the partial indexes deliveries_pending and deliveries_dead). Every replica
 * reports the same figures: take max() across replicas. `kind` is
 * subscription or route, never the channel itself.
 */
@Injectable()
export class DeliveryGauges {
  constructor(@InjectDataSource() dataSource: DataSource) {
    gauge({
      name: 'baton_event_deliveries',
      help: 'Deliveries pending or dead (given up on), by workspace and kind',
      labelNames: ['workspace', 'kind', 'status'],
      async collect() {
        const rows = (await dataSource
          .query(
            `SELECT workspace_id, CASE WHEN channel LIKE 'sub:%' THEN 'subscription' ELSE 'route' END AS kind,
                    status, count(*)::int AS n
               FROM deliveries WHERE status IN ('pending', 'dead')
              GROUP BY 1, 2, 3`,
          )
          .catch(() => undefined)) as
          { workspace_id: string; kind: string; status: string; n: number }[] | undefined;
        if (!rows) return;
        this.reset();
        for (const row of rows) {
          this.set({ workspace: row.workspace_id, kind: row.kind, status: row.status }, row.n);
        }
      },
    });
    gauge({
      name: 'baton_event_delivery_oldest_pending_seconds',
      help: 'Age of the oldest pending delivery (0 when none is pending)',
      async collect() {
        const rows = (await dataSource
          .query(
            `SELECT extract(epoch FROM now() - min(created_at))::float AS s FROM deliveries WHERE status = 'pending'`,
          )
          .catch(() => undefined)) as { s: number | null }[] | undefined;
        if (rows) this.set(Math.max(0, rows[0]?.s ?? 0));
      },
    });
  }
}
