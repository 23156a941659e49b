import { checkJsonText, JsonLimitError, type JsonLimits } from '@baton/tenant-code';

/**
 * Bounds on a message's JSON, checked on its bytes before JSON.parse and
 * before class-validator recurses into it. Far above anything Baton sends
 * (the broker's own default message limit is 1 MiB); a message past them is
 * hostile or broken and goes to the dead-letter topic, never to a handler.
 */
export const ENVELOPE_JSON_LIMITS: JsonLimits = Object.freeze({
  maxBytes: 16 * 1_048_576,
  maxDepth: 128,
  maxKeys: 200_000,
});

/** The reason a message breaks a limit, naming it, or undefined. */
export function envelopeLimitBreach(text: string, bytes: number): string | undefined {
  try {
    checkJsonText(text, ENVELOPE_JSON_LIMITS, 'message value', bytes);
    return undefined;
  } catch (error) {
    if (error instanceof JsonLimitError) return error.message;
    throw error;
  }
}
