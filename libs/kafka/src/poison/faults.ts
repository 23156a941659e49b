/**
 * Test hooks, off unless set, read once when the process loads this module:
 * BATON_FAULT_CRASH_ON=<marker> kills the process (SIGKILL, as the OOM killer
 * would) when a consumed message contains the marker, before its handler
 * runs; BATON_FAULT_HANG_ON=<marker> makes that handler a promise that never
 * settles. The e2e suite uses them to prove that poison messages are
 * dead-lettered; nothing else should set them.
 */
const crashOn = process.env.BATON_FAULT_CRASH_ON || undefined;
const hangOn = process.env.BATON_FAULT_HANG_ON || undefined;

export const faultsEnabled = crashOn !== undefined || hangOn !== undefined;

/** With no hook set this is never called (callers check `faultsEnabled`). */
export function injectFault(texts: readonly string[]): Promise<never> | undefined {
  if (crashOn && texts.some((text) => text.includes(crashOn))) {
    process.kill(process.pid, 'SIGKILL');
  }
  if (hangOn && texts.some((text) => text.includes(hangOn))) {
    return new Promise<never>(() => undefined);
  }
  return undefined;
}
