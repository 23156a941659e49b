import type { Envelope } from '@baton/contracts';
import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<Envelope>();

/**
 * Runs `work` as the handling of `command`: what it records (an audit entry,
 * see Transaction.audit in libs/database) is attributed to the command's
 * caller, workspace and correlation id without every use case passing them.
 */
export function runInCommand<T>(command: Envelope, work: () => T): T {
  return storage.run(command, work);
}

/** The command being handled by this async flow, if any. */
export function currentCommand(): Envelope | undefined {
  return storage.getStore();
}
