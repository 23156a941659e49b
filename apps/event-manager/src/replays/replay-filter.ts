import type { ReplayFilterDto } from '@baton/contracts';
import { typePatternsSql } from '../event-store/type-pattern-sql';

/** A WHERE fragment over `events` and its parameters, numbered from `firstParam`. */
export interface SqlFilter {
  where: string;
  params: unknown[];
}

/**
 * The replay's filter as SQL: any of the type patterns, the time range on the
 * event's own time (`from` inclusive, `to` exclusive, as in GET /v1/events),
 * subject and correlation id exactly.
 */
export function replayFilterSql(filter: ReplayFilterDto, firstParam: number): SqlFilter {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const types = typePatternsSql(filter.types ?? [], param);
  if (types !== 'true') clauses.push(types);
  if (filter.from) clauses.push(`time >= ${param(new Date(filter.from).toISOString())}`);
  if (filter.to) clauses.push(`time < ${param(new Date(filter.to).toISOString())}`);
  if (filter.subject) clauses.push(`subject = ${param(filter.subject)}`);
  if (filter.correlation_id) {
    // Spelled so that the partial correlation index and the primary key both serve it.
    const c = param(filter.correlation_id);
    clauses.push(
      `((correlation_id = ${c} AND correlation_id <> id) OR (id = ${c} AND correlation_id = ${c}))`,
    );
  }
  return { where: clauses.length ? clauses.join(' AND ') : 'true', params };
}
