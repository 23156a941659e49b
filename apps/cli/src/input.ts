import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { CliError } from './exit-codes';

/** Inputs larger than this are refused before they are sent (the gateway refuses them anyway). */
export const MAX_INPUT_BYTES = 1024 * 1024;

/**
 * `--input` as curl reads `-d`: `@file.json` (or `@file.yaml`) reads a file,
 * `@-` reads standard input, anything else is JSON text. The run input must
 * be an object.
 */
export function parseRunInput(
  value: string | undefined,
  readFile: (path: string) => string = readText,
): Record<string, unknown> {
  if (value === undefined) return {};
  const fromFile = value.startsWith('@');
  const source = fromFile ? value.slice(1) : '--input';
  const text = fromFile ? readFile(value.slice(1) === '-' ? '/dev/stdin' : value.slice(1)) : value;
  let parsed: unknown;
  try {
    parsed = /\.ya?ml$/i.test(source) ? YAML.parse(text) : JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `input: ${source} is not valid ${/\.ya?ml$/i.test(source) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(`input: ${source} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

export function readText(path: string): string {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (buffer.length > MAX_INPUT_BYTES) {
    throw new CliError(`${path}: larger than ${MAX_INPUT_BYTES} bytes`);
  }
  return buffer.toString('utf8');
}
