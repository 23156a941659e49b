import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/**
 * A plain INSERT of a complete entity (no SELECT first, unlike save()).
 * TypeORM's partial-entity type cannot express jsonb columns typed `unknown`
 * or deep JSON types, so the one cast lives here.
 */
export async function insertEntity<E extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<E>,
  entity: E,
): Promise<void> {
  await manager.insert(target, entity as QueryDeepPartialEntity<E>);
}

/**
 * Inserts many complete entities in one statement, skipping rows that would
 * break a unique index (ON CONFLICT DO NOTHING): returns the rows inserted,
 * as `returning` columns.
 */
export async function insertEntitiesIfNew<E extends ObjectLiteral, R>(
  manager: EntityManager,
  target: EntityTarget<E>,
  entities: E[],
  returning: string,
): Promise<R[]> {
  if (entities.length === 0) return [];
  const result = await manager
    .createQueryBuilder()
    .insert()
    .into(target)
    .values(entities as QueryDeepPartialEntity<E>[])
    .orIgnore()
    .returning(returning)
    .execute();
  return result.raw as R[];
}
