import * as fs from 'node:fs';
import { STATE_FILE } from './paths';
import { platformState } from './platform';

// The launcher is plain JavaScript shared with `npm run up`.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcher = require('../../../scripts/platform/launcher') as {
  startService(spec: { name: string; port: number; env: Record<string, string>; logDir: string }): {
    child: { pid?: number };
  };
  waitReady(service: unknown, timeoutMs: number): Promise<void>;
};

/** kill -9: no shutdown hook runs, in-flight work is cut wherever it is. */
export function killService(name: string): void {
  const service = platformState().services.find((s) => s.name === name);
  if (!service) throw new Error(`no service ${name}`);
  process.kill(service.pid, 'SIGKILL');
}

/** Starts a killed service again with the same configuration and waits until it is ready. */
export async function restartService(name: string): Promise<void> {
  const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as ReturnType<
    typeof platformState
  > & {
    env: Record<string, string>;
    logDir: string;
  };
  const entry = state.services.find((s) => s.name === name);
  if (!entry) throw new Error(`no service ${name}`);
  const started = launcher.startService({
    name,
    port: entry.port,
    env: state.env,
    logDir: state.logDir,
  });
  await launcher.waitReady(started, 60_000);
  entry.pid = started.child.pid!;
  fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
}
