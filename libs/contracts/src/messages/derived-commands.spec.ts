import 'reflect-metadata';
import { DomainError, type FieldError } from '../errors';
import { validateInto } from '../validation';
import { UpdateWorkspaceRequest, CreateWorkspaceRequest } from './access.messages';
import { PatchAgentCommand, RegisterAgentCommand } from './agent.messages';
import { CreateAlertCommand, UpdateAlertCommand } from './alerts.messages';

/** The field errors a body gets, or none. */
function refusals(cls: new () => object, body: Record<string, unknown>): FieldError[] {
  try {
    validateInto(cls, body);
    return [];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return error.errors ?? [];
  }
}

/**
 * Each PATCH command is derived from its creating twin (PartialType/OmitType;
 * UpdateWorkspaceRequest is written out, see there): a bad field must be
 * refused by both, with the same field and message, and a patch must accept a
 * body that names only what identifies the resource.
 */
describe('patch commands derived from their create commands', () => {
  describe('UpdateAlertCommand from CreateAlertCommand', () => {
    const create = {
      name: 'slow',
      condition: 'error_rate > 0.05',
      notification_channels: ['email'],
      severity: 'warning',
    };
    it.each([
      ['condition', { condition: 'x'.repeat(1001) }],
      ['notification_channels', { notification_channels: [] }],
      ['notification_channels', { notification_channels: ['Not A Name'] }],
      ['severity', { severity: 'apocalyptic' }],
      ['for', { for: 'soon' }],
      ['window', { window: '5 minutes' }],
      ['scope.agent', { scope: { agent: 'Bad Name' } }],
      ['description', { description: 'x'.repeat(1001) }],
    ])('refuses a bad %s the same way', (field, bad) => {
      const patch = refusals(UpdateAlertCommand, { name: 'slow', ...bad });
      expect(patch.map((e) => e.field)).toContain(field);
      expect(patch).toEqual(refusals(CreateAlertCommand, { ...create, ...bad }));
    });

    it('needs only the name, which it still checks', () => {
      expect(refusals(UpdateAlertCommand, { name: 'slow' })).toEqual([]);
      expect(refusals(UpdateAlertCommand, { name: 'Slow!' })).toEqual(
        refusals(CreateAlertCommand, { ...create, name: 'Slow!' }),
      );
      expect(refusals(UpdateAlertCommand, {}).map((e) => e.field)).toEqual(['name']);
    });
  });

  describe('PatchAgentCommand from RegisterAgentCommand', () => {
    const register = { name: 'triage', type: 'worker' };
    it.each([
      ['type', { type: 'x'.repeat(65) }],
      ['description', { description: 'x'.repeat(2001) }],
      ['capabilities', { capabilities: 'billing' }],
      ['capabilities', { capabilities: ['x'.repeat(65)] }],
      ['capabilities', { capabilities: Array.from({ length: 65 }, (_, i) => `c${i}`) }],
      ['runtime', { runtime: 'mainframe' }],
      ['min_instances', { min_instances: -1 }],
      ['max_instances', { max_instances: 0 }],
      ['config', { config: 'yes' }],
      ['output_schema', { output_schema: [1] }],
    ])('refuses a bad %s the same way', (field, bad) => {
      const patch = refusals(PatchAgentCommand, { name: 'triage', ...bad });
      expect(patch.map((e) => e.field)).toContain(field);
      expect(patch).toEqual(refusals(RegisterAgentCommand, { ...register, ...bad }));
    });

    it('a patch needs only the name; a registration needs a type too', () => {
      expect(refusals(PatchAgentCommand, { name: 'triage' })).toEqual([]);
      expect(refusals(RegisterAgentCommand, { name: 'triage' }).map((e) => e.field)).toContain(
        'type',
      );
    });

    it('a patch clears a description or a schema with null', () => {
      expect(
        refusals(PatchAgentCommand, { name: 'triage', description: null, input_schema: null }),
      ).toEqual([]);
    });

    it('refuses a field neither knows', () => {
      expect(refusals(PatchAgentCommand, { name: 'triage', colour: 'red' })).toEqual(
        refusals(RegisterAgentCommand, { ...register, colour: 'red' }),
      );
    });
  });

  describe('UpdateWorkspaceRequest, written out, checks as CreateWorkspaceRequest', () => {
    it.each([
      ['an empty name', { name: '' }],
      ['a name over 200', { name: 'x'.repeat(201) }],
      ['a name not text', { name: 7 }],
    ])('refuses %s the same way', (_, bad) => {
      const patch = refusals(UpdateWorkspaceRequest, bad);
      expect(new Set(patch.map((e) => e.field))).toEqual(new Set(['name']));
      expect(patch).toEqual(refusals(CreateWorkspaceRequest, { id: 'acme', ...bad }));
    });

    it('accepts an empty patch and has no id to set', () => {
      expect(refusals(UpdateWorkspaceRequest, {})).toEqual([]);
      expect(refusals(UpdateWorkspaceRequest, { id: 'other' }).map((e) => e.field)).toEqual(['id']);
    });
  });
});
