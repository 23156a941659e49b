import { inputFields, inputFromForm, inputFromJson, inputSchemaOf } from './run-input';

const SOURCE = `workflow:
  name: with-input
  input_schema:
    type: object
    required: [text]
    properties:
      text: { type: string, description: what the customer wrote }
      priority: { enum: [low, high] }
      retries: { type: integer }
      vip: { type: boolean }
      tags: { type: array }
  steps:
    - { name: a, agent: x }
`;

describe('the run form', () => {
  it('derives one field per input_schema property, of the matching kind', () => {
    const fields = inputFields(inputSchemaOf(SOURCE));
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['text', 'text', true],
      ['priority', 'choice', false],
      ['retries', 'number', false],
      ['vip', 'boolean', false],
      ['tags', 'json', false],
    ]);
  });

  it('builds the input, and names each wrong field', () => {
    const fields = inputFields(inputSchemaOf(SOURCE));
    expect(
      inputFromForm(fields, { text: 'hi', retries: '3', vip: true, tags: '["a"]' }).input,
    ).toEqual({ text: 'hi', retries: 3, vip: true, tags: ['a'] });
    expect(inputFromForm(fields, { retries: 'x', tags: '[' }).errors).toEqual([
      { field: 'text', message: 'is required' },
      { field: 'retries', message: 'must be a number' },
      { field: 'tags', message: 'must be JSON' },
    ]);
  });

  it('takes a JSON object when there is no schema', () => {
    expect(inputSchemaOf('workflow: { name: x, steps: [] }')).toBeUndefined();
    expect(inputFromJson('{"a":1}').input).toEqual({ a: 1 });
    expect(inputFromJson('[1]').errors[0].message).toBe('must be a JSON object');
  });
});
