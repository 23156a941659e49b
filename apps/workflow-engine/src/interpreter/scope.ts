import { buildExpressionScope, type ExpressionScope, type StepResult } from '@baton/workflow-dsl';
import type { RunContext } from './effects';
import { FINISHED_STATUSES, type Frame, type StepError, type StepRecord } from './state';

/**
 * What expressions in `frameKey` can read. Every finished step of the run is
 * visible by name (the latest to finish wins), and the steps of the frames
 * enclosing this one win over those: inside iteration 3 of a foreach,
 * `${charge.output}` is iteration 3's charge. A failed step also shows its
 * `error` ({ type, message }), so handler steps can read what went wrong.
 */
export function scopeFor(
  ctx: RunContext,
  frameKey: string,
  self?: { name: string; output: unknown },
): ExpressionScope {
  const chain = frameChain(ctx, frameKey);
  const steps: Record<string, StepResult> = {};
  const errors: Record<string, StepError> = {};
  const put = (record: StepRecord): void => {
    steps[record.name] = { status: record.status, output: record.output ?? undefined };
    if (record.status === 'failed' && record.error) errors[record.name] = record.error;
    else delete errors[record.name];
  };
  const finished = [...ctx.records.values()].filter((r) => FINISHED_STATUSES.has(r.status));
  finished.sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0) || a.seq - b.seq);
  for (const record of finished) put(record);
  const inChain = new Map(chain.map((frame, depth) => [frame.key, depth]));
  finished
    .filter((r) => inChain.has(r.frame))
    .sort((a, b) => inChain.get(a.frame)! - inChain.get(b.frame)! || a.seq - b.seq)
    .forEach(put);
  if (self) steps[self.name] = { status: 'completed', output: self.output };

  const locals: Record<string, unknown> = {};
  for (const frame of chain) Object.assign(locals, frame.locals ?? {});
  const scope = buildExpressionScope({
    input: ctx.run.input,
    trigger: ctx.run.trigger,
    workflow: { run_id: ctx.run.id, name: ctx.run.workflow, version: ctx.run.version },
    steps,
    locals,
  }) as Record<string, unknown>;
  for (const [name, error] of Object.entries(errors)) {
    if (name in locals) continue;
    scope[name] = {
      ...(scope[name] as object),
      error: { type: error.type, message: error.message },
    };
  }
  return scope;
}

/** The frames from the root down to `frameKey` (missing frames are left out). */
export function frameChain(ctx: RunContext, frameKey: string): Frame[] {
  const chain: Frame[] = [];
  let key: string | null = frameKey;
  while (key !== null) {
    const frame: Frame | undefined = ctx.state.frames[key];
    if (!frame) break;
    chain.unshift(frame);
    key = frame.parent;
  }
  return chain;
}
