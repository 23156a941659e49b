import { IsOptional } from 'class-validator';
import { DomainError } from '../errors';
import type { Page } from './reply';
import { IntBetween, OptionalText } from '../fields';

/** Opaque cursors: the sort key of the last item, so pages stay stable under inserts. */
export function encodeCursor(position: string): string {
  return Buffer.from(position, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!position) throw DomainError.invalid('cursor', 'is not a cursor this API returned');
  return position;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cursor naming a row by uuid; anything else was not handed out by this API. */
export function uuidCursor(cursor: string | undefined): string | undefined {
  const position = decodeCursor(cursor);
  if (position !== undefined && !UUID.test(position)) {
    throw DomainError.invalid('cursor', 'is not a cursor this API returned');
  }
  return position;
}

/** Builds a page from `limit + 1` rows: the extra row only tells that there is a next page. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  view: (row: Row) => Item,
  positionOf: (row: Row) => string,
): Page<Item> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(view),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}

/**
 * A list that is not paged (a per-workspace limit bounds it): every item on
 * the one page, and no cursor to a next one.
 */
export function onePage<Item>(items: Item[]): Page<Item> {
  return { items, next_cursor: null };
}

/** toPage for views that need a look-up each: the page's views are made together. */
export async function toPageOf<Row, Item>(
  rows: Row[],
  limit: number,
  view: (row: Row) => Promise<Item>,
  positionOf: (row: Row) => string,
): Promise<Page<Item>> {
  const page = toPage(rows, limit, (row) => row, positionOf);
  return { items: await Promise.all(page.items.map(view)), next_cursor: page.next_cursor };
}

/** Longest cursor a list accepts: the ones this API returns are well under it. */
export const CURSOR_MAX_LENGTH = 200;

/**
 * The paging part of every list query (`?cursor=&limit=`), written once: a
 * list's query class extends `PagedQuery()` (pages of up to 200) or
 * `PagedQuery(500)` (events and their deliveries) and adds its filters.
 */
export function PagedQuery(maxLimit = 200) {
  class Paged {
    @OptionalText(CURSOR_MAX_LENGTH)
    cursor?: string;

    @IsOptional()
    @IntBetween(1, maxLimit)
    limit?: number;
  }
  // One name per size, so the OpenAPI schemas of the two do not overwrite each other.
  Object.defineProperty(Paged, 'name', { value: `PagedQuery${maxLimit}` });
  return Paged;
}
