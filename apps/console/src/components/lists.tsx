import {
  useState,
  type ButtonHTMLAttributes,
  type ReactNode,
  type TableHTMLAttributes,
} from 'react';
import type { Problem } from '../api/problem';
import { ActionsHeader, JsonView, Loading, ProblemAlert } from './common';

/** What a list page has loaded: a `Loaded<Page<T>>` from `useLoad`, or a page kept by hand. */
export interface ListSource<T> {
  data?: { items: readonly T[] };
  problem?: Problem;
  loading?: boolean;
}

/**
 * A loaded list in the states every page shows, in this order: what went
 * wrong, "Loading {what}…" before the first answer (only where `what` is
 * given), what an empty list means, then the items as `children` draws them.
 */
export function LoadedList<T>({
  source,
  what,
  empty,
  children,
}: {
  source: ListSource<T>;
  what?: string;
  empty: ReactNode;
  children: (items: readonly T[]) => ReactNode;
}) {
  const items = source.data?.items;
  return (
    <>
      <ProblemAlert problem={source.problem} />
      {what && source.loading && !items ? <Loading what={what} /> : null}
      {items && items.length === 0 ? empty : null}
      {items?.length ? children(items) : null}
    </>
  );
}

type DataTableProps<T> = {
  columns: readonly string[];
  actions?: boolean;
  caption?: string;
  items: readonly T[];
  /** One `<tr>`, with its key. */
  row: (item: T) => ReactNode;
} & TableHTMLAttributes<HTMLTableElement>;

/**
 * A table with a header row of `columns` and a row per item; `actions` adds
 * the last column, which holds each row's buttons, and `caption` names the
 * table for screen readers only.
 */
export function DataTable<T>({
  columns,
  actions = false,
  caption,
  items,
  row,
  ...table
}: DataTableProps<T>) {
  return (
    <table {...table}>
      {caption ? <caption className="visually-hidden">{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
          {actions ? <ActionsHeader /> : null}
        </tr>
      </thead>
      <tbody>{items.map(row)}</tbody>
    </table>
  );
}

/** The usual list page: a `LoadedList` whose items are a `DataTable`. */
export function LoadedTable<T>({
  source,
  what,
  empty,
  ...table
}: { source: ListSource<T>; what?: string; empty: ReactNode } & Omit<DataTableProps<T>, 'items'>) {
  return (
    <LoadedList source={source} what={what} empty={empty}>
      {(items) => <DataTable items={items} {...table} />}
    </LoadedList>
  );
}

/** A button that looks like a link: selects a row or opens its details without leaving the page. */
export function LinkButton(
  props: Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'className'>,
) {
  return <button type="button" className="link" {...props} />;
}

/** Which row of a table has its details open: one at a time, opening another closes it. */
export interface OpenRow {
  isOpen: (id: string) => boolean;
  toggle: (id: string) => void;
}

export function useOpenRow(): OpenRow {
  const [open, setOpen] = useState<string>();
  return {
    isOpen: (id) => open === id,
    toggle: (id) => setOpen((current) => (current === id ? undefined : id)),
  };
}

/** A row's name that opens its JSON (`value`, named `label`) below it. */
export function JsonDisclosure({
  rows,
  id,
  name,
  value,
  label,
}: {
  rows: OpenRow;
  id: string;
  name: string;
  value: unknown;
  label: string;
}) {
  const open = rows.isOpen(id);
  return (
    <>
      <LinkButton aria-expanded={open} onClick={() => rows.toggle(id)}>
        {name}
      </LinkButton>
      {open ? <JsonView value={value} label={label} /> : null}
    </>
  );
}
