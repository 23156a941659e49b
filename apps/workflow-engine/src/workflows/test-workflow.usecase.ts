import {
  DomainError,
  ErrorCodes,
  type TestStepView,
  type TestWorkflowCommand,
  type WorkflowTestView,
  type Envelope,
} from '@baton/contracts';
import { parseWorkflowYaml, type WorkflowDefinition } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { problemsError } from './create-workflow.usecase';
import { dryRun, type DryRunResult, type MockSpec, type StepMock } from '../interpreter';
import { InputSchemas } from './input-schemas';
import type { StepRecord } from '../interpreter';
import { WorkflowsRepository } from './workflows.repository';

/**
 * `POST /v1/workflows/{name}/test`: runs the active version (or, with `yaml`,
 * the text being edited) in memory with the engine's own interpreter, every
 * task answered by a mock. Nothing is dispatched and nothing is stored;
 * sub-workflows without a mock run in memory too, with the same mocks.
 */
@Injectable()
export class TestWorkflowUseCase {
  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly inputSchemas: InputSchemas,
  ) {}

  async execute(command: TestWorkflowCommand, request: Envelope): Promise<WorkflowTestView> {
    const workspaceId = request.workspaceid;
    const input = command.input ?? {};
    let definition: WorkflowDefinition;
    let versionNumber: number | null;
    if (command.yaml !== undefined) {
      definition = unsavedDefinition(command.name, command.yaml);
      versionNumber = null;
      this.inputSchemas.checkOnce(definition, input);
    } else {
      const version = await this.workflows.findActiveVersion(workspaceId, command.name);
      if (!version) throw DomainError.notFound('workflow', command.name);
      ({ definition, version: versionNumber } = version);
      this.inputSchemas.check(
        `${workspaceId}/${command.name}/${version.version}`,
        definition,
        input,
      );
    }
    const result = await dryRun({
      definition,
      input,
      mocks: readMocks(command.mocks ?? {}),
      runId: `test:${command.name}`,
      loadWorkflow: async (name) =>
        (await this.workflows.findActiveVersion(workspaceId, name))?.definition,
    });
    return {
      workflow: command.name,
      version: versionNumber,
      status: result.status,
      output: result.output,
      error: result.error,
      steps: result.steps.map((record) => stepView(record, result)),
      trace: result.trace,
      ...(command.expect ? { expectations: compare(command.expect, result) } : {}),
    };
  }
}

/** The text being edited, checked as create would check it; it must be this workflow's. */
function unsavedDefinition(name: string, yaml: string): WorkflowDefinition {
  const parsed = parseWorkflowYaml(yaml);
  if (!parsed.definition) throw problemsError(parsed.problems);
  if (parsed.definition.name !== name) {
    throw DomainError.invalid(
      'yaml',
      `the text names workflow '${parsed.definition.name.slice(0, 100)}', not '${name}'`,
    );
  }
  return parsed.definition;
}

function readMocks(raw: Record<string, unknown>): Record<string, MockSpec> {
  const mocks: Record<string, MockSpec> = {};
  for (const [step, value] of Object.entries(raw)) {
    const list = Array.isArray(value) ? value : [value];
    list.forEach((mock, i) =>
      checkMock(mock, Array.isArray(value) ? `mocks.${step}[${i}]` : `mocks.${step}`),
    );
    mocks[step] = value as MockSpec;
  }
  return mocks;
}

function checkMock(mock: unknown, field: string): asserts mock is StepMock {
  const fail = (message: string) => {
    throw new DomainError(ErrorCodes.validation, `${field} ${message}`, [{ field, message }]);
  };
  if (mock === null || typeof mock !== 'object' || Array.isArray(mock)) {
    return fail('must be { output } or { error: { type, message } }');
  }
  const unknown = Object.keys(mock).filter((k) => !['output', 'error', 'escalation'].includes(k));
  if (unknown.length > 0) fail(`has unknown field(s) ${unknown.join(', ')}`);
  const error = (mock as StepMock).error;
  if (error !== undefined) {
    if (error === null || typeof error !== 'object' || typeof error.type !== 'string') {
      fail('error must be { type, message? } with type timeout, validation_error or system_error');
    }
    if (error.message !== undefined && typeof error.message !== 'string') {
      fail('error.message must be a string');
    }
  }
}

function stepView(record: StepRecord, result: DryRunResult): TestStepView {
  const mocked = result.trace.some(
    (t) => t.type === 'dry-run.dispatched' && t.path === record.key && t.mocked === true,
  );
  return {
    name: record.name,
    path: record.key,
    kind: record.kind,
    status: record.status,
    agent: record.agent,
    action: record.action,
    workflow: record.workflow,
    attempts: record.attempt,
    input: record.input ?? null,
    output: record.output ?? null,
    error: record.error ? { type: record.error.type, message: record.error.message } : null,
    // Dry runs keep virtual time: durations are what backoff would add, not wall time.
    started_at: null,
    finished_at: null,
    duration_ms:
      record.startedAt !== null && record.finishedAt !== null
        ? record.finishedAt - record.startedAt
        : null,
    waiting_for: record.status === 'waiting' ? (record.waitingFor ?? null) : null,
    ...(record.kind === 'agent' || record.kind === 'action' ? { mocked } : {}),
  };
}

function compare(
  expected: NonNullable<TestWorkflowCommand['expect']>,
  result: DryRunResult,
): { passed: boolean; failures: string[] } {
  const failures: string[] = [];
  if (expected.status !== undefined && expected.status !== result.status) {
    failures.push(`status: expected ${expected.status}, got ${result.status}`);
  }
  if ('output' in expected && !isDeepStrictEqual(expected.output, result.output)) {
    failures.push(
      `output: expected ${JSON.stringify(expected.output)}, got ${JSON.stringify(result.output)}`,
    );
  }
  return { passed: failures.length === 0, failures };
}
