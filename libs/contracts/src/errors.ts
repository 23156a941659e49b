/**
 * Domain errors carry a stable code; the HTTP layer maps the code to a status
 * and an RFC 9457 problem document, and request/reply carries them unchanged.
 */
export const ErrorCodes = {
  badRequest: 'REQUEST.MALFORMED',
  validation: 'REQUEST.INVALID',
  tooLarge: 'REQUEST.TOO_LARGE',
  rateLimited: 'REQUEST.RATE_LIMITED',
  unauthorized: 'AUTH.UNAUTHENTICATED',
  forbidden: 'AUTH.FORBIDDEN',
  notFound: 'RESOURCE.NOT_FOUND',
  conflict: 'RESOURCE.CONFLICT',
  timeout: 'UPSTREAM.TIMEOUT',
  upstreamFailed: 'UPSTREAM.FAILED',
  unavailable: 'UPSTREAM.UNAVAILABLE',
  internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

const STATUS_BY_CODE: Record<ErrorCode, number> = {
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
  ) {
    super(detail);
    this.name = 'DomainError';
  }

  get status(): number {
    return statusOf(this.code);
  }

  toPayload(): ErrorPayload {
    return {
      code: this.code,
      title: titleOf(this.code),
      detail: this.detail,
      ...(this.errors?.length ? { errors: this.errors } : {}),
      ...(this.warnings?.length ? { warnings: this.warnings } : {}),
    };
  }

  static fromPayload(payload: ErrorPayload): DomainError {
    return new DomainError(payload.code, payload.detail, payload.errors, payload.warnings);
  }

  static notFound(what: string, name: string): DomainError {
    return new DomainError(ErrorCodes.notFound, `${what} '${name}' was not found`);
  }

  static invalid(field: string, message: string): DomainError {
    return new DomainError(ErrorCodes.validation, `${field}: ${message}`, [{ field, message }]);
  }
}

export function statusOf(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}

export function titleOf(code: ErrorCode): string {
  switch (code) {
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
