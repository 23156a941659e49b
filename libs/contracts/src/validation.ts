import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { DomainError, ErrorCodes, type FieldError } from './errors';
import { forbiddenInput } from './forbidden-input';
import { cacheValidationMetadata } from './validation-metadata-cache';

cacheValidationMetadata();

type Constructor<T> = new () => T;

/** Flattens nested class-validator errors into `a.b[2].c`-style field names. */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix
        ? `${prefix}.${error.property}`
        : error.property;
    for (const message of Object.values(error.constraints ?? {})) out.push({ field, message });
    if (error.children?.length) out.push(...toFieldErrors(error.children, field));
  }
  return out;
}

/** A JSON object: not null, not an array. The one test of it across Baton. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * plainToInstance + validate in one step, so no caller can forget the second
 * half. Unknown properties are rejected: a typo in a field name is an error.
 */
export function validateInto<T extends object>(
  cls: Constructor<T>,
  plain: unknown,
  what = 'body',
  options: { allowUnknown?: boolean; convertTypes?: boolean } = {},
): T {
  if (!isObject(plain)) {
    throw new DomainError(ErrorCodes.validation, `${what} must be a JSON object`, [
      { field: what, message: 'must be a JSON object' },
    ]);
  }
  const forbidden = forbiddenInput(plain, '');
  if (forbidden) {
    throw new DomainError(ErrorCodes.validation, `${forbidden.field}: ${forbidden.message}`, [
      forbidden,
    ]);
  }
  // Query strings arrive as text; `convertTypes` turns '20' into 20 for numeric fields.
  const instance = plainToInstance(cls, plain, {
    enableImplicitConversion: options.convertTypes ?? false,
  });
  const errors = validateSync(
    instance,
    options.allowUnknown ? {} : { whitelist: true, forbidNonWhitelisted: true },
  );
  if (errors.length > 0) {
    const fieldErrors = toFieldErrors(errors);
    throw new DomainError(
      ErrorCodes.validation,
      fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; '),
      fieldErrors,
    );
  }
  return instance;
}
