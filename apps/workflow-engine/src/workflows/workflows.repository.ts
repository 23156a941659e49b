import { insertEntity, preparedQuery } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { WorkflowEntity, WorkflowVersionEntity } from './workflow.entity';

@Injectable()
export class WorkflowsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Prepared: every batch of run starts (and every child run) looks its
   * workflow up, and TypeORM's findOneBy cost more than the query (issue 20).
   */
  async find(
    workspaceId: string,
    name: string,
    manager?: EntityManager,
  ): Promise<WorkflowEntity | null> {
    const [row] = await preparedQuery<WorkflowEntity>(
      manager ?? this.dataSource.manager,
      `SELECT workspace_id AS "workspaceId", name, active_version AS "activeVersion",
              latest_version AS "latestVersion", created_at AS "createdAt", updated_at AS "updatedAt"
         FROM workflows WHERE workspace_id = $1 AND name = $2`,
      [workspaceId, name],
    );
    return row ? Object.assign(new WorkflowEntity(), row) : null;
  }

  findVersion(
    workspaceId: string,
    name: string,
    version: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WorkflowVersionEntity | null> {
    return manager.findOneBy(WorkflowVersionEntity, { workspaceId, name, version });
  }

  async findActiveVersion(
    workspaceId: string,
    name: string,
  ): Promise<WorkflowVersionEntity | null> {
    const workflow = await this.find(workspaceId, name);
    return workflow ? this.findVersion(workspaceId, name, workflow.activeVersion) : null;
  }

  list(workspaceId: string, after: string | undefined, limit: number): Promise<WorkflowEntity[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(WorkflowEntity, 'w')
      .where('w.workspace_id = :workspaceId', { workspaceId })
      .orderBy('w.name', 'ASC')
      .limit(limit);
    if (after) query.andWhere('w.name > :after', { after });
    return query.getMany();
  }

  /**
   * Locks the workflow's row for a writer that may add a version; the lock
   * serialises writers of one name. A name's first version has no row to lock
   * yet, so two concurrent creates both chose version 1 and one failed on the
   * key (a 500). Inserting the row first (active version 0; nothing when it
   * exists) makes the second wait for the first's commit and then lock, and
   * read, the row it wrote.
   */
  async lockForWrite(
    manager: EntityManager,
    workspaceId: string,
    name: string,
  ): Promise<WorkflowEntity> {
    const now = new Date();
    await manager
      .createQueryBuilder()
      .insert()
      .into(WorkflowEntity)
      .values({
        workspaceId,
        name,
        activeVersion: 0,
        latestVersion: 0,
        createdAt: now,
        updatedAt: now,
      })
      .orIgnore()
      .execute();
    const locked = await manager
      .createQueryBuilder(WorkflowEntity, 'w')
      .setLock('pessimistic_write')
      .where('w.workspace_id = :ws AND w.name = :name', { ws: workspaceId, name })
      .getOne();
    if (!locked) throw new Error(`workflow row ${workspaceId}/${name} vanished under its lock`);
    return locked;
  }

  /** Adds an immutable version and makes it the active one; `locked` is from lockForWrite. */
  async addVersion(
    manager: EntityManager,
    locked: WorkflowEntity,
    version: Omit<WorkflowVersionEntity, 'version' | 'createdAt'>,
  ): Promise<WorkflowVersionEntity> {
    const now = new Date();
    const number = locked.latestVersion + 1;
    await manager.update(
      WorkflowEntity,
      { workspaceId: version.workspaceId, name: version.name },
      { activeVersion: number, latestVersion: number, updatedAt: now },
    );
    const row = Object.assign(new WorkflowVersionEntity(), version, {
      version: number,
      createdAt: now,
    });
    await insertEntity(manager, WorkflowVersionEntity, row);
    return row;
  }

  /** The workspace's workflow names, `limit` at most. */
  async names(workspaceId: string, limit: number): Promise<Set<string>> {
    const rows = (await this.dataSource.query(
      'SELECT name FROM workflows WHERE workspace_id = $1 LIMIT $2',
      [workspaceId, limit],
    )) as { name: string }[];
    return new Set(rows.map((row) => row.name));
  }
}
