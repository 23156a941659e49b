import { isObject } from '@baton/contracts';
import type { FieldError } from '@baton/contracts';

/** `config.provisioner` of a worker agent agent-manager starts itself. */
export interface ProcessProvisionerSpec extends ScalingFields {
  type: 'process';
  /** argv: the executable, then its arguments. */
  command: string[];
  env: Record<string, string>;
}

/**
 * Checks `config.provisioner`. Starting processes from an API call runs code
 * on agent-manager's machine, so only executables the operator listed in
 * AGENT_PROVISIONER_COMMANDS may be used; the list is empty by default.
 */
export function parseProvisioner(
  value: unknown,
  allowedCommands: string[],
): { ok: true; spec: ProcessProvisionerSpec | null } | { ok: false; errors: FieldError[] } {
  if (value === undefined) return { ok: true, spec: null };
  const at = 'config.provisioner';
  if (!isObject(value)) return { ok: false, errors: [{ field: at, message: 'must be an object' }] };
  const errors: FieldError[] = [];
  if (value.type !== 'process') {
    errors.push({ field: `${at}.type`, message: "must be 'process'" });
  }
  const command = value.command;
  if (
    !Array.isArray(command) ||
    command.length === 0 ||
    !command.every((part) => typeof part === 'string' && part !== '')
  ) {
    errors.push({ field: `${at}.command`, message: 'must be a non-empty list of strings (argv)' });
  } else if (!allowedCommands.includes(command[0] as string)) {
    errors.push({
      field: `${at}.command`,
      message:
        allowedCommands.length === 0
          ? 'process provisioning is disabled (set AGENT_PROVISIONER_COMMANDS on agent-manager)'
          : `must start with one of AGENT_PROVISIONER_COMMANDS: ${allowedCommands.join(', ')}`,
    });
  }
  const env = value.env ?? {};
  if (!isObject(env) || !Object.values(env).every((v) => typeof v === 'string')) {
    errors.push({ field: `${at}.env`, message: 'must map names to strings' });
  }
  const scaling = parseScalingFields(value, at, errors);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    spec: {
      type: 'process',
      command: command as string[],
      env: env as Record<string, string>,
      ...scaling,
    },
  };
}

/** How any provisioner scales: the fields every `config.provisioner` kind shares. */
export interface ScalingFields {
  /** Backlog one instance is expected to handle; more backlog means more instances. */
  tasksPerInstance: number;
  /** Instances are removed only after the backlog stayed low this long. */
  cooldownMs: number;
}

/** Reads `tasks_per_instance` and `cooldown_ms` (with their defaults), adding what is wrong to errors. */
export function parseScalingFields(
  value: Record<string, unknown>,
  at: string,
  errors: FieldError[],
): ScalingFields {
  const perInstance = value.tasks_per_instance ?? 1;
  if (typeof perInstance !== 'number' || !Number.isInteger(perInstance) || perInstance < 1) {
    errors.push({ field: `${at}.tasks_per_instance`, message: 'must be a whole number ≥ 1' });
  }
  const cooldown = value.cooldown_ms ?? 30_000;
  if (typeof cooldown !== 'number' || cooldown < 0 || cooldown > 3_600_000) {
    errors.push({ field: `${at}.cooldown_ms`, message: 'must be between 0 and 3600000' });
  }
  return { tasksPerInstance: perInstance as number, cooldownMs: cooldown as number };
}

/** Instances the backlog asks for, kept between min and max (at least one while there is work). */
export function desiredInstances(
  backlog: number,
  min: number,
  max: number,
  perInstance: number,
): number {
  const wanted = Math.ceil(Math.max(backlog, 0) / Math.max(perInstance, 1));
  return Math.min(Math.max(wanted, min, backlog > 0 ? 1 : 0), max);
}

export interface ScalingState {
  /** When the backlog last asked for at least the current count (or the count last changed). */
  lastBusyAt: number;
}

/**
 * Up at once; down one instance at a time, and only after the backlog asked
 * for fewer for a whole cooldown, so a short lull does not tear instances down.
 */
export function nextCount(
  current: number,
  desired: number,
  state: ScalingState,
  now: number,
  cooldownMs: number,
): { count: number; state: ScalingState } {
  if (desired >= current) return { count: desired, state: { lastBusyAt: now } };
  if (now - state.lastBusyAt < cooldownMs) return { count: current, state };
  return { count: current - 1, state: { lastBusyAt: now } };
}

/** Crash loops back off: 1 s, 2 s, 4 s… up to a minute, reset after a process lived a minute. */
export function restartDelayMs(recentCrashes: number): number {
  if (recentCrashes <= 0) return 0;
  return Math.min(1_000 * 2 ** (recentCrashes - 1), 60_000);
}
