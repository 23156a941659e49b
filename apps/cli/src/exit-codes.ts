/**
 * What `baton` exits with, so scripts can tell failures apart (docs/cli.md
 * lists them). Stable: scripts depend on these numbers.
 */
export const ExitCodes = {
  ok: 0,
  /** Something unexpected (a bug): `--debug` shows the stack. */
  failure: 1,
  /** The command line is wrong: an unknown command or option, a missing argument. */
  usage: 2,
  /** No credential, or one that is wrong, expired, revoked (401) or not allowed (403). */
  auth: 3,
  /** What was named does not exist (404). */
  notFound: 4,
  /** Input was refused: a 400, 409, 413 or 422, a workflow with errors, an unreadable file. */
  invalid: 5,
  /** Baton could not be reached or did not answer: connection refused, timeout, 429 or 5xx. */
  unavailable: 6,
  /** `run --wait` (and `logs -f`): the run ended failed or cancelled. */
  runFailed: 7,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

/** A failure the CLI itself detected and explains in one line (bad file, not logged in...). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCodes.invalid,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
