import { TaskResultMessage, validateInto, type ActionTaskMessage } from '@baton/contracts';
import { actionFailure, toDelivery, toTaskResult, type DeliveryFacts } from './action-result';

const task: ActionTaskMessage = {
  task_id: '6f1c1a9e-5d7b-4c55-9a53-0d3e3e9f3a11',
  attempt: 1,
  action: 'send-message',
  input: { text: 'hi' },
  run_id: '0a7d2a0e-1d4e-4f6f-8f8e-1b5d8c1e2f33',
  step: 'notify',
};

const facts: DeliveryFacts = {
  id: '9b0c6a52-3c1e-4d2a-9f51-1f0d8a6b7c01',
  resultMessageId: 'c2f5d3a4-7b6e-4f1a-8d9c-2e3f4a5b6c7d',
  workspaceId: 'acme',
  task,
  connection: 'default',
  durationMs: 12.6,
  at: new Date('2024-11-24T10:00:00Z'),
};

describe('action results', () => {
  it('records a completed delivery and maps it to a completed task result', () => {
    const output = { delivered: true, status: 200, response: { ok: true } };
    const delivery = toDelivery(facts, { status: 'completed', httpStatus: 200, output });
    expect(delivery).toMatchObject({
      status: 'delivered',
      httpStatus: 200,
      error: null,
      errorType: null,
      output,
      durationMs: 13,
      runId: task.run_id,
      step: 'notify',
      connection: 'default',
    });
    const result = toTaskResult(delivery);
    expect(result).toEqual({
      task_id: task.task_id,
      attempt: 1,
      status: 'completed',
      output,
      duration_ms: 13,
    });
    expect(() => validateInto(TaskResultMessage, JSON.parse(JSON.stringify(result)))).not.toThrow();
  });

  it('records a failure with its type and reason', () => {
    const delivery = toDelivery(facts, {
      status: 'failed',
      httpStatus: 502,
      errorType: 'system_error',
      message: 'webhook answered HTTP 502',
    });
    expect(delivery).toMatchObject({
      status: 'failed',
      httpStatus: 502,
      error: 'webhook answered HTTP 502',
      output: null,
    });
    const result = toTaskResult(delivery);
    expect(result).toEqual({
      task_id: task.task_id,
      attempt: 1,
      status: 'failed',
      error: { type: 'system_error', message: 'webhook answered HTTP 502' },
      duration_ms: 13,
    });
    expect(() => validateInto(TaskResultMessage, JSON.parse(JSON.stringify(result)))).not.toThrow();
  });

  it('keeps validation errors as such', () => {
    const missing = "no connection 'default' is configured for send-message";
    const result = toTaskResult(toDelivery(facts, actionFailure('validation_error', missing)));
    expect(result.error).toEqual({ type: 'validation_error', message: missing });
  });

  it('leaves run and step empty for a task outside a run', () => {
    const delivery = toDelivery(
      { ...facts, task: { ...task, run_id: undefined, step: undefined } },
      actionFailure('system_error', 'x'),
    );
    expect(delivery.runId).toBeNull();
    expect(delivery.step).toBeNull();
  });
});
