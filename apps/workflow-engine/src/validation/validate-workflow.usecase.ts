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
import { KnownAgentsRepository } from '../known-agents/known-agents.repository';
import { WorkflowsRepository } from '../workflows/workflows.repository';

/** A bound on what one validation reads; names past it are reported as unknown (warnings). */
const MAX_NAMES = 50_000;

/**
 * `POST /v1/workflows/validate`: every problem of a document, with its path
 * and (for YAML) line and column, without storing anything. Agents and
 * sub-workflows the engine does not know yet are warnings, not errors.
 */
@Injectable()
export class ValidateWorkflowUseCase {
  constructor(
    private readonly knownAgents: KnownAgentsRepository,
    private readonly workflows: WorkflowsRepository,
  ) {}

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
      knownAgents: await this.knownAgents.names(request.workspaceid, MAX_NAMES),
      knownWorkflows: await this.workflows.names(request.workspaceid, MAX_NAMES),
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
