import {
  computeRetryDelay,
  evaluateTemplate,
  shouldRetry,
  type ForeachStep,
} from '@baton/workflow-dsl';
import type { RunContext } from './effects';
import { cancelContainer, failRun, failStep } from './failures';
import {
  StepEvents,
  continueAfter,
  emit,
  expressionFailure,
  markCompleted,
  publicError,
  release,
  removeFrame,
  schedule,
  stepEvent,
  stepOf,
  touch,
} from './records';
import { scopeFor } from './scope';
import { ROOT_FRAME, type Frame, type StepError, type StepRecord } from './state';
import { outputProblems } from './step-output';

const RETRIED_KINDS = new Set(['agent', 'action', 'workflow']);

/** An agent, action, sub-workflow or awaited event answered: check, map and move on. */
export async function completeLeaf(
  ctx: RunContext,
  record: StepRecord,
  raw: unknown,
): Promise<void> {
  const step = stepOf(ctx, record);
  if ((step.kind === 'agent' || step.kind === 'action') && step.outputSchema) {
    const problems = outputProblems(step.outputSchema, raw ?? null);
    if (problems) {
      return failAttempt(ctx, record, {
        type: 'validation_error',
        message: `step '${step.name}' output does not match its output_schema: ${problems}`,
        step: step.name,
      });
    }
  }
  await finishStep(ctx, record, raw);
}

/** Completes a step with its `output` mapping applied, then moves its frame on. */
export async function finishStep(ctx: RunContext, record: StepRecord, raw: unknown): Promise<void> {
  const step = stepOf(ctx, record);
  let output = raw ?? null;
  if (step.output !== undefined) {
    try {
      const scope = scopeFor(ctx, record.frame, { name: step.name, output });
      output = (await evaluateTemplate(step.output, scope)) ?? null;
    } catch (error) {
      return failStep(ctx, record, expressionFailure(step, 'output', error));
    }
  }
  markCompleted(ctx, record, output);
  continueAfter(ctx, record);
}

/** A parked step's handler answered: its answer is the step's output, as is. */
export function finishParked(ctx: RunContext, record: StepRecord, answer: unknown): void {
  markCompleted(ctx, record, answer);
  continueAfter(ctx, record);
}

/** A failed attempt: retried after the policy's backoff, or the step fails. */
export function failAttempt(ctx: RunContext, record: StepRecord, error: StepError): void {
  const step = stepOf(ctx, record);
  const retrying =
    RETRIED_KINDS.has(step.kind) &&
    !record.parkedBy &&
    shouldRetry(step.retry, record.attempt, error.type);
  if (!retrying) return failStep(ctx, record, error);
  record.status = 'retrying';
  record.error = error;
  touch(ctx, record);
  release(ctx, record);
  emit(ctx, StepEvents.failed, stepEvent(record, { error: publicError(error), retrying: true }));
  ctx.effects.push({
    kind: 'timer',
    timer: 'retry',
    taskId: record.taskId,
    delayMs: computeRetryDelay(step.retry, record.attempt, ctx.random),
  });
}

/** The output of a finished list: that of its last completed step. */
function frameOutput(ctx: RunContext, frameKey: string): unknown {
  let last: StepRecord | undefined;
  for (const record of ctx.records.values()) {
    if (record.frame !== frameKey || record.status !== 'completed') continue;
    if (!last || record.seq > last.seq) last = record;
  }
  return last?.output ?? null;
}

/** A list ran to its end: the run completes, or the container that owns the list moves on. */
export async function completeFrame(ctx: RunContext, frame: Frame): Promise<void> {
  if (frame.key === ROOT_FRAME) return completeRun(ctx);
  const owner = frame.owner ? ctx.records.get(frame.owner) : undefined;
  const container = frame.owner ? ctx.state.containers[frame.owner] : undefined;
  removeFrame(ctx, frame.key);
  if (!owner || !container) return;
  const output = frameOutput(ctx, frame.key);
  container.frames = container.frames.filter((key) => key !== frame.key);
  switch (container.kind) {
    case 'switch':
      delete ctx.state.containers[owner.key];
      return finishStep(ctx, owner, output);
    case 'parallel':
      container.branches[frame.slot!] = { status: 'completed', output };
      if (container.join === 'any') {
        // The first branch to succeed wins; what the others still run is cancelled.
        cancelContainer(ctx, owner.key);
        return finishStep(ctx, owner, output);
      }
      if (container.branches.some((b) => b.status !== 'completed')) return;
      delete ctx.state.containers[owner.key];
      return finishStep(
        ctx,
        owner,
        container.branches.map((b) => b.output ?? null),
      );
    case 'foreach':
      container.outputs[frame.slot!] = output;
      container.done += 1;
      if (container.done < container.items.length) {
        launchIterations(ctx, owner);
        return;
      }
      delete ctx.state.containers[owner.key];
      return finishStep(ctx, owner, container.outputs);
  }
}

/** Starts foreach iterations until `concurrency` run at once or no item is left. */
export function launchIterations(ctx: RunContext, owner: StepRecord): void {
  const container = ctx.state.containers[owner.key];
  const step = stepOf(ctx, owner) as ForeachStep;
  if (!container || container.kind !== 'foreach') return;
  while (container.frames.length < step.concurrency && container.next < container.items.length) {
    const slot = container.next++;
    const key = `${owner.key}[${slot}]`;
    ctx.state.frames[key] = {
      key,
      list: { step: step.name },
      index: 0,
      parent: owner.frame,
      owner: owner.key,
      slot,
      locals: { [step.as]: container.items[slot], index: slot },
    };
    container.frames.push(key);
    schedule(ctx, key);
  }
}

async function completeRun(ctx: RunContext): Promise<void> {
  const definition = ctx.definition;
  let output: unknown;
  try {
    output =
      definition.output !== undefined
        ? await evaluateTemplate(definition.output, scopeFor(ctx, ROOT_FRAME))
        : frameOutput(ctx, ROOT_FRAME);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failRun(ctx, { type: 'system_error', message: `workflow output: ${message}` });
  }
  removeFrame(ctx, ROOT_FRAME);
  ctx.outcome = { status: 'completed', output: output ?? null };
}
