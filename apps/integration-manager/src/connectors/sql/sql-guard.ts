import { OperationError } from '../connector';

export type SqlDialect = 'postgres' | 'mysql';

/**
 * Statements that change the pooled session or the transaction around the
 * call (a later call of the same connection would inherit them), or move
 * data outside the statement's result: not what a step may send.
 */
const SESSION_STATEMENTS = new Set([
  'set',
  'reset',
  'begin',
  'start',
  'commit',
  'rollback',
  'end',
  'abort',
  'savepoint',
  'release',
  'prepare',
  'execute',
  'deallocate',
  'discard',
  'listen',
  'unlisten',
  'notify',
  'copy',
  'use',
  'load',
  'handler',
  'lock',
  'unlock',
  'xa',
  'checkpoint',
  'vacuum',
]);

const invalid = (field: string, message: string) =>
  new OperationError('validation_error', `${field} ${message}`, null, undefined, field);

/**
 * Parameterised SQL only. A statement with a value written into it (a
 * string literal, which is where interpolated input ends up), a comment, or
 * a second statement is refused, naming `input.sql`; values go in `params`
 * ($1, $2… for postgres, ? for mysql), whose count must match the
 * placeholders. Numbers and identifiers (quoted ones too) may appear.
 * Returns the number of placeholders.
 */
export function checkParameterisedSql(sql: string, params: unknown[], dialect: SqlDialect): number {
  const first = /^\s*\(*\s*([A-Za-z]+)/.exec(sql)?.[1]?.toLowerCase();
  if (first && SESSION_STATEMENTS.has(first)) {
    throw invalid(
      'input.sql',
      `may not be a ${first.toUpperCase()} statement: sessions and transactions are the connector's`,
    );
  }
  let placeholders = 0;
  let highest = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "'" || (dialect === 'mysql' && c === '"')) {
      throw invalid(
        'input.sql',
        `has a literal value at offset ${i}; pass values in params (${placeholderHint(dialect)}) so they cannot change the statement`,
      );
    }
    if (
      (c === '-' && next === '-') ||
      (c === '/' && next === '*') ||
      (dialect === 'mysql' && c === '#')
    ) {
      throw invalid('input.sql', `has a comment at offset ${i}; comments are not accepted`);
    }
    if (c === ';') {
      if (sql.slice(i + 1).trim() !== '') throw invalid('input.sql', 'must be a single statement');
      continue;
    }
    // Quoted identifiers are skipped whole: a quote inside one is not a literal.
    const close =
      dialect === 'postgres' ? (c === '"' ? '"' : undefined) : c === '`' ? '`' : undefined;
    if (close) {
      const end = sql.indexOf(close, i + 1);
      if (end < 0) throw invalid('input.sql', `has an unclosed identifier at offset ${i}`);
      i = end;
      continue;
    }
    if (dialect === 'postgres' && c === '$') {
      const number = /^\$(\d+)/.exec(sql.slice(i));
      if (number && !/[A-Za-z0-9_]/.test(sql[i - 1] ?? ' ')) {
        highest = Math.max(highest, Number(number[1]));
        i += number[0].length - 1;
        continue;
      }
      if (/^\$[A-Za-z_]*\$/.test(sql.slice(i))) {
        throw invalid(
          'input.sql',
          `has a dollar-quoted literal at offset ${i}; pass values in params ($1, $2, …)`,
        );
      }
    }
    if (dialect === 'mysql' && c === '?') placeholders++;
  }
  const expected = dialect === 'postgres' ? highest : placeholders;
  if (expected !== params.length) {
    throw invalid(
      'input.params',
      `has ${params.length} value${params.length === 1 ? '' : 's'} but the statement has ${expected} placeholder${expected === 1 ? '' : 's'}`,
    );
  }
  return expected;
}

function placeholderHint(dialect: SqlDialect): string {
  return dialect === 'postgres' ? '$1, $2, …' : '?';
}

/** Rows as JSON: dates as ISO strings, bytes as base64, big integers as strings. */
export function jsonRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) out[key] = jsonValue(value);
  return out;
}

function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonValue);
  return value;
}

/** SQL parameters must be JSON scalars (objects are passed as their JSON text). */
export function sqlParams(params: unknown[]): unknown[] {
  return params.map((p) => (p !== null && typeof p === 'object' ? JSON.stringify(p) : p));
}
