import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { platformState } from './support/platform';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The SDK's generated types (libs/sdk/src/generated/openapi.ts) are what the
 * running gateway's /openapi.json generates: a route or DTO changed without
 * `npm run sdk:types` fails here.
 */
describe('SDK types', () => {
  it('are generated from the gateway’s current /openapi.json', async () => {
    const url = `${platformState().gatewayUrl}/openapi.json`;
    const result = await run(
      process.execPath,
      [path.join(ROOT, 'scripts/sdk-types.js'), '--from', url, '--check'],
      { cwd: ROOT },
    ).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('libs/sdk/src/generated/openapi.ts is up to date\n');
  }, 120_000);
});
