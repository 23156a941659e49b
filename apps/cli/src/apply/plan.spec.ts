import { describePlan, planAgent, planConnection, planWorkflow } from './plan';

const ACTIVE = `workflow:
  name: greet
  steps:
    - name: hello
      agent: greeter
      input: { says: hi }
`;

describe('apply plans', () => {
  it('creates an agent that does not exist', () => {
    const plan = planAgent('triage', { name: 'triage', type: 'worker' }, undefined);
    expect(describePlan(plan)).toEqual(['+ agent/triage (create)']);
  });

  it('changes only the agent fields the file sets and that differ', () => {
    const current = {
      name: 'triage',
      type: 'worker',
      capabilities: ['classify'],
      max_instances: 3,
      config: { a: 1 },
    };
    const same = planAgent('triage', { name: 'triage', type: 'worker', config: { a: 1 } }, current);
    expect(same.action).toBe('unchanged');
    const changed = planAgent(
      'triage',
      { name: 'triage', max_instances: 5, config: { a: 1 } },
      current,
    );
    expect(changed).toMatchObject({
      action: 'update',
      changes: [{ field: 'max_instances', from: 3, to: 5 }],
    });
    expect(describePlan(changed)).toEqual(['~ agent/triage (update)', '    max_instances: 3 → 5']);
  });

  it('compares a connection by connector and config; secrets are not readable so not compared', () => {
    const current = { connector: 'http', config: { base_url: 'https://a' } };
    const desired = {
      name: 'crm',
      connector: 'http',
      config: { base_url: 'https://a' },
      secrets: { token: 't' },
    };
    expect(planConnection('crm', desired, current)).toMatchObject({
      action: 'unchanged',
      note: 'secrets are sent on create only',
    });
    expect(
      planConnection('crm', { ...desired, config: { base_url: 'https://b' } }, current).changes,
    ).toEqual([
      { field: 'config', from: { base_url: 'https://a' }, to: { base_url: 'https://b' } },
    ]);
  });

  it('sees a workflow written differently but with the same data as unchanged', () => {
    const reformatted = `# comment\nworkflow:\n  steps:\n    - agent: greeter\n      name: hello\n      input:\n        says: hi\n  name: greet\n`;
    expect(planWorkflow('greet', reformatted, ACTIVE).action).toBe('unchanged');
    expect(planWorkflow('greet', ACTIVE, undefined).action).toBe('create');
  });

  it('shows a changed workflow as a unified diff against the active version', () => {
    const plan = planWorkflow('greet', ACTIVE.replace('says: hi', 'says: hello'), ACTIVE);
    expect(plan.action).toBe('update');
    expect(describePlan(plan)).toEqual([
      '~ workflow/greet (update)',
      '    --- greet (active)',
      '    +++ greet (file)',
      '    @@ -4,3 +4,3 @@',
      '         - name: hello',
      '           agent: greeter',
      '    -      input: { says: hi }',
      '    +      input: { says: hello }',
    ]);
  });
});
