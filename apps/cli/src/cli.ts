import { Command, CommanderError, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { registerAgents } from './commands/agents';
import { registerApply } from './commands/apply';
import { registerCompletion } from './commands/completion';
import { registerEvents } from './commands/events';
import { registerLogin } from './commands/login';
import { registerRuns, toInt } from './commands/runs';
import { registerValidate } from './commands/validate';
import { BatonCommand, type Io } from './context';
import { reportError } from './error-report';
import { ExitCodes } from './exit-codes';
import { OUTPUT_FORMATS } from './output/render';

/** The whole command tree; `io` is where it prints (the process's, or a test's). */
export function buildProgram(io: Io): Command {
  const program = new BatonCommand('baton', io)
    .description('Baton from the shell: workflows, runs, agents, events and keys')
    .version(packageVersion(), '-V, --version')
    .addOption(
      new Option('-o, --output <format>', 'how results are printed')
        .choices(OUTPUT_FORMATS)
        .default('table'),
    )
    .option('--endpoint <url>', 'the Baton API (else BATON_ENDPOINT, then the login file)')
    .option('--timeout <seconds>', 'how long one API call may take', toInt, 30)
    .option('--debug', 'print stack traces of failures')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text.replace(/\n$/, '')),
      writeErr: (text) => io.stderr(text.replace(/\n$/, '')),
    });
  for (const register of [
    registerLogin,
    registerApply,
    registerValidate,
    registerRuns,
    registerEvents,
    registerAgents,
    registerCompletion,
  ]) {
    register(program, io);
  }
  // Subcommands report usage errors the same way as the program.
  const inherit = (command: Command): void => {
    for (const child of command.commands) {
      child.exitOverride().configureOutput(program.configureOutput());
      inherit(child);
    }
  };
  inherit(program);
  return program;
}

/**
 * Runs one command line and answers the exit code. A failure is one line on
 * stderr (`baton: error: ...`) naming the problem and the field; the stack
 * only with --debug or BATON_DEBUG=1.
 */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return ExitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help, or the version) already.
      return error.exitCode === 0 ? ExitCodes.ok : ExitCodes.usage;
    }
    const report = reportError(error);
    io.stderr(`baton: error: ${report.line}`);
    if (argv.includes('--debug') || io.env.BATON_DEBUG === '1') {
      io.stderr((error as Error).stack ?? String(error));
    }
    return report.exitCode;
  }
}

/** The repository's version (the CLI ships with it): the nearest package.json named baton. */
function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'baton') return pkg.version ?? '0.0.0';
    }
  }
  return '0.0.0';
}
