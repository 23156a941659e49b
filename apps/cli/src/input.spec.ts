import { parseRunInput } from './input';

describe('parseRunInput', () => {
  const files: Record<string, string> = {
    'in.json': '{"order": 1}',
    'in.yaml': 'order: 2\n',
    'list.json': '[1]',
  };
  const read = (path: string) => files[path] ?? '';

  it('reads JSON text, @file.json and @file.yaml', () => {
    expect(parseRunInput('{"a":1}', read)).toEqual({ a: 1 });
    expect(parseRunInput('@in.json', read)).toEqual({ order: 1 });
    expect(parseRunInput('@in.yaml', read)).toEqual({ order: 2 });
    expect(parseRunInput(undefined, read)).toEqual({});
  });

  it('names the input when it is not a JSON object', () => {
    expect(() => parseRunInput('{a', read)).toThrow(/^input: --input is not valid JSON/);
    expect(() => parseRunInput('@list.json', read)).toThrow(
      'input: list.json must hold a JSON object',
    );
  });
});
