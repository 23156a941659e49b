import { resultTopicFor, Topics } from './topics';

describe('resultTopicFor', () => {
  it('answers on the result topic a task names', () => {
    expect(resultTopicFor(Topics.workflowResults)).toBe(Topics.workflowResults);
    expect(resultTopicFor(Topics.agentResults)).toBe(Topics.agentResults);
  });

  it('answers on baton.agent.results when the task names none', () => {
    expect(resultTopicFor(undefined)).toBe('baton.agent.results');
  });

  it('never lets a task send its result to a topic that is not a result topic', () => {
    expect(resultTopicFor(Topics.audit)).toBe(Topics.agentResults);
    expect(resultTopicFor('baton.workflow.commands')).toBe(Topics.agentResults);
    expect(resultTopicFor('')).toBe(Topics.agentResults);
  });
});
