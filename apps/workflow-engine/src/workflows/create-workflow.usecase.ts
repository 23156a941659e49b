import {
  DomainError,
  ErrorCodes,
  forbiddenInput,
  type CreateWorkflowCommand,
  type Envelope,
  type FieldError,
  type WorkflowView,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import {
  DslCodes,
  documentIdentity,
  hasErrors,
  parseWorkflowDefinition,
  parseWorkflowYaml,
  walkSteps,
  type ParseResult,
  type Problem,
  type WorkflowDefinition,
} from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { KnownAgentsRepository } from '../known-agents/known-agents.repository';
import { WorkflowTriggersRepository } from './workflow-triggers.repository';
import { toWorkflowView } from './workflow.view';
import { WorkflowsRepository } from './workflows.repository';

const YAML_SYNTAX = 'DSL.INVALID_YAML';

@Injectable()
export class CreateWorkflowUseCase {
  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly knownAgents: KnownAgentsRepository,
    private readonly uow: UnitOfWork,
    private readonly triggers: WorkflowTriggersRepository,
  ) {}

  /**
   * Stores a workflow as a new immutable version. Sending a document identical
   * to the active version's again (the same data, however it is written: see
   * documentIdentity) changes nothing and answers that version: safe to retry,
   * and what makes `baton apply` idempotent.
   */
  async execute(
    command: CreateWorkflowCommand,
    request: Envelope,
  ): Promise<{ created: boolean; workflow: WorkflowView }> {
    const workspaceId = request.workspaceid;
    const source =
      command.yaml ?? (command.document ? JSON.stringify(command.document) : undefined);
    if (source === undefined) throw DomainError.invalid('body', 'a workflow document is required');
    const firstPass = this.parse(command);
    const definition = firstPass.definition;
    if (!definition) throw problemsError(firstPass.problems);
    // YAML escapes ("\0", "\udfff") make strings the jsonb column cannot hold.
    const unstorable = forbiddenInput(definition, 'workflow');
    if (unstorable) {
      throw new DomainError(ErrorCodes.validation, `${unstorable.field}: ${unstorable.message}`, [
        unstorable,
      ]);
    }

    // Second pass with the agents the engine knows of: unknown ones are warnings, not errors.
    const agentNames = staticAgentNames(definition);
    const known = await this.knownAgents.known(workspaceId, agentNames);
    const result = this.parse(command, known);
    const warnings = toFieldErrors(result.problems.filter((p) => p.severity === 'warning'));

    const identity = documentIdentity(source);
    const outcome = await this.uow.run(async (tx) => {
      // Under the row lock, so two identical applies at once make one version, not two.
      const workflow = await this.workflows.lockForWrite(tx.manager, workspaceId, definition.name);
      const active =
        workflow.activeVersion > 0
          ? await this.workflows.findVersion(
              workspaceId,
              definition.name,
              workflow.activeVersion,
              tx.manager,
            )
          : null;
      if (active && identity !== undefined && documentIdentity(active.source) === identity) {
        return { created: false, version: active };
      }
      const added = await this.workflows.addVersion(tx.manager, workflow, {
        workspaceId,
        name: definition.name,
        source,
        definition,
      });
      await this.triggers.sync(tx.manager, added); // the new version is the active one
      await this.triggers.registerAwaitedTypes(tx.manager, added);
      tx.audit(
        {
          action: 'workflow.create',
          target: `workflow/${added.name}`,
          details: { version: added.version },
        },
        request,
      );
      return { created: true, version: added };
    });
    return { created: outcome.created, workflow: toWorkflowView(outcome.version, warnings) };
  }

  private parse(command: CreateWorkflowCommand, knownAgents?: Set<string>): ParseResult {
    const context = knownAgents ? { knownAgents } : {};
    return command.yaml !== undefined
      ? parseWorkflowYaml(command.yaml, context)
      : parseWorkflowDefinition(command.document, context);
  }
}

function staticAgentNames(definition: WorkflowDefinition): string[] {
  const names = new Set<string>();
  walkSteps(definition, (step) => {
    if (step.kind === 'agent' && step.agent.kind === 'static') names.add(step.agent.name);
  });
  return [...names];
}

function toFieldErrors(problems: Problem[]): FieldError[] {
  return problems.map((p) => ({
    field: p.path,
    message: `${p.code}: ${p.message}`,
    ...(p.line !== undefined ? { line: p.line, column: p.column } : {}),
  }));
}

/** A document's errors as one problem answer: 400 for YAML syntax, 413 past the size limit, else 422. */
export function problemsError(problems: Problem[]): DomainError {
  const errors = problems.filter((p) => p.severity === 'error');
  const syntax = errors.some((p) => p.code === YAML_SYNTAX);
  // Past the document size limit the document was never parsed: 413, as for a large body.
  const tooLarge = errors.some((p) => p.code === DslCodes.documentTooLarge);
  const first = errors[0];
  const where = first?.line !== undefined ? ` (line ${first.line}, column ${first.column})` : '';
  return new DomainError(
    tooLarge ? ErrorCodes.tooLarge : syntax ? ErrorCodes.badRequest : ErrorCodes.validation,
    `${syntax ? 'malformed YAML' : 'invalid workflow'}: ${first?.message ?? 'unknown problem'}${where}`,
    toFieldErrors(errors),
    toFieldErrors(problems.filter((p) => !hasErrors([p]))),
  );
}
