import { DomainError, ErrorCodes } from '@baton/contracts';
import type { WorkflowDefinition } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { linearRegExpForAjv } from '@baton/tenant-code';

/** Tenant schemas' `pattern`s run on RE2: linear-time whatever they say. */
const TENANT_REGEX = { regExp: linearRegExpForAjv };

/** Checks run input against the workflow's input_schema; compiled once per version. */
@Injectable()
export class InputSchemas {
  private readonly ajv = addFormats(
    new Ajv({ allErrors: true, strict: false, code: TENANT_REGEX }),
  );
  private readonly compiled = new Map<string, ValidateFunction>();

  check(key: string, definition: WorkflowDefinition, input: unknown): void {
    if (!definition.inputSchema) return;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(definition.inputSchema);
      this.compiled.set(key, validate);
    }
    this.answer(validate, input);
  }

  /**
   * For a document that is no stored version (a dry run of unsaved text):
   * compiled for this one check and forgotten, so such checks keep nothing.
   */
  checkOnce(definition: WorkflowDefinition, input: unknown): void {
    if (!definition.inputSchema) return;
    const validate = this.ajv.compile(definition.inputSchema);
    try {
      this.answer(validate, input);
    } finally {
      this.ajv.removeSchema(definition.inputSchema);
    }
  }

  private answer(validate: ValidateFunction, input: unknown): void {
    if (validate(input)) return;
    const errors = (validate.errors ?? []).map((e) => {
      const missing = (e.params as { missingProperty?: string }).missingProperty;
      const path = `${e.instancePath.replace(/^\//, '').replace(/\//g, '.')}${missing ? (e.instancePath ? '.' : '') + missing : ''}`;
      return { field: `input${path ? '.' + path : ''}`, message: e.message ?? 'is invalid' };
    });
    throw new DomainError(
      ErrorCodes.validation,
      `run input does not match the workflow's input_schema: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      errors,
    );
  }
}
