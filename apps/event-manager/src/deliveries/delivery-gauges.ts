import { gauge } from '@baton/telemetry';
import { Injectable } from '@nestjs/common';
import { DeliveriesRepository } from '../routing/deliveries.repository';

/**
 * Deliveries waiting and dead, read from Postgres at scrape time (served by
 * the partial indexes deliveries_pending and deliveries_dead). Every replica
 * reports the same figures: take max() across replicas. `kind` is
 * subscription or route, never the channel itself. A scrape while Postgres is
 * away keeps the last values.
 */
@Injectable()
export class DeliveryGauges {
  constructor(deliveries: DeliveriesRepository) {
    gauge({
      name: 'baton_event_deliveries',
      help: 'Deliveries pending or dead (given up on), by workspace and kind',
      labelNames: ['workspace', 'kind', 'status'],
      async collect() {
        const rows = await deliveries.pendingAndDeadCounts().catch(() => undefined);
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
        const seconds = await deliveries.oldestPendingSeconds().catch(() => undefined);
        if (seconds !== undefined) this.set(seconds);
      },
    });
  }
}
