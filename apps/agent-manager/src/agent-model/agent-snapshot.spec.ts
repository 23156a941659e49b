import { AgentEntity } from './agent.entity';
import { specColumns, specOf, type AgentSpec } from './agent-snapshot';

describe('an agent spec and its columns', () => {
  const spec: AgentSpec = {
    name: 'summarizer',
    type: 'llm',
    runtime: 'llm',
    description: 'summarizes',
    capabilities: ['summarize'],
    min_instances: 1,
    max_instances: 3,
    config: { model: 'm' },
    input_schema: { type: 'object' },
    output_schema: null,
  };

  it('stores each field of a spec in its column', () => {
    expect(specColumns(spec)).toEqual({
      name: 'summarizer',
      type: 'llm',
      runtime: 'llm',
      description: 'summarizes',
      capabilities: ['summarize'],
      minInstances: 1,
      maxInstances: 3,
      config: { model: 'm' },
      inputSchema: { type: 'object' },
      outputSchema: null,
    });
  });

  it('reads back from the row the spec that set it, and nothing else of the row', () => {
    const agent = Object.assign(new AgentEntity(), specColumns(spec), {
      workspaceId: 'ws-a',
      version: 2,
      status: 'active',
    });
    expect(specOf(agent)).toStrictEqual(spec);
  });
});
