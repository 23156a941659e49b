/**
 * Stable codes for every problem and error the DSL reports. Callers (the HTTP
 * layer, the engine) switch on these, so a code never changes meaning.
 */
export const DslCodes = {
  invalidYaml: 'DSL.INVALID_YAML',
  yamlWarning: 'DSL.YAML_WARNING',
  invalidDocument: 'DSL.INVALID_DOCUMENT',
  /** Larger than the document size limit: HTTP 413. */
  documentTooLarge: 'DSL.DOCUMENT_TOO_LARGE',
  /** Too deep, too many keys or aliases: HTTP 422. */
  documentTooComplex: 'DSL.DOCUMENT_TOO_COMPLEX',
  missingField: 'DSL.MISSING_FIELD',
  unknownKey: 'DSL.UNKNOWN_KEY',
  invalidType: 'DSL.INVALID_TYPE',
  invalidValue: 'DSL.INVALID_VALUE',
  invalidName: 'DSL.INVALID_NAME',
  reservedName: 'DSL.RESERVED_NAME',
  duplicateStep: 'DSL.DUPLICATE_STEP',
  stepKind: 'DSL.STEP_KIND',
  badDuration: 'DSL.BAD_DURATION',
  suspiciousDuration: 'DSL.SUSPICIOUS_DURATION',
  badRetryPolicy: 'DSL.BAD_RETRY_POLICY',
  unknownErrorType: 'DSL.UNKNOWN_ERROR_TYPE',
  unknownHandler: 'DSL.UNKNOWN_HANDLER',
  unknownStep: 'DSL.UNKNOWN_STEP',
  invalidJump: 'DSL.INVALID_JUMP',
  jumpCycle: 'DSL.JUMP_CYCLE',
  unknownAgent: 'DSL.UNKNOWN_AGENT',
  unknownWorkflow: 'DSL.UNKNOWN_WORKFLOW',
  badCron: 'DSL.BAD_CRON',
  badSchema: 'DSL.BAD_SCHEMA',
  hyphenatedName: 'DSL.HYPHENATED_NAME',
  selfReference: 'DSL.SELF_REFERENCE',
  shadowedName: 'DSL.SHADOWED_NAME',
  unreachableCase: 'DSL.UNREACHABLE_CASE',
  exprParse: 'EXPR.PARSE',
  exprEval: 'EXPR.EVAL',
} as const;

export type DslCode = (typeof DslCodes)[keyof typeof DslCodes];

export class DslError extends Error {
  constructor(
    readonly code: DslCode,
    message: string,
  ) {
    super(message);
    this.name = 'DslError';
  }
}

export class DurationError extends DslError {
  constructor(readonly value: unknown) {
    super(
      DslCodes.badDuration,
      `${JSON.stringify(value) ?? String(value)} is not a duration: use milliseconds (a number) ` +
        `or a string such as 500ms, 5s, 2m, 1h, 2d or 1h30m`,
    );
    this.name = 'DurationError';
  }
}

export interface ExpressionErrorDetails {
  /** The expression text as written (without the surrounding `${ }` when it was a template part). */
  expression: string;
  /** 0-based offset inside `expression` where the problem was found, when known. */
  position?: number;
  /** The JSONata error code (e.g. `S0202`, `D3030`), when JSONata raised it. */
  jsonataCode?: string;
}

export class ExpressionError extends DslError {
  /** The bare reason, without the expression quoted (for messages that add their own context). */
  readonly reason: string;
  readonly expression: string;
  readonly position?: number;
  readonly jsonataCode?: string;

  constructor(
    code: typeof DslCodes.exprParse | typeof DslCodes.exprEval,
    reason: string,
    details: ExpressionErrorDetails,
  ) {
    const where = details.position === undefined ? '' : ` at position ${details.position}`;
    super(code, `${reason}${where} in expression ${JSON.stringify(details.expression)}`);
    this.name = 'ExpressionError';
    this.expression = details.expression;
    this.position = details.position;
    this.jsonataCode = details.jsonataCode;
    this.reason = reason;
  }
}
