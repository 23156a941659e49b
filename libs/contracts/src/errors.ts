import {
  categoryOf,
  ErrorCategories,
  errorCodesTable,
  NotFoundCodes,
  type DomainCode,
  type ErrorCategory,
  type NotFoundResource,
} from './error-catalogue';

/**
 * Domain errors carry a stable code: a generic category (below), or a domain
 * code of the catalogue (error-catalogue.ts) that names what went wrong
 * (`RUN.NOT_FOUND`) and belongs to a category. The category decides the HTTP
 * status and travels beside the code as `category`; the HTTP layer answers an
 * RFC 9457 problem document, and request/reply carries both unchanged.
 */
export const ErrorCodes = ErrorCategories;

export type ErrorCode = ErrorCategory | DomainCode;

const STATUS_BY_CATEGORY: Record<ErrorCategory, number> = {
  'REQUEST.MALFORMED': 400,
  'REQUEST.INVALID': 422,
  'REQUEST.TOO_LARGE': 413,
  'REQUEST.RATE_LIMITED': 429,
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.FORBIDDEN': 403,
  'RESOURCE.NOT_FOUND': 404,
  'RESOURCE.CONFLICT': 409,
  'UPSTREAM.TIMEOUT': 504,
  'UPSTREAM.FAILED': 502,
  'UPSTREAM.UNAVAILABLE': 503,
  INTERNAL: 500,
};

export interface FieldError {
  field: string;
  message: string;
  line?: number;
  column?: number;
}

/** The serialisable form of an error, as it travels in a reply and in problem+json. */
export interface ErrorPayload {
  code: ErrorCode;
  /** The generic code the domain code belongs to (absent from replies of older versions). */
  category?: ErrorCategory;
  title: string;
  detail: string;
  errors?: FieldError[];
  warnings?: FieldError[];
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly warnings?: FieldError[],
    /** The category a reply named, for a code this version's catalogue does not know yet. */
    private readonly categoryHint?: ErrorCategory,
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  get status(): number {
    return STATUS_BY_CATEGORY[this.category] ?? 500;
  }

  /** The generic code (RESOURCE.NOT_FOUND for RUN.NOT_FOUND): match this for any error of a kind. */
  get category(): ErrorCategory {
    const known = categoryOf(this.code);
    return known === 'INTERNAL' && this.categoryHint ? this.categoryHint : known;
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      category: this.category,
      title: titleOf(this.code),
      detail: this.detail,
      ...(this.errors?.length ? { errors: this.errors } : {}),
      ...(this.warnings?.length ? { warnings: this.warnings } : {}),
    };
  }

  static fromPayload(payload: ErrorPayload): DomainError {
    return new DomainError(
      payload.code,
      payload.detail,
      payload.errors,
      payload.warnings,
      payload.category,
    );
  }

  static notFound(what: NotFoundResource, name: string): DomainError {
    return new DomainError(NotFoundCodes[what], `${what} '${name}' was not found`);
  }

  static invalid(field: string, message: string): DomainError {
    return new DomainError(ErrorCodes.validation, `${field}: ${message}`, [{ field, message }]);
  }
}

export function statusOf(code: ErrorCode): number {
  return STATUS_BY_CATEGORY[categoryOf(code)] ?? 500;
}

/** The catalogue's codes as a Markdown table, with the status of each (see errorCodesTable). */
export function errorCodesMarkdown(): string {
  return errorCodesTable((category) => STATUS_BY_CATEGORY[category]);
}

/** The title of the code's category (a domain code's detail says more). */
export function titleOf(code: ErrorCode): string {
  switch (categoryOf(code)) {
    case 'REQUEST.MALFORMED':
      return 'Malformed request';
    case 'REQUEST.INVALID':
      return 'Validation failed';
    case 'REQUEST.TOO_LARGE':
      return 'Content too large';
    case 'REQUEST.RATE_LIMITED':
      return 'Too many requests';
    case 'AUTH.UNAUTHENTICATED':
      return 'Authentication required';
    case 'AUTH.FORBIDDEN':
      return 'Forbidden';
    case 'RESOURCE.NOT_FOUND':
      return 'Not found';
    case 'RESOURCE.CONFLICT':
      return 'Conflict';
    case 'UPSTREAM.TIMEOUT':
      return 'Timed out';
    case 'UPSTREAM.FAILED':
      return 'Upstream failed';
    case 'UPSTREAM.UNAVAILABLE':
      return 'Service unavailable';
    default:
      return 'Internal error';
  }
}

/**
 * A 429: the caller may try again after `retryAfterSeconds` (the HTTP layer
 * sends it as Retry-After). `limit` names which limit was reached.
 */
export class RateLimitedError extends DomainError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
    readonly limit: string,
  ) {
    super(ErrorCodes.rateLimited, detail, [{ field: limit, message: detail }]);
    this.name = 'RateLimitedError';
  }
}
