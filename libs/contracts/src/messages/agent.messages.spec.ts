import 'reflect-metadata';
import { DomainError } from '../errors';
import { validateInto } from '../validation';
import { PatchAgentCommand, RegisterAgentCommand } from './agent.messages';

function fieldsRefused(cls: new () => object, body: Record<string, unknown>): string[] {
  try {
    validateInto(cls, body);
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return (error.errors ?? []).map((f) => f.field);
  }
}

describe('agent commands: one set of field checks for register and patch', () => {
  const tooMany = Array.from({ length: 65 }, (_, i) => `c${i}`);
  it.each([
    ['capabilities not a list', { capabilities: 'billing' }],
    ['more than 64 capabilities', { capabilities: tooMany }],
    ['a capability longer than 64', { capabilities: ['x'.repeat(65)] }],
    ['an unknown runtime', { runtime: 'mainframe' }],
    ['max_instances 0', { max_instances: 0 }],
  ])('both refuse %s', (_, fields) => {
    const field = Object.keys(fields)[0];
    expect(fieldsRefused(PatchAgentCommand, { name: 'triage', ...fields })).toContain(field);
    expect(
      fieldsRefused(RegisterAgentCommand, { name: 'triage', type: 'worker', ...fields }),
    ).toContain(field);
  });

  it('a patch needs only the name; a registration needs a type too', () => {
    expect(fieldsRefused(PatchAgentCommand, { name: 'triage' })).toEqual([]);
    expect(fieldsRefused(RegisterAgentCommand, { name: 'triage' })).toContain('type');
  });

  it('a patch clears a description or a schema with null', () => {
    expect(
      fieldsRefused(PatchAgentCommand, { name: 'triage', description: null, input_schema: null }),
    ).toEqual([]);
  });
});
