import { DomainError, ErrorCodes, type FieldError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { linearRegExpForAjv } from '@baton/tenant-code';

/** Tenant schemas' `pattern`s run on RE2: linear-time whatever they say. */
const TENANT_REGEX = { regExp: linearRegExpForAjv };

/**
 * input_schema and output_schema checks. Validators are compiled once per
 * agent version (the schemas of a version never change) and kept in a small
 * bounded cache.
 */
@Injectable()
export class JsonSchemas {
  private readonly ajv = addFormats(
    new Ajv({ allErrors: true, strict: false, code: TENANT_REGEX }),
  );
  private readonly compiled = new Map<string, ValidateFunction>();

  /** Problems of a schema itself, for registration (422 naming the field). */
  schemaErrors(field: string, schema: Record<string, unknown> | null | undefined): FieldError[] {
    if (!schema) return [];
    try {
      this.ajv.compile(schema);
      return [];
    } catch (error) {
      return [{ field, message: `is not a valid JSON Schema: ${(error as Error).message}` }];
    }
  }

  /** Throws a 422 naming the input fields that do not match. */
  checkInput(key: string, schema: Record<string, unknown> | null, input: unknown): void {
    const errors = this.check(`in:${key}`, schema, input, 'input');
    if (errors.length === 0) return;
    throw new DomainError(
      ErrorCodes.validation,
      `input does not match the agent's input_schema: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      errors,
    );
  }

  /** The reason an output does not match, or null when it does. */
  outputProblem(
    key: string,
    schema: Record<string, unknown> | null,
    output: unknown,
  ): string | null {
    const errors = this.check(`out:${key}`, schema, output, 'output');
    if (errors.length === 0) return null;
    return `output does not match the agent's output_schema: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`;
  }

  private check(
    key: string,
    schema: Record<string, unknown> | null,
    value: unknown,
    root: string,
  ): FieldError[] {
    if (!schema) return [];
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema);
      if (this.compiled.size > 5_000) this.compiled.clear();
      this.compiled.set(key, validate);
    }
    if (validate(value === undefined ? null : value)) return [];
    return (validate.errors ?? []).map((e) => toFieldError(e, root));
  }
}

function toFieldError(error: ErrorObject, root: string): FieldError {
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  const segments = error.instancePath.split('/').filter(Boolean);
  if (missing) segments.push(missing);
  return {
    field: [root, ...segments].join('.'),
    message: error.message ?? 'is invalid',
  };
}
