import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, ExitCodes } from './exit-codes';

/** What `baton login` stores: the endpoint and the key, in a file only its owner may read. */
export interface StoredConfig {
  endpoint?: string;
  api_key?: string;
}

export interface Credentials {
  endpoint: string;
  apiKey: string;
  /** Where each came from, for `baton login --show` and error messages. */
  source: { endpoint: string; apiKey: string };
}

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:3000';

/** BATON_CONFIG, else $XDG_CONFIG_HOME/baton/config.json, else ~/.config/baton/config.json. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BATON_CONFIG) return env.BATON_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'baton', 'config.json');
}

export function readConfig(path: string): StoredConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`, ExitCodes.failure);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error();
    return parsed as StoredConfig;
  } catch {
    throw new CliError(
      `${path} is not a JSON object: run \`baton login\` again`,
      ExitCodes.invalid,
    );
  }
}

/** Written 0600 in a 0700 folder: the key is a secret. An existing file is narrowed too. */
export function writeConfig(path: string, config: StoredConfig): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * The endpoint and key to use: a flag first, then BATON_ENDPOINT and
 * BATON_API_KEY (so CI needs no file), then the config file.
 */
export function resolveCredentials(
  stored: StoredConfig,
  env: NodeJS.ProcessEnv,
  flags: { endpoint?: string },
): Credentials {
  const endpoint =
    pick(
      ['--endpoint', flags.endpoint],
      ['BATON_ENDPOINT', env.BATON_ENDPOINT],
      ['config file', stored.endpoint],
    ) ?? (['default', DEFAULT_ENDPOINT] as const);
  const apiKey = pick(['BATON_API_KEY', env.BATON_API_KEY], ['config file', stored.api_key]);
  if (!apiKey) {
    throw new CliError('no API key: run `baton login` or set BATON_API_KEY', ExitCodes.auth);
  }
  checkEndpoint(endpoint[1]);
  return {
    endpoint: endpoint[1],
    apiKey: apiKey[1],
    source: { endpoint: endpoint[0], apiKey: apiKey[0] },
  };
}

export function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new CliError(`endpoint: '${endpoint}' is not a URL (e.g. ${DEFAULT_ENDPOINT})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`endpoint: '${endpoint}' must be an http:// or https:// URL`);
  }
}

function pick(
  ...candidates: [string, string | undefined][]
): readonly [string, string] | undefined {
  const found = candidates.find(([, value]) => value !== undefined && value !== '');
  return found ? [found[0], found[1] as string] : undefined;
}
