import { decodeCursor, DomainError } from '@baton/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cursor naming a row by uuid; anything else was not handed out by this API. */
export function uuidCursor(cursor: string | undefined): string | undefined {
  const position = decodeCursor(cursor);
  if (position !== undefined && !UUID.test(position)) {
    throw DomainError.invalid('cursor', 'is not a cursor this API returned');
  }
  return position;
}
