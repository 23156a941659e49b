import {
  BatonApiError,
  BatonConnectionError,
  BatonTimeoutError,
  type FieldProblem,
} from '../../../libs/sdk/src/client';
import { CommanderError } from 'commander';
import { CliError, ExitCodes, type ExitCode } from './exit-codes';

export interface ErrorReport {
  /** One line, no stack: what went wrong and, for bad input, which field. */
  line: string;
  exitCode: ExitCode;
}

/** Turns any error into the one line and the exit code a user or a script sees. */
export function reportError(error: unknown): ErrorReport {
  if (error instanceof CliError) return { line: error.message, exitCode: error.exitCode };
  if (error instanceof BatonApiError) {
    return { line: describeApiError(error), exitCode: exitCodeForStatus(error.status) };
  }
  if (error instanceof BatonConnectionError || error instanceof BatonTimeoutError) {
    return { line: error.message, exitCode: ExitCodes.unavailable };
  }
  if (error instanceof CommanderError) {
    return { line: error.message.replace(/^error: /, ''), exitCode: ExitCodes.usage };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { line: `unexpected error: ${message} (run with --debug for details)`, exitCode: 1 };
}

export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return ExitCodes.auth;
  if (status === 404) return ExitCodes.notFound;
  if (status === 429 || status >= 500) return ExitCodes.unavailable;
  return ExitCodes.invalid;
}

/** "401 Authentication required: invalid API key" + the first field, and a hint where one helps. */
function describeApiError(error: BatonApiError): string {
  const title = error.problem.title ?? 'request failed';
  const detail = error.problem.detail;
  const first = error.errors[0];
  let line = `${error.status} ${title}`;
  if (first && !(detail ?? '').includes(first.field)) {
    line += `: ${fieldText(first)}`;
  } else if (detail) {
    line += `: ${detail}`;
  }
  if (first?.line !== undefined && !line.includes(`line ${first.line}`)) {
    line += ` (line ${first.line}, column ${first.column ?? 1})`;
  }
  if (error.errors.length > 1) line += ` (and ${error.errors.length - 1} more)`;
  if (error.status === 401) line += ' (check BATON_API_KEY or run `baton login`)';
  return line;
}

function fieldText(field: FieldProblem): string {
  return field.message.startsWith(field.field) ? field.message : `${field.field}: ${field.message}`;
}
