import {
  createEnvelope,
  Topics,
  type Envelope,
  type WorkflowLifecycleEvent,
} from '@baton/contracts';
import type { OutgoingMessage } from '@baton/kafka';
import type { RunEntity } from '../store/run.entity';

/** A lifecycle fact about a run, keyed by run id so one run's events stay in order. */
export function workflowEvent(
  type: string,
  run: RunEntity,
  extra: Partial<WorkflowLifecycleEvent> & Record<string, unknown> = {},
  cause?: Envelope,
): OutgoingMessage {
  return {
    topic: Topics.workflowEvents,
    key: run.id,
    envelope: createEnvelope<WorkflowLifecycleEvent>({
      type,
      source: 'workflow-engine',
      subject: run.id,
      workspaceId: run.workspaceId,
      correlationId: run.correlationId,
      causedBy: cause,
      data: {
        run_id: run.id,
        workflow: run.workflow,
        workflow_version: run.workflowVersion,
        status: run.status,
        ...extra,
      },
    }),
  };
}
