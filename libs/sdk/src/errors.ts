import type { ApiSchemas } from './api-types';

/** One offending field of a request, as the API names it (line and column for workflow YAML). */
export type FieldProblem = ApiSchemas['FieldProblem'];

/**
 * An RFC 9457 problem document, as every Baton error is answered; partial,
 * since an answer from something in front of Baton (a proxy) may lack fields.
 */
export type Problem = Partial<ApiSchemas['Problem']>;

/** Every error the SDK throws is a BatonError; `instanceof` tells the kind. */
export class BatonError extends Error {
  override readonly name: string = 'BatonError';
}

/** The API answered with an error status; `problem` is its problem+json document. */
export class BatonApiError extends BatonError {
  override readonly name: string = 'BatonApiError';
  /** The stable code: a domain code (`RUN.NOT_FOUND`) or a category (docs/error-codes.md). */
  readonly code: string;
  /** The generic code the error belongs to (`RESOURCE.NOT_FOUND`): match it for any error of a kind. */
  readonly category: string;
  readonly errors: FieldProblem[];
  /** Seconds the server asked to wait (Retry-After), when it said. */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly status: number,
    readonly problem: Problem,
    retryAfterSeconds?: number,
  ) {
    super(describeProblem(status, problem));
    this.code = problem.code ?? `HTTP.${status}`;
    // A server before ADR 0038 sent the category as the code.
    this.category = problem.category ?? this.code;
    this.errors = problem.errors ?? [];
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** 400, 413 or 422: the request is wrong; `errors` names the fields. */
export class BatonValidationError extends BatonApiError {
  override readonly name: string = 'BatonValidationError';
}
/** 401: no credential, or one that is wrong, expired or revoked. */
export class BatonAuthenticationError extends BatonApiError {
  override readonly name: string = 'BatonAuthenticationError';
}
/** 403: the credential may not do this. */
export class BatonPermissionError extends BatonApiError {
  override readonly name: string = 'BatonPermissionError';
}
export class BatonNotFoundError extends BatonApiError {
  override readonly name: string = 'BatonNotFoundError';
}
export class BatonConflictError extends BatonApiError {
  override readonly name: string = 'BatonConflictError';
}
/** 429 after the SDK's retries ran out. */
export class BatonRateLimitError extends BatonApiError {
  override readonly name: string = 'BatonRateLimitError';
}
/** 5xx: Baton or something it called failed (503 after the SDK's retries ran out). */
export class BatonServerError extends BatonApiError {
  override readonly name: string = 'BatonServerError';
}

/** No HTTP answer at all: the endpoint is wrong, down, or not Baton's (DNS, refused, TLS). */
export class BatonConnectionError extends BatonError {
  override readonly name: string = 'BatonConnectionError';
  constructor(
    readonly endpoint: string,
    readonly reason: string,
  ) {
    super(`cannot reach ${endpoint}: ${reason}`);
  }
}

/** The client's own timeout passed before the API answered. */
export class BatonTimeoutError extends BatonError {
  override readonly name: string = 'BatonTimeoutError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${path} got no answer within ${timeoutMs} ms`);
  }
}

/** The typed error for an error answer: the class follows the status. */
export function apiErrorFor(
  status: number,
  problem: Problem,
  retryAfterSeconds?: number,
): BatonApiError {
  const Kind = errorClassFor(status);
  return new Kind(status, problem, retryAfterSeconds);
}

function errorClassFor(status: number): typeof BatonApiError {
  if (status === 400 || status === 413 || status === 422) return BatonValidationError;
  if (status === 401) return BatonAuthenticationError;
  if (status === 403) return BatonPermissionError;
  if (status === 404) return BatonNotFoundError;
  if (status === 409) return BatonConflictError;
  if (status === 429) return BatonRateLimitError;
  if (status >= 500) return BatonServerError;
  return BatonApiError;
}

/** "422 Validation failed: steps[0].agent: required" — the first field, as people read it. */
function describeProblem(status: number, problem: Problem): string {
  const first = problem.errors?.[0];
  const where =
    first?.line !== undefined ? ` (line ${first.line}, column ${first.column ?? 1})` : '';
  const detail = problem.detail ?? (first ? `${first.field}: ${first.message}` : '');
  return `${status} ${problem.title ?? 'error'}${detail ? `: ${detail}` : ''}${
    where && !detail.includes('line ') ? where : ''
  }`;
}
