import type { WorkflowDefinition } from './workflow.types';

export type ProblemSeverity = 'error' | 'warning';

export interface Problem {
  readonly severity: ProblemSeverity;
  readonly code: string;
  readonly message: string;
  /** Location in the document, e.g. `workflow.steps[2].timeout`. */
  readonly path: string;
  /** 1-based, present when the document came from YAML text. */
  readonly line?: number;
  readonly column?: number;
}

export interface ParseResult {
  /** Present iff `problems` holds no error. */
  readonly definition?: WorkflowDefinition;
  readonly problems: Problem[];
}

/** What the caller knows about the world; checks that need it are skipped when absent. */
export interface ValidationContext {
  readonly knownAgents?: ReadonlySet<string>;
  readonly knownWorkflows?: ReadonlySet<string>;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
