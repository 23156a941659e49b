import type { RunContext } from './effects';
import { ACTIVE_STATUSES, type ActiveStep, type RetryPoint, type StepRecord } from './state';

/**
 * The control state as it is just before `record` fails. Taken at every
 * step failure of a decision (the latest wins), and kept on the run only if
 * the decision fails the run (see `decide`).
 */
export function failurePoint(ctx: RunContext, record: StepRecord): RetryPoint {
  const active: ActiveStep[] = [];
  for (const other of ctx.records.values()) {
    if (other.key === record.key || !ACTIVE_STATUSES.has(other.status)) continue;
    active.push({
      key: other.key,
      status: other.status,
      ...(other.parkedBy ? { parkedBy: other.parkedBy } : {}),
      ...(other.waitingFor ? { waitingFor: other.waitingFor } : {}),
    });
  }
  return {
    key: record.key,
    frames: structuredClone(ctx.state.frames),
    containers: structuredClone(ctx.state.containers),
    active,
  };
}
