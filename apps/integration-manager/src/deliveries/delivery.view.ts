import type { DeliveryView } from '@baton/contracts';
import type { DeliveryEntity } from './delivery.entity';

export function toDeliveryView(delivery: DeliveryEntity): DeliveryView {
  return {
    id: delivery.id,
    action: delivery.action,
    connection: delivery.connection,
    status: delivery.status,
    http_status: delivery.httpStatus,
    error: delivery.error,
    run_id: delivery.runId,
    created_at: delivery.createdAt.toISOString(),
  };
}
