import type { Problem, ProblemSeverity } from '../model/problem.types';
import type { Needle, SourceIndex } from './source-index';

export interface ProblemLocation {
  /** Point at the key rather than the value (unknown keys, duplicates). */
  readonly key?: boolean;
  /** Point inside a scalar value (expression errors). */
  readonly needle?: Needle;
}

/** Gathers problems and attaches YAML line/column when the document came from text. */
export class ProblemCollector {
  readonly problems: Problem[] = [];

  constructor(private readonly index?: SourceIndex) {}

  error(code: string, message: string, path: string, location?: ProblemLocation): void {
    this.push('error', code, message, path, location);
  }

  warning(code: string, message: string, path: string, location?: ProblemLocation): void {
    this.push('warning', code, message, path, location);
  }

  addAll(problems: readonly Problem[]): void {
    this.problems.push(...problems);
  }

  get errorCount(): number {
    return this.problems.filter((p) => p.severity === 'error').length;
  }

  private push(
    severity: ProblemSeverity,
    code: string,
    message: string,
    path: string,
    location: ProblemLocation = {},
  ): void {
    const position = this.index?.locate(path, location);
    this.problems.push({
      severity,
      code,
      message,
      path,
      ...(position ? { line: position.line, column: position.column } : {}),
    });
  }
}

/** Problems in reading order; those without a position keep their order at the end. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return problems
    .map((problem, i) => ({ problem, i }))
    .sort((a, b) => {
      const la = a.problem.line ?? Number.MAX_SAFE_INTEGER;
      const lb = b.problem.line ?? Number.MAX_SAFE_INTEGER;
      if (la !== lb) return la - lb;
      const ca = a.problem.column ?? 0;
      const cb = b.problem.column ?? 0;
      return ca !== cb ? ca - cb : a.i - b.i;
    })
    .map(({ problem }) => problem);
}
