import * as fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { STATE_FILE } from './paths';
import { platformState, type PlatformState } from './platform';

interface Launcher {
  startService(spec: {
    name: string;
    port: number;
    env: Record<string, string>;
    logDir: string;
    logName?: string;
    tls?: { ca: string };
  }): {
    child: ChildProcess;
    port: number;
    url: string;
    name: string;
    logFile: string;
    exited: Promise<number | null>;
  };
  waitReady(service: ReturnType<Launcher['startService']>, timeoutMs: number): Promise<void>;
  stopServices(
    services: ReturnType<Launcher['startService']>[],
    graceMs?: number,
  ): Promise<{ name: string; code: number | null; forced: boolean }[]>;
}

// The same launcher global-setup uses, so the service starts exactly as it did.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcher = require('../../../scripts/platform/launcher') as Launcher;

type State = PlatformState & {
  env: Record<string, string>;
  /** Per service: its own Kafka principal's KAFKA_SASL_* (SASL mode). */
  serviceEnv?: Record<string, Record<string, string>>;
  logDir: string;
};

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `kill -9` one service by name: no shutdown hook runs, in-flight work is simply cut off. */
export async function killService(name: string): Promise<void> {
  const service = platformState().services.find((s) => s.name === name);
  if (!service) throw new Error(`no service ${name}`);
  process.kill(service.pid, 'SIGKILL');
  while (alive(service.pid)) await new Promise((resolve) => setTimeout(resolve, 50));
}

/**
 * Starts the service again on its port with the environment of global-setup,
 * waits until it is ready, and records its pid so that global-teardown stops it.
 */
export async function restartService(
  name: string,
  extraEnv: Record<string, string> = {},
): Promise<void> {
  const service = launchService(name, extraEnv);
  await service.ready();
}

/**
 * Starts the service (whose last process must be gone) on its port with the
 * environment of global-setup plus `extraEnv`, records its pid for
 * global-teardown, and returns at once: a test that expects it to die
 * watches `exited`, as a supervisor would.
 */
export function launchService(
  name: string,
  extraEnv: Record<string, string> = {},
): { pid: number; exited: Promise<number | null>; ready: () => Promise<void> } {
  const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as State;
  const entry = state.services.find((s) => s.name === name);
  if (!entry) throw new Error(`no service ${name}`);
  const service = launcher.startService({
    name,
    port: entry.port,
    env: { ...state.env, ...state.serviceEnv?.[name], ...extraEnv },
    logDir: state.logDir,
  });
  // The test process must be able to exit while the service keeps running for later specs.
  service.child.unref();
  entry.pid = service.child.pid!;
  fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
  return {
    pid: entry.pid,
    exited: service.exited,
    ready: () => launcher.waitReady(service, 120_000),
  };
}

/**
 * Starts one more process of a service (a second engine, say) on its own
 * port, with the environment of global-setup plus `options.env`. With
 * `options.tls` it is probed over HTTPS trusting that certificate. The caller stops it.
 */
export async function startExtraService(
  name: string,
  portOffset: number,
  options: { env?: Record<string, string>; tls?: { ca: string } } = {},
): Promise<{ url: string; stop: () => Promise<{ code: number | null; forced: boolean }> }> {
  const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as State;
  const entry = state.services.find((s) => s.name === name);
  if (!entry) throw new Error(`no service ${name}`);
  const service = launcher.startService({
    name,
    logName: `${name}-extra`,
    port: entry.port + portOffset,
    env: { ...state.env, ...state.serviceEnv?.[name], ...options.env },
    logDir: state.logDir,
    tls: options.tls,
  });
  await launcher.waitReady(service, 120_000);
  return {
    url: service.url,
    stop: async () => {
      const [result] = await launcher.stopServices([service]);
      return result;
    },
  };
}
