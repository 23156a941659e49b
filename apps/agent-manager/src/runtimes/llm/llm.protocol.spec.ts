import {
  completionsUrl,
  parseArguments,
  parseJsonContent,
  readCompletion,
  requestBody,
  systemPrompt,
  toolSpec,
  userMessage,
} from './llm.protocol';

const config = { base_url: 'http://h/v1/', model: 'tiny', system_prompt: 'Classify.' };

describe('llm request', () => {
  it('posts to <base_url>/chat/completions', () => {
    expect(completionsUrl('http://h/v1/')).toBe('http://h/v1/chat/completions');
  });

  it('asks for one JSON object shaped by the output schema', () => {
    const prompt = systemPrompt(config, { type: 'object', required: ['category'] });
    expect(prompt).toContain('Classify.');
    expect(prompt).toContain('one JSON object');
    expect(prompt).toContain('"required":["category"]');
    expect(systemPrompt({ ...config, system_prompt: undefined }, null)).not.toContain('Schema');
  });

  it('sends the input as the user message and offers tools', () => {
    expect(userMessage('hi')).toBe('hi');
    expect(userMessage({ a: 1 })).toBe('{"a":1}');
    const tools = [toolSpec('lookup-order', null, null)];
    const body = requestBody({ ...config, temperature: 0 }, [], tools);
    expect(body).toMatchObject({
      model: 'tiny',
      temperature: 0,
      response_format: { type: 'json_object' },
      tool_choice: 'auto',
      tools: [
        { type: 'function', function: { name: 'lookup-order', parameters: { type: 'object' } } },
      ],
    });
    expect(requestBody({ ...config, json_mode: false }, [], [])).not.toHaveProperty(
      'response_format',
    );
  });
});

describe('llm answers', () => {
  it('reads the final content', () => {
    expect(
      readCompletion({ choices: [{ message: { role: 'assistant', content: '{"a":1}' } }] }),
    ).toEqual({
      kind: 'answer',
      content: '{"a":1}',
    });
  });

  it('reads tool calls', () => {
    const call = { id: 'c1', type: 'function', function: { name: 'x', arguments: '{"q":1}' } };
    const completion = readCompletion({
      choices: [{ message: { content: null, tool_calls: [call] } }],
    });
    expect(completion).toMatchObject({
      kind: 'tools',
      calls: [call],
      message: { role: 'assistant' },
    });
  });

  it('names what is wrong with garbage', () => {
    expect(readCompletion('<html>')).toEqual({
      kind: 'garbage',
      reason: 'the answer has no choices',
    });
    expect(readCompletion({ choices: [{}] })).toMatchObject({ kind: 'garbage' });
    expect(readCompletion({ choices: [{ message: { content: '  ' } }] })).toMatchObject({
      reason: 'the message has no content',
    });
  });

  it('parses JSON content, fenced or not, and says when it is not JSON', () => {
    expect(parseJsonContent('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonContent('Sure!\n```json\n{"a":2}\n```')).toEqual({ ok: true, value: { a: 2 } });
    const bad = parseJsonContent('I think it is billing.');
    expect(bad).toEqual({ ok: false, reason: expect.stringContaining('not JSON') });
  });

  it('parses tool arguments, empty meaning none', () => {
    const call = (args: string) => ({
      id: 'i',
      type: 'function' as const,
      function: { name: 'n', arguments: args },
    });
    expect(parseArguments(call(''))).toEqual({ ok: true, value: {} });
    expect(parseArguments(call('{"x":1}'))).toEqual({ ok: true, value: { x: 1 } });
    expect(parseArguments(call('{x'))).toMatchObject({ ok: false });
  });
});
