import {
  DomainError,
  forbiddenInput,
  type Envelope,
  type ValidateWorkflowCommand,
  type ValidationProblemView,
  type ValidationReportView,
} from '@baton/contracts';
import {
  parseWorkflowDefinition,
  parseWorkflowYaml,
  type ParseResult,
  type Problem,
  type ValidationContext,
} from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A bound on what one validation reads; names past it are reported as unknown (warnings). */
const MAX_NAMES = 50_000;

/**
 * `POST /v1/workflows/validate`: every problem of a document, with its path
 * and (for YAML) line and column, without storing anything. Agents and
 * sub-workflows the engine does not know yet are warnings, not errors.
 */
@Injectable()
export class ValidateWorkflowUseCase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async execute(
    command: ValidateWorkflowCommand,
    request: Envelope,
  ): Promise<ValidationReportView> {
    if (command.yaml === undefined && command.document === undefined) {
      throw DomainError.invalid('body', 'a workflow document is required');
    }
    // One pass with everything the workspace has, so that a document with errors
    // still gets its unknown-agent warnings.
    const result = parse(command, {
      knownAgents: await this.names('known_agents', request.workspaceid),
      knownWorkflows: await this.names('workflows', request.workspaceid),
    });
    const problems = result.problems;
    const errors = problems.filter((p) => p.severity === 'error').map(toView);
    // What create would refuse to store, validate reports too.
    const unstorable = result.definition && forbiddenInput(result.definition, 'workflow');
    if (unstorable) {
      errors.push({
        path: unstorable.field,
        code: 'DSL.UNSTORABLE',
        message: unstorable.message,
        line: null,
        column: null,
      });
    }
    return {
      valid: errors.length === 0,
      errors,
      warnings: problems.filter((p) => p.severity === 'warning').map(toView),
    };
  }

  private async names(
    table: 'known_agents' | 'workflows',
    workspaceId: string,
  ): Promise<Set<string>> {
    const rows = (await this.dataSource.query(
      `SELECT name FROM ${table} WHERE workspace_id = $1 LIMIT ${MAX_NAMES}`,
      [workspaceId],
    )) as { name: string }[];
    return new Set(rows.map((row) => row.name));
  }
}

function parse(command: ValidateWorkflowCommand, context: ValidationContext): ParseResult {
  return command.yaml !== undefined
    ? parseWorkflowYaml(command.yaml, context)
    : parseWorkflowDefinition(command.document, context);
}

function toView(problem: Problem): ValidationProblemView {
  return {
    path: problem.path,
    code: problem.code,
    message: problem.message,
    line: problem.line ?? null,
    column: problem.column ?? null,
  };
}
