import { createEnvelope, Headers, MessageTypes, Topics } from '@baton/contracts';
import { undeliverableReplacement, withinBrokerLimit } from './undeliverable';

const TASK_ID = '6f0c2a55-0f4e-4d1e-9a57-2f1f0e4b1c11';
const RUN_ID = '0b7f9a3e-5a55-4c1f-8a43-8d2c4c1f7a21';

describe('undeliverableReplacement', () => {
  it('answers an agent task with a failed result, on the result topic the task names', () => {
    const task = createEnvelope({
      type: MessageTypes.agentTask,
      source: 'workflow-engine',
      workspaceId: 'ws-1',
      data: { task_id: TASK_ID, attempt: 2, agent: 'a', run_id: RUN_ID, input: {} },
    });
    const replacement = undeliverableReplacement(
      {
        topic: 'baton.agent.tasks.ws-1.a',
        key: TASK_ID,
        envelope: task,
        headers: { [Headers.replyTo]: Topics.workflowResults },
      },
      'topic baton.agent.tasks.ws-1.a does not exist',
      'baton.dlq.workflow-engine',
    );
    expect(replacement.topic).toBe(Topics.workflowResults);
    expect(replacement.key).toBe(TASK_ID);
    expect(replacement.envelope).toMatchObject({
      type: MessageTypes.agentResult,
      workspaceid: 'ws-1',
      causationid: task.id,
      correlationid: task.correlationid,
      data: {
        task_id: TASK_ID,
        attempt: 2,
        run_id: RUN_ID,
        status: 'failed',
        error: { type: 'system_error', message: 'topic baton.agent.tasks.ws-1.a does not exist' },
      },
    });
  });

  it('sends a task whose reply-to is not a result topic to baton.agent.results', () => {
    const task = createEnvelope({
      type: MessageTypes.agentTask,
      source: 'agent-manager',
      workspaceId: 'ws-1',
      data: { task_id: TASK_ID, attempt: 1, agent: 'a' },
    });
    const replacement = undeliverableReplacement(
      { topic: 't', key: TASK_ID, envelope: task, headers: { [Headers.replyTo]: 'baton.audit' } },
      'gone',
      'baton.dlq.agent-manager',
    );
    expect(replacement.topic).toBe(Topics.agentResults);
  });

  it('dead-letters anything else with the reason and where it was going', () => {
    const event = createEnvelope({
      type: 'baton.workflow.run.completed',
      source: 'workflow-engine',
      workspaceId: 'ws-1',
      data: {},
    });
    const replacement = undeliverableReplacement(
      { topic: 'user.topic', key: 'k', envelope: event },
      'topic user.topic does not exist',
      'baton.dlq.workflow-engine',
    );
    expect(replacement).toEqual({
      topic: 'baton.dlq.workflow-engine',
      key: 'k',
      envelope: event,
      headers: {
        [Headers.dlqReason]: 'topic user.topic does not exist',
        [Headers.dlqSourceTopic]: 'user.topic',
      },
    });
  });
});

describe('withinBrokerLimit', () => {
  const DLQ = 'baton.dlq.workflow-engine';
  const event = (text: string) =>
    createEnvelope({
      type: 'workflow.run.completed',
      source: 'workflow-engine',
      workspaceId: 'ws-1',
      data: { output: text },
    });

  it('leaves a message the broker takes as it is', () => {
    const message = { topic: 'baton.events', key: 'k', envelope: event('small') };
    expect(withinBrokerLimit(message, DLQ)).toBe(message);
  });

  it('sends a message over the limit to the dead-letter topic without its data, saying why', () => {
    const envelope = event('x'.repeat(1_100_000));
    const replaced = withinBrokerLimit({ topic: 'baton.events', key: 'k', envelope }, DLQ);
    expect(replaced.topic).toBe(DLQ);
    expect(replaced.envelope).toMatchObject({ id: envelope.id, type: envelope.type });
    expect(JSON.stringify(replaced.envelope.data)).toMatch(/over the broker's limit/);
    expect(replaced.headers?.[Headers.dlqReason]).toMatch(/^message of \d+ bytes is over/);
    expect(replaced.headers?.[Headers.dlqSourceTopic]).toBe('baton.events');
  });

  it('answers an agent task over the limit as failed, so its step goes on', () => {
    const task = createEnvelope({
      type: MessageTypes.agentTask,
      source: 'workflow-engine',
      workspaceId: 'ws-1',
      data: { task_id: TASK_ID, attempt: 1, agent: 'a', input: { text: 'x'.repeat(1_100_000) } },
    });
    const replaced = withinBrokerLimit(
      {
        topic: 'baton.agent.tasks.ws-1.a',
        key: TASK_ID,
        envelope: task,
        headers: { [Headers.replyTo]: Topics.workflowResults },
      },
      DLQ,
    );
    expect(replaced.topic).toBe(Topics.workflowResults);
    expect(replaced.envelope.data).toMatchObject({
      task_id: TASK_ID,
      status: 'failed',
      error: { type: 'system_error', message: expect.stringMatching(/over the broker's limit/) },
    });
  });
});
