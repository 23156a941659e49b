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
    const { min_instances, max_instances, input_schema, output_schema, ...sameNamed } = spec;
    expect(specColumns(spec)).toEqual({
      ...sameNamed,
      minInstances: min_instances,
      maxInstances: max_instances,
      inputSchema: input_schema,
      outputSchema: output_schema,
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
