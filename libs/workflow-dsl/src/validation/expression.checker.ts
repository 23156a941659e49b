import { DslCodes, ExpressionError } from '../errors/dsl.errors';
import {
  compileExpression,
  compileTemplatePart,
  type CompiledExpression,
} from '../expressions/expression.compiler';
import { hasExpressions, scanTemplate } from '../expressions/template.scanner';
import { SCOPE_ROOTS } from '../model/workflow.types';
import type { ProblemCollector, ProblemLocation } from '../source/problem.collector';
import { childPath, indexPath, isPlainObject } from '../util/doc-path';
import { closestName } from './closest-name';

/** What an expression at one place in the document may read. */
export interface ExpressionSite {
  readonly loopVariables: readonly string[];
  /** The step the expression belongs to, when reading its own result would be premature. */
  readonly notYetRun?: string;
}

/**
 * Compiles every expression of the document, reporting parse errors with the
 * position inside the expression, names that are not in scope, and
 * hyphenated step names that JSONata would read as a subtraction.
 */
export class ExpressionChecker {
  constructor(
    private readonly problems: ProblemCollector,
    /** Step names, including those of steps too broken to build. */
    private readonly stepNames: ReadonlySet<string>,
  ) {}

  template(template: unknown, path: string, site: ExpressionSite): void {
    if (typeof template === 'string') this.templateString(template, path, site);
    else if (Array.isArray(template)) {
      template.forEach((item, i) => this.template(item, indexPath(path, i), site));
    } else if (isPlainObject(template)) {
      for (const [key, value] of Object.entries(template)) {
        this.template(value, childPath(path, key), site);
      }
    }
  }

  condition(text: string, path: string, site: ExpressionSite): void {
    let compiled: CompiledExpression;
    try {
      compiled = compileExpression(text);
    } catch (error) {
      this.parseError(error, path, (offset) => ({ needle: { text, offset } }));
      return;
    }
    this.references(compiled, path, site, (offset) => ({ needle: { text, offset } }));
  }

  private templateString(text: string, path: string, site: ExpressionSite): void {
    if (!hasExpressions(text)) return;
    let parts;
    try {
      parts = scanTemplate(text).parts;
    } catch (error) {
      this.parseError(error, path, (offset) => ({ needle: { text, offset } }));
      return;
    }
    for (const part of parts) {
      if (part.kind !== 'expr') continue;
      const at = (offset: number): ProblemLocation => ({
        needle: { text: part.source, from: part.start, offset },
      });
      try {
        this.references(compileTemplatePart(part.source), path, site, at);
      } catch (error) {
        this.parseError(error, path, at);
      }
    }
  }

  private parseError(error: unknown, path: string, at: (offset: number) => ProblemLocation): void {
    if (!(error instanceof ExpressionError)) throw error;
    const where = error.position === undefined ? '' : ` (at character ${error.position + 1})`;
    this.problems.error(
      DslCodes.exprParse,
      `${error.reason}${where} in ${JSON.stringify(error.expression)}`,
      path,
      at(error.position ?? 0),
    );
  }

  private references(
    compiled: CompiledExpression,
    path: string,
    site: ExpressionSite,
    at: (offset: number) => ProblemLocation,
  ): void {
    const explained = new Set<string>();
    for (const chain of compiled.hyphenChains) {
      if (!this.stepNames.has(chain.name)) continue;
      chain.parts.forEach((part) => explained.add(part));
      this.problems.error(
        DslCodes.hyphenatedName,
        `JSONata reads ${chain.parts.join(' - ')} as a subtraction; write the step name in ` +
          `backticks (\`${chain.name}\`) or use the simple form \${${chain.name}.field}`,
        path,
        at(chain.offset),
      );
    }
    for (const ref of compiled.references) {
      if (explained.has(ref.name)) continue;
      if (ref.name === site.notYetRun) {
        this.problems.warning(
          DslCodes.selfReference,
          `step "${ref.name}" reads its own result before it has run (only its "output" mapping can)`,
          path,
          at(ref.offset),
        );
        continue;
      }
      if (this.inScope(ref.name, site)) continue;
      const suggestion = closestName(ref.name, [
        ...this.stepNames,
        ...SCOPE_ROOTS,
        ...site.loopVariables,
      ]);
      this.problems.error(
        DslCodes.unknownStep,
        `"${ref.name}" is not a step, a loop variable in scope, input, trigger or workflow` +
          (suggestion ? `; did you mean "${suggestion}"?` : ''),
        path,
        at(ref.offset),
      );
    }
  }

  private inScope(name: string, site: ExpressionSite): boolean {
    return (
      this.stepNames.has(name) ||
      (SCOPE_ROOTS as readonly string[]).includes(name) ||
      site.loopVariables.includes(name)
    );
  }
}
