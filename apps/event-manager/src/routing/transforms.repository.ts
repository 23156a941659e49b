import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { In, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { TransformEntity } from './transform.entity';

@Injectable()
export class TransformsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates or replaces by name; `created` tells which. */
  async upsert(
    workspaceId: string,
    name: string,
    expression: string,
    description: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ created: boolean; transform: TransformEntity }> {
    const rows = (await manager.query(
      `INSERT INTO transforms (workspace_id, name, expression, description)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, name)
       DO UPDATE SET expression = EXCLUDED.expression, description = EXCLUDED.description,
                     updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [workspaceId, name, expression, description],
    )) as { created: boolean }[];
    const transform = await manager.findOneByOrFail(TransformEntity, { workspaceId, name });
    return { created: rows[0].created, transform };
  }

  find(workspaceId: string, name: string): Promise<TransformEntity | null> {
    return this.dataSource.manager.findOneBy(TransformEntity, { workspaceId, name });
  }

  list(workspaceId: string, after: string | undefined, limit: number): Promise<TransformEntity[]> {
    return this.dataSource.manager.find(TransformEntity, {
      where: { workspaceId, ...(after ? { name: MoreThan(after) } : {}) },
      order: { name: 'ASC' },
      take: limit,
    });
  }

  /** The expressions of the named transforms, by name. */
  async expressions(workspaceId: string, names: string[]): Promise<Map<string, string>> {
    if (names.length === 0) return new Map();
    const rows = await this.dataSource.manager.find(TransformEntity, {
      where: { workspaceId, name: In(names) },
    });
    return new Map(rows.map((row) => [row.name, row.expression]));
  }
}
