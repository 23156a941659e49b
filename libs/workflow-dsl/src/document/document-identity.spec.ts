import { documentIdentity } from './document-identity';

const YAML = `# greets
workflow:
  name: greet
  steps:
    - name: hello
      agent: greeter
      input: { says: hi }
`;

describe('documentIdentity', () => {
  it('is the same for the same data written differently', () => {
    const reordered = `workflow:
  steps:
    - input:
        says: hi   # comment
      agent: greeter
      name: hello
  name: greet
`;
    const json = JSON.stringify({
      workflow: {
        name: 'greet',
        steps: [{ name: 'hello', agent: 'greeter', input: { says: 'hi' } }],
      },
    });
    const unwrapped = JSON.stringify({
      name: 'greet',
      steps: [{ agent: 'greeter', name: 'hello', input: { says: 'hi' } }],
    });
    const identity = documentIdentity(YAML);
    expect(identity).toBeDefined();
    expect(documentIdentity(reordered)).toBe(identity);
    expect(documentIdentity(json)).toBe(identity);
    expect(documentIdentity(unwrapped)).toBe(identity);
  });

  it('differs when any value changes, even one the DSL ignores or a default spelled out', () => {
    const identity = documentIdentity(YAML);
    expect(documentIdentity(YAML.replace('says: hi', 'says: hey'))).not.toBe(identity);
    expect(
      documentIdentity(YAML.replace('  name: greet', '  name: greet\n  description: d')),
    ).not.toBe(identity);
    expect(
      documentIdentity(YAML.replace('agent: greeter', 'agent: greeter\n      retry: 1')),
    ).not.toBe(identity);
  });

  it('is undefined for text the DSL would not load', () => {
    expect(documentIdentity('workflow: [')).toBeUndefined();
  });
});
