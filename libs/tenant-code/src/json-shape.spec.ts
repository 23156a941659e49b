import { checkJsonText, JsonLimitError } from './json-shape';

const LIMITS = { maxBytes: 1_000, maxDepth: 4, maxKeys: 5 };

function failure(text: string, bytes?: number): JsonLimitError {
  try {
    checkJsonText(text, LIMITS, 'body', bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(JsonLimitError);
    return error as JsonLimitError;
  }
  throw new Error('expected a JsonLimitError');
}

describe('checkJsonText', () => {
  it('accepts documents within every limit', () => {
    expect(() => checkJsonText('{"a":[1,{"b":[2]}],"c":"x"}', LIMITS, 'body')).not.toThrow();
  });

  it('refuses a document over the size limit, counting bytes not characters', () => {
    const error = failure(JSON.stringify('é'.repeat(600)));
    expect(error.limit).toBe('size');
    expect(error.message).toBe('body is larger than 1000 bytes');
  });

  it('refuses nesting past the limit, and a 10,000-deep document fast', () => {
    expect(failure('[[[[[1]]]]]').message).toBe(
      'body nests objects and arrays deeper than 4 levels',
    );
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    expect(() => checkJsonText(deep, { ...LIMITS, maxBytes: 1e6 }, 'data')).toThrow(
      'data nests objects and arrays deeper than 4 levels',
    );
  });

  it('counts keys across the whole document', () => {
    const error = failure('[{"a":1,"b":2},{"c":3,"d":4},{"e":5,"f":6}]');
    expect(error.limit).toBe('keys');
    expect(error.reason).toBe('has more than 5 object keys');
  });

  it('ignores brackets, colons and escaped quotes inside strings', () => {
    const text = JSON.stringify({ a: '[[[[[[{{{{:::::', b: 'say \\"[[[[[[' });
    expect(() => checkJsonText(text, LIMITS, 'body')).not.toThrow();
  });
});
