import { DslCodes } from '../errors/dsl.errors';
import {
  hasErrors,
  type ParseResult,
  type Problem,
  type ValidationContext,
} from '../model/problem.types';
import type { WorkflowDefinition } from '../model/workflow.types';
import { DEFAULT_RETRY_POLICY } from '../retry/retry-policy';
import { childPath, isPlainObject } from '../util/doc-path';
import { checkWorkflow } from '../validation/workflow.validator';
import { rememberMeta } from '../source/definition-meta';
import { describeValue, DocReader } from './doc.reader';
import { ProblemCollector, sortProblems } from '../source/problem.collector';
import { readRetryPolicy } from './retry-policy.parser';
import { loadYaml, type SourceIndex } from '../source/source-index';
import { optional } from './step-context';
import { readSteps } from './step.parser';
import { readErrorHandlers, readJsonSchema, readTrigger } from './workflow-fields.parser';

const WRAPPER_KEY = 'workflow';
const WORKFLOW_KEYS = [
  'name',
  'description',
  'version',
  'trigger',
  'input_schema',
  'timeout',
  'retry_policy',
  'error_handlers',
  'output',
  'steps',
];

/**
 * Parses workflow YAML into a definition plus every problem found, each with
 * its path and line/column. Never throws on bad input. Checks that need
 * knowledge of the world (registered agents and workflows) run when `context`
 * provides it.
 */
export function parseWorkflowYaml(text: string, context: ValidationContext = {}): ParseResult {
  if (typeof text !== 'string') {
    return parseFailure(DslCodes.invalidDocument, `expected YAML text, not ${describeValue(text)}`);
  }
  const loaded = loadYaml(text);
  if (hasErrors(loaded.problems)) return { problems: loaded.problems };
  return parseLoaded(loaded.value, loaded.index, loaded.problems, context);
}

/** The same for a document already parsed from JSON: `{ workflow: {...} }` or the inner object. */
export function parseWorkflowDefinition(
  doc: unknown,
  context: ValidationContext = {},
): ParseResult {
  return parseLoaded(doc, undefined, [], context);
}

function parseFailure(code: string, message: string): ParseResult {
  return { problems: [{ severity: 'error', code, message, path: '' }] };
}

function parseLoaded(
  doc: unknown,
  index: SourceIndex | undefined,
  initial: readonly Problem[],
  context: ValidationContext,
): ParseResult {
  const collector = new ProblemCollector(index);
  collector.addAll(initial);
  const reader = new DocReader(collector);
  const unwrapped = unwrap(doc, reader);
  if (!unwrapped) return { problems: sortProblems(collector.problems) };
  const declaredNames = new Set<string>();
  const definition = readWorkflow(unwrapped.root, unwrapped.rootPath, reader, declaredNames);
  rememberMeta(definition, { rootPath: unwrapped.rootPath, index });
  collector.addAll(checkWorkflow(definition, context, { declaredNames }));
  const problems = sortProblems(collector.problems);
  return hasErrors(problems) ? { problems } : { definition, problems };
}

function unwrap(
  doc: unknown,
  reader: DocReader,
): { root: Record<string, unknown>; rootPath: string } | undefined {
  if (doc === undefined || doc === null) {
    reader.problems.error(DslCodes.invalidDocument, 'the document is empty', '');
    return undefined;
  }
  if (!isPlainObject(doc)) {
    reader.problems.error(
      DslCodes.invalidDocument,
      `a workflow document is a mapping with a "workflow" key, not ${describeValue(doc)}`,
      '',
    );
    return undefined;
  }
  if (!(WRAPPER_KEY in doc)) return { root: doc, rootPath: '' };
  reader.knownKeys(doc, '', [WRAPPER_KEY]);
  const root = reader.object(doc[WRAPPER_KEY], WRAPPER_KEY, '"workflow"');
  return root ? { root, rootPath: WRAPPER_KEY } : undefined;
}

function readWorkflow(
  root: Record<string, unknown>,
  rootPath: string,
  reader: DocReader,
  declaredNames: Set<string>,
): WorkflowDefinition {
  reader.knownKeys(root, rootPath, WORKFLOW_KEYS);
  const name = reader.required(root, 'name', rootPath, 'a workflow')
    ? reader.name(root, 'name', rootPath, 'workflow name')
    : undefined;
  const retryPolicy = readRetryPolicy(
    root.retry_policy,
    childPath(rootPath, 'retry_policy'),
    DEFAULT_RETRY_POLICY,
    reader,
  );
  const output =
    root.output === undefined ? undefined : reader.json(root.output, childPath(rootPath, 'output'));
  return {
    name: name ?? '',
    ...optional('description', reader.string(root, 'description', rootPath)),
    ...optional('version', readVersion(root, rootPath, reader)),
    trigger: readTrigger(root.trigger, childPath(rootPath, 'trigger'), reader),
    ...optional('inputSchema', readJsonSchema(root, 'input_schema', rootPath, reader)),
    ...optional('timeoutMs', reader.duration(root, 'timeout', rootPath)),
    retryPolicy,
    errorHandlers: readErrorHandlers(
      root.error_handlers,
      childPath(rootPath, 'error_handlers'),
      reader,
    ),
    ...optional('output', output),
    steps: readSteps(root.steps, childPath(rootPath, 'steps'), {
      reader,
      workflowRetry: retryPolicy,
      declaredNames,
    }),
  };
}

/** Informational only; YAML reads `version: 1.0` as a number, so numbers are kept as text. */
function readVersion(
  root: Record<string, unknown>,
  rootPath: string,
  reader: DocReader,
): string | undefined {
  const value = root.version;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return reader.string(root, 'version', rootPath);
}
