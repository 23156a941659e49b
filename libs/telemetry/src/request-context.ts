import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  workspaceId?: string;
  correlationId?: string;
  principal?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` with ids that every log line written inside it will carry. */
export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

export function currentContext(): RequestContext {
  return storage.getStore() ?? {};
}
