import type { RunView } from '../../../../libs/sdk/src/client';
import { CliContext, type BatonCommand } from '../context';
import { CliError, ExitCodes } from '../exit-codes';
import { parseRunInput } from '../input';
import { renderItem, type Column } from '../output/render';
import { isTerminal, progressLine, runSummary } from '../run-progress';

const RUN_COLUMNS: Column<RunView>[] = [
  { header: 'id', value: (run) => run.id },
  { header: 'workflow', value: (run) => `${run.workflow}@${run.workflow_version}` },
  { header: 'status', value: (run) => run.status },
  { header: 'created', value: (run) => run.created_at },
  { header: 'finished', value: (run) => run.finished_at },
];

const STEP_COLUMNS: Column<RunView['steps'][number]>[] = [
  { header: 'step', value: (s) => s.name },
  { header: 'status', value: (s) => s.status },
  { header: 'attempts', value: (s) => s.attempts },
  { header: 'duration', value: (s) => (s.duration_ms === null ? null : `${s.duration_ms}ms`) },
  { header: 'error', value: (s) => (s.error ? `${s.error.type}: ${s.error.message}` : null) },
];

export function registerRuns(program: BatonCommand): void {
  program
    .command('run')
    .description('Start a run of a workflow; with --wait, follow its steps live until it ends')
    .argument('<workflow>', 'the workflow name')
    .option(
      '-i, --input <json|@file>',
      'the run input: JSON text, @file.json, @file.yaml or @- (stdin)',
    )
    .option('-w, --wait', 'follow the run until it ends; exit 7 when it fails or is cancelled')
    .option(
      '--idempotency-key <key>',
      'the same key answers the same run instead of starting another',
    )
    .act(
      async (
        context,
        workflow: string,
        options: { input?: string; wait?: boolean; idempotencyKey?: string },
      ) => {
        const input = parseRunInput(options.input);
        const run = await context
          .platform()
          .startRun(
            workflow,
            input,
            options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {},
          );
        if (!options.wait) {
          context.printItem(run);
          return;
        }
        context.note(`run ${run.id} of ${run.workflow}@${run.workflow_version} started`);
        await finishRun(context, run.id);
      },
    );

  const runs = program.command('runs').description('List, inspect, cancel and retry runs');
  runs
    .command('ls')
    .description('Runs, newest first')
    .option('--workflow <name>', 'only runs of this workflow')
    .option('--status <status>', 'only runs in this status (running, completed, failed, ...)')
    .option('--limit <n>', 'at most this many (1-200)', toInt, 20)
    .option('--cursor <cursor>', 'the next page (from a previous --output json)')
    .act(
      async (
        context,
        options: { workflow?: string; status?: string; limit: number; cursor?: string },
      ) => {
        context.printPage(await context.platform().listRuns(options), RUN_COLUMNS);
      },
    );
  runs
    .command('get')
    .description('A run with its steps')
    .argument('<id>', 'the run id')
    .act(async (context, id: string) => {
      const run = await context.platform().getRun(id);
      const { steps, ...summary } = run;
      context.printDetail(run, summary, steps, STEP_COLUMNS);
    });
  runs
    .command('cancel')
    .description('End a running or paused run')
    .argument('<id>', 'the run id')
    .option('--reason <text>', 'why, kept with the run')
    .act(async (context, id: string, options: { reason?: string }) => {
      context.printItem(await context.platform().cancelRun(id, options.reason));
    });
  runs
    .command('retry')
    .description('Run a failed run again from its failed step')
    .argument('<id>', 'the run id')
    .option('-w, --wait', 'follow the run until it ends')
    .act(async (context, id: string, options: { wait?: boolean }) => {
      const run = await context.platform().retryRun(id);
      if (options.wait) return finishRun(context, run.id);
      context.printItem(run);
    });

  program
    .command('logs')
    .description(
      "A run's step log (its workflow.* events); -f follows it live until the run ends. Baton has no separate log API yet: these are the run's events",
    )
    .requiredOption('--run <id>', 'the run id')
    .option('-f, --follow', 'keep following until the run ends')
    .act(async (context, options: { run: string; follow?: boolean }) => {
      if (options.follow) return finishRun(context, options.run, false);
      // Its newest 500, oldest first; one run's events share a partition, so offsets order them.
      const page = await context
        .platform()
        .listEvents({ subject: options.run, type: 'workflow.*', limit: 500 });
      const events = page.items.sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
      if (context.format !== 'table') return context.printItem(events);
      for (const event of events) {
        const line = progressLine(event);
        if (line) context.print(line);
      }
    });
}

/**
 * Prints each step as it happens (the run's SSE stream), then the run's
 * summary and, when it completed, its output (stdout, so it can be piped).
 */
async function finishRun(context: CliContext, runId: string, printOutput = true): Promise<void> {
  const platform = context.platform();
  await platform.followRun(runId, ({ event }) => {
    const line = progressLine(event);
    if (line) context.note(line);
  });
  const run = await platform.getRun(runId);
  if (!isTerminal(run.status)) {
    // The stream ended early (the gateway restarted): poll the rest.
    Object.assign(run, await platform.waitForRun(runId, 24 * 3600 * 1000, 1000));
  }
  context.note(runSummary(run));
  if (printOutput && run.status === 'completed') {
    context.print(
      renderItem(
        context.format === 'table' ? run.output : run,
        context.format === 'table' ? 'json' : context.format,
      ),
    );
  }
  if (run.status !== 'completed') {
    throw new CliError(runSummary(run), ExitCodes.runFailed);
  }
}

export function toInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number))
    throw new CliError(`'${value}' is not a whole number`, ExitCodes.usage);
  return number;
}
