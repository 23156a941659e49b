import { HttpClient } from '../../../../libs/sdk/src/client';
import { readFileSync } from 'node:fs';
import {
  checkEndpoint,
  configPath,
  DEFAULT_ENDPOINT,
  readConfig,
  writeConfig,
} from '../config-store';
import type { BatonCommand, Io } from '../context';
import { CliError, ExitCodes } from '../exit-codes';

export function registerLogin(program: BatonCommand, io: Io): void {
  program
    .command('login')
    .description(
      'Check an endpoint and API key, and store them (0600) for later commands; BATON_ENDPOINT and BATON_API_KEY override the file',
    )
    .option('--api-key <key>', 'the API key (else read from standard input: `... | baton login`)')
    .option('--no-verify', 'store without calling the endpoint')
    .act(async (context, options: { apiKey?: string; verify: boolean }) => {
      const path = configPath(io.env);
      const stored = readConfig(path);
      const endpoint = context.options.endpoint ?? stored.endpoint ?? DEFAULT_ENDPOINT;
      checkEndpoint(endpoint);
      const apiKey = (options.apiKey ?? readKeyFromStdin()).trim();
      if (!apiKey)
        throw new CliError('api-key: required (--api-key, or the key on standard input)');
      if (options.verify) {
        // Any authenticated caller may list roles: a cheap call that proves endpoint and key.
        await new HttpClient({
          endpoint,
          apiKey,
          timeoutMs: context.options.timeout * 1000,
        }).request('GET', '/v1/roles');
      }
      writeConfig(path, { ...stored, endpoint, api_key: apiKey });
      context.note(`logged in to ${endpoint}; saved to ${path} (mode 0600)`);
    });

  program
    .command('logout')
    .description('Forget the stored API key')
    .action(() => {
      const path = configPath(io.env);
      const { api_key: _forgotten, ...rest } = readConfig(path);
      writeConfig(path, rest);
      io.stderr(`removed the API key from ${path}`);
    });
}

function readKeyFromStdin(): string {
  if (process.stdin.isTTY) {
    throw new CliError(
      'api-key: required: pass --api-key KEY or pipe the key in (`echo "$KEY" | baton login`)',
      ExitCodes.usage,
    );
  }
  return readFileSync(0, 'utf8');
}
