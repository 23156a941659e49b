import {
  DomainError,
  type Envelope,
  type ValidateWorkflowCommand,
  type ValidationProblemView,
  type ValidationReportView,
} from '@baton/contracts';
import {
  parseWorkflowDefinition,
  parseWorkflowYaml,
  walkSteps,
  type ParseResult,
  type Problem,
  type ValidationContext,
  type WorkflowDefinition,
} from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { KnownAgentsRepository } from '../known-agents/known-agents.repository';

/**
 * `POST /v1/workflows/validate`: every problem of a document, with its path
 * and (for YAML) line and column, without storing anything. Agents and
 * sub-workflows the engine does not know yet are warnings, not errors.
 */
@Injectable()
export class ValidateWorkflowUseCase {
  constructor(
    private readonly knownAgents: KnownAgentsRepository,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async execute(
    command: ValidateWorkflowCommand,
    request: Envelope,
  ): Promise<ValidationReportView> {
    if (command.yaml === undefined && command.document === undefined) {
      throw DomainError.invalid('body', 'a workflow document is required');
    }
    const first = parse(command);
    let problems = first.problems;
    if (first.definition) {
      // Second pass with what this workspace has, limited to the names the document uses.
      const { agents, workflows } = referencedNames(first.definition);
      const context: ValidationContext = {
        knownAgents: await this.knownAgents.known(request.workspaceid, agents),
        knownWorkflows: await this.knownWorkflows(request.workspaceid, workflows, first.definition),
      };
      problems = parse(command, context).problems;
    }
    const errors = problems.filter((p) => p.severity === 'error').map(toView);
    return {
      valid: errors.length === 0,
      errors,
      warnings: problems.filter((p) => p.severity === 'warning').map(toView),
    };
  }

  private async knownWorkflows(
    workspaceId: string,
    names: string[],
    self: WorkflowDefinition,
  ): Promise<Set<string>> {
    const known = new Set<string>([self.name]); // calling itself is not an unknown workflow
    if (names.length === 0) return known;
    const rows = (await this.dataSource.query(
      'SELECT name FROM workflows WHERE workspace_id = $1 AND name = ANY($2::text[])',
      [workspaceId, names],
    )) as { name: string }[];
    for (const row of rows) known.add(row.name);
    return known;
  }
}

function parse(command: ValidateWorkflowCommand, context: ValidationContext = {}): ParseResult {
  return command.yaml !== undefined
    ? parseWorkflowYaml(command.yaml, context)
    : parseWorkflowDefinition(command.document, context);
}

function referencedNames(definition: WorkflowDefinition): {
  agents: string[];
  workflows: string[];
} {
  const agents = new Set<string>();
  const workflows = new Set<string>();
  walkSteps(definition, (step) => {
    if (step.kind === 'agent' && step.agent.kind === 'static') agents.add(step.agent.name);
    if (step.kind === 'workflow' && step.workflow.kind === 'static')
      workflows.add(step.workflow.name);
  });
  return { agents: [...agents], workflows: [...workflows] };
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
