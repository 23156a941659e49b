import Table from 'cli-table3';
import YAML from 'yaml';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** A table column: its header and how to read a cell from a row. */
export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** Borderless, like kubectl: columns separated by two spaces, headers in capitals. */
const PLAIN = {
  chars: {
    top: '',
    'top-mid': '',
    'top-left': '',
    'top-right': '',
    bottom: '',
    'bottom-mid': '',
    'bottom-left': '',
    'bottom-right': '',
    left: '',
    'left-mid': '',
    mid: '',
    'mid-mid': '',
    right: '',
    'right-mid': '',
    middle: '  ',
  },
  style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
};

/** Rows as json, yaml, or a table of `columns` (the API's own fields, nothing invented). */
export function renderList<T>(rows: T[], format: OutputFormat, columns: Column<T>[]): string {
  if (format !== 'table') return renderData(rows, format);
  const table = new Table({ head: columns.map((c) => c.header.toUpperCase()), ...PLAIN });
  for (const row of rows) table.push(columns.map((c) => cell(c.value(row))));
  return trimLines(table.toString());
}

/** One object: as json, yaml, or a two-column table of its fields. */
export function renderItem(item: unknown, format: OutputFormat): string {
  if (format !== 'table') return renderData(item, format);
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return cell(item);
  const table = new Table(PLAIN);
  for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
    table.push([`${key}:`, cell(value)]);
  }
  return trimLines(table.toString());
}

export function renderData(data: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? JSON.stringify(data, null, 2) : YAML.stringify(data).trimEnd();
}

/** A cell is one line: nested values as compact JSON, cut at 80 characters. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const line = text.replace(/\s*\n\s*/g, ' ');
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function trimLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** "3s ago" style ages are not used: scripts and people both read ISO times. */
export function durationText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}
