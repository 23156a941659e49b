import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { RouteEntity } from './route.entity';

@Injectable()
export class RoutesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(workspaceId: string, name: string): Promise<RouteEntity | null> {
    return this.dataSource.manager.findOneBy(RouteEntity, { workspaceId, name });
  }

  /** In evaluation order. */
  list(workspaceId: string): Promise<RouteEntity[]> {
    return this.dataSource.manager.find(RouteEntity, {
      where: { workspaceId },
      order: { position: 'ASC', name: 'ASC' },
    });
  }

  async nextPosition(manager: EntityManager, workspaceId: string): Promise<number> {
    const [row] = (await manager.query(
      `SELECT coalesce(max(position), 0) + 10 AS next FROM routes WHERE workspace_id = $1`,
      [workspaceId],
    )) as { next: number }[];
    return Number(row.next);
  }

  /** Replaces a route of the same name (keeping its id, so its history stays linked). */
  async save(manager: EntityManager, route: RouteEntity): Promise<boolean> {
    const existing = await manager.findOne(RouteEntity, {
      where: { workspaceId: route.workspaceId, name: route.name },
      lock: { mode: 'pessimistic_write' },
    });
    if (existing) {
      route.id = existing.id;
      route.createdAt = existing.createdAt;
      await manager.save(RouteEntity, route);
      // Destinations may have changed: what was queued for the old ones is dropped.
      await manager.query(
        `DELETE FROM deliveries WHERE route_id = $1 AND status = 'pending' AND destination >= $2`,
        [route.id, route.destinations.length],
      );
      return false;
    }
    await manager.insert(RouteEntity, route);
    return true;
  }

  async delete(workspaceId: string, name: string, manager: EntityManager): Promise<boolean> {
    const route = await manager.findOneBy(RouteEntity, { workspaceId, name });
    if (!route) return false;
    await manager.delete(RouteEntity, { id: route.id });
    await manager.query(`DELETE FROM deliveries WHERE route_id = $1 AND status = 'pending'`, [
      route.id,
    ]);
    return true;
  }

  forWorkspaces(manager: EntityManager, workspaceIds: string[]): Promise<RouteEntity[]> {
    return manager.find(RouteEntity, { where: { workspaceId: In(workspaceIds) } });
  }

  byIds(ids: string[]): Promise<RouteEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.manager.find(RouteEntity, { where: { id: In(ids) } });
  }
}
