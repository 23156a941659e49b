import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/** The built CLI, as `npx baton` runs it (the bin of package.json). */
export const CLI_MAIN = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'dist',
  'apps',
  'cli',
  'src',
  'main.js',
);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `baton ...args` as its own process with only the environment given
 * (plus PATH), so no variable of the test leaks in, and collects its output.
 */
export function startCli(
  args: string[],
  env: Record<string, string>,
  options: { stdin?: string } = {},
): { child: ChildProcess; done: Promise<CliResult>; stderrSoFar: () => string } {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin!.end(options.stdin ?? '');
  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`baton ${args.join(' ')} did not end within 200 s:\n${stdout}\n${stderr}`));
    }, 200_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, done, stderrSoFar: () => stderr };
}

export function runCliProcess(
  args: string[],
  env: Record<string, string>,
  options: { stdin?: string } = {},
): Promise<CliResult> {
  return startCli(args, env, options).done;
}
