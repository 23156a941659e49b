import type { ApiSchemas } from '../../../../libs/sdk/src/client';
import type { BatonCommand } from '../context';
import { CliError, ExitCodes } from '../exit-codes';
import { readText } from '../input';
import { renderData } from '../output/render';

type ProblemView = ApiSchemas['ValidationProblemView'];

export function registerValidate(program: BatonCommand): void {
  program
    .command('validate')
    .description('Check a workflow file without storing it: every problem with its line and column')
    .argument('<file>', 'a workflow YAML (or JSON) file')
    .act(async (context, file: string) => {
      const text = readText(file);
      const report = await context.platform().validateWorkflow(text);
      if (context.format !== 'table') {
        context.print(renderData({ file, ...report }, context.format));
      } else {
        for (const problem of report.errors) context.print(problemLine(file, 'error', problem));
        for (const problem of report.warnings) context.print(problemLine(file, 'warning', problem));
        if (report.valid) context.print(`${file}: valid`);
      }
      if (!report.valid) {
        throw new CliError(
          `${file}: ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}`,
          ExitCodes.invalid,
        );
      }
    });
}

/** `file:line:column: error: message (path)`, as compilers print, so editors can jump there. */
export function problemLine(file: string, severity: string, problem: ProblemView): string {
  const where = problem.line !== null ? `${file}:${problem.line}:${problem.column ?? 1}` : file;
  const path = problem.path ? ` (${problem.path})` : '';
  return `${where}: ${severity}: ${problem.message}${path} [${problem.code}]`;
}
