import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DeliveryEntity } from './delivery.entity';

export const MAX_DELIVERIES_LISTED = 100;

@Injectable()
export class DeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByTask(taskId: string, attempt: number): Promise<DeliveryEntity | null> {
    return this.dataSource.manager.findOneBy(DeliveryEntity, { taskId, attempt });
  }

  /** False when this attempt was already recorded (a concurrent redelivery got there first). */
  async insert(manager: EntityManager, d: DeliveryEntity): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO deliveries (id, workspace_id, task_id, attempt, run_id, step, action, connection, status,
                               http_status, error, error_type, output, result_message_id, duration_ms, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16)
       ON CONFLICT (task_id, attempt) DO NOTHING
       RETURNING 1`,
      [
        d.id,
        d.workspaceId,
        d.taskId,
        d.attempt,
        d.runId,
        d.step,
        d.action,
        d.connection,
        d.status,
        d.httpStatus,
        d.error,
        d.errorType,
        d.output === undefined ? null : JSON.stringify(d.output),
        d.resultMessageId,
        d.durationMs,
        d.createdAt,
      ],
    )) as unknown[];
    return rows.length === 1;
  }

  list(workspaceId: string, runId: string | undefined): Promise<DeliveryEntity[]> {
    return this.dataSource.manager.find(DeliveryEntity, {
      where: runId ? { workspaceId, runId } : { workspaceId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: MAX_DELIVERIES_LISTED,
    });
  }
}
