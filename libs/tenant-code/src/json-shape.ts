/**
 * Size, nesting and key-count limits for a JSON document, checked on its text
 * in one linear pass before anything recursive (JSON.parse's consumers,
 * class-transformer, class-validator) walks it.
 */
export interface JsonLimits {
  /** Largest document, in bytes. */
  readonly maxBytes: number;
  /** Deepest nesting of objects and arrays. */
  readonly maxDepth: number;
  /** Most object members in the whole document. */
  readonly maxKeys: number;
}

export type JsonLimitName = 'size' | 'depth' | 'keys';

const DESCRIBE: Record<JsonLimitName, (max: number) => string> = {
  size: (max) => `is larger than ${max} bytes`,
  depth: (max) => `nests objects and arrays deeper than ${max} levels`,
  keys: (max) => `has more than ${max} object keys`,
};

/** Names the field and the limit: `body nests objects and arrays deeper than 64 levels`. */
export class JsonLimitError extends Error {
  constructor(
    readonly field: string,
    readonly limit: JsonLimitName,
    readonly max: number,
  ) {
    super(`${field} ${DESCRIBE[limit](max)}`);
    this.name = 'JsonLimitError';
  }

  /** What the field's error says, without the field's name. */
  get reason(): string {
    return DESCRIBE[this.limit](this.max);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Throws JsonLimitError for the first limit `text` breaks. Not a validator:
 * text that is not JSON may pass, and JSON.parse then says why it is not.
 * Bytes are counted by the caller when it has them (a Buffer's length);
 * otherwise from the text.
 */
export function checkJsonText(
  text: string,
  limits: JsonLimits,
  field: string,
  bytes = Buffer.byteLength(text, 'utf8'),
): void {
  if (bytes > limits.maxBytes) throw new JsonLimitError(field, 'size', limits.maxBytes);
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > limits.maxDepth) throw new JsonLimitError(field, 'depth', limits.maxDepth);
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === COLON) {
      // Outside strings a colon only ever separates a key from its value.
      if (++keys > limits.maxKeys) throw new JsonLimitError(field, 'keys', limits.maxKeys);
    }
  }
}
