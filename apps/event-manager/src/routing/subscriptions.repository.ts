import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { insertEntity } from '@baton/database';
import { SubscriptionEntity } from './subscription.entity';

@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(manager: EntityManager, subscription: SubscriptionEntity): Promise<void> {
    return insertEntity(manager, SubscriptionEntity, subscription);
  }

  find(workspaceId: string, id: string): Promise<SubscriptionEntity | null> {
    return this.dataSource.manager.findOneBy(SubscriptionEntity, { workspaceId, id });
  }

  findByIdempotencyKey(workspaceId: string, key: string): Promise<SubscriptionEntity | null> {
    return this.dataSource.manager.findOneBy(SubscriptionEntity, {
      workspaceId,
      idempotencyKey: key,
    });
  }

  list(
    workspaceId: string,
    after: string | undefined,
    limit: number,
  ): Promise<SubscriptionEntity[]> {
    return this.dataSource.manager.find(SubscriptionEntity, {
      where: { workspaceId, ...(after ? { id: MoreThan(after) } : {}) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  async setStatus(
    workspaceId: string,
    id: string,
    status: 'active' | 'paused',
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const result = await manager.update(
      SubscriptionEntity,
      { workspaceId, id },
      { status, updatedAt: new Date() },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Dead letters put back in line leave the dead-letter count. */
  async forgetDeadLetters(manager: EntityManager, id: string, count: number): Promise<void> {
    if (count === 0) return;
    await manager.query(
      'UPDATE subscriptions SET dead_count = greatest(dead_count - $2, 0), updated_at = now() WHERE id = $1',
      [id, count],
    );
  }

  /** Deletes the subscription and the deliveries still waiting for it; history stays. */
  async delete(manager: EntityManager, workspaceId: string, id: string): Promise<boolean> {
    const result = await manager.delete(SubscriptionEntity, { workspaceId, id });
    if ((result.affected ?? 0) === 0) return false;
    await manager.query(`DELETE FROM deliveries WHERE channel = $1 AND status = 'pending'`, [
      `sub:${id}`,
    ]);
    return true;
  }

  /** Every subscription of these workspaces, paused ones included: their events wait for resume. */
  forWorkspaces(manager: EntityManager, workspaceIds: string[]): Promise<SubscriptionEntity[]> {
    return manager.find(SubscriptionEntity, { where: { workspaceId: In(workspaceIds) } });
  }

  byIds(ids: string[]): Promise<SubscriptionEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.manager.find(SubscriptionEntity, { where: { id: In(ids) } });
  }
}
