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
