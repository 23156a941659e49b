import {
  Topics,
  WorkflowOpsEventTypes,
  createEnvelope,
  type Envelope,
  type RunOperationCommand,
  type RunView,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { workflowEvent } from '../execution/workflow-events';
import { HeldWorkRepository } from '../store/held-work.repository';
import { RunsRepository } from '../store/runs.repository';
import { RunOperationFrame, requireStatus } from './run-lock';

/**
 * Pause stops a run where it is: the interpreter only advances `running`
 * runs, and whatever reaches a paused run (task results, due timers) is held.
 * Resume puts the run back to `running`, shifts its timers by the paused time
 * and re-delivers the held results through the normal results path.
 */
@Injectable()
export class PauseResumeUseCase {
  constructor(
    private readonly frame: RunOperationFrame,
    private readonly runs: RunsRepository,
    private readonly held: HeldWorkRepository,
  ) {}

  async pause(command: RunOperationCommand, request: Envelope): Promise<RunView> {
    return this.frame.apply(command, request, async (tx, run) => {
      if (run.status === 'paused') return; // pausing twice is harmless
      requireStatus(run, 'pause', ['running']);
      const now = new Date();
      await this.runs.markPaused(tx.manager, run.id, now);
      run.status = 'paused';
      tx.publish(workflowEvent(WorkflowOpsEventTypes.runPaused, run, {}, request));
      tx.audit({ action: 'run.pause', target: `run/${run.id}` }, request);
    });
  }

  async resume(command: RunOperationCommand, request: Envelope): Promise<RunView> {
    return this.frame.apply(command, request, async (tx, run) => {
      if (run.status === 'running') return;
      requireStatus(run, 'resume', ['paused']);
      const now = new Date();
      const pausedMs = run.pausedAt ? now.getTime() - run.pausedAt.getTime() : 0;
      await this.runs.markResumed(tx.manager, run.id, now);
      run.status = 'running';
      tx.publish(workflowEvent(WorkflowOpsEventTypes.runResumed, run, {}, request));
      tx.audit({ action: 'run.resume', target: `run/${run.id}` }, request);
      const results = await this.held.release(tx.manager, run.id, pausedMs);
      // A fresh envelope id per re-delivery: the results inbox already holds the original's.
      // Agent and action results take the same path, so one topic serves both.
      tx.publish(
        ...results.map((original) => ({
          topic: Topics.agentResults,
          key: run.id,
          envelope: createEnvelope({
            type: original.type,
            source: 'workflow-engine',
            subject: original.subject,
            workspaceId: original.workspaceid,
            correlationId: original.correlationid,
            causedBy: original,
            data: original.data,
          }),
        })),
      );
    });
  }
}
