import type { JsonObject } from '@baton/workflow-dsl';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { linearRegExpForAjv } from '@baton/tenant-code';

/** Tenant schemas' `pattern`s run on RE2: linear-time whatever they say. */
const TENANT_REGEX = { regExp: linearRegExpForAjv };

const ajv = addFormats(new Ajv({ allErrors: true, strict: false, code: TENANT_REGEX }));
const compiled = new WeakMap<JsonObject, ValidateFunction>();

/**
 * Checks a step's output against its `output_schema`. Returns a readable list
 * of what is wrong (`output.total must be number`), or undefined when it fits.
 * Schemas come from parsed definitions, which are cached per version, so each
 * one is compiled once.
 */
export function outputProblems(schema: JsonObject, output: unknown): string | undefined {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(output)) return undefined;
  return (validate.errors ?? [])
    .map((e) => {
      const missing = (e.params as { missingProperty?: string }).missingProperty;
      const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const field = ['output', path, missing].filter((part) => part).join('.');
      return missing ? `${field} is required` : `${field} ${e.message ?? 'is invalid'}`;
    })
    .join('; ');
}
