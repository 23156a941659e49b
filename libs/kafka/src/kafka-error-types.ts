/** Whether a kafkajs error, or one it wraps (retries keep the last as `cause`), has one of these types. */
export function hasErrorType(error: unknown, types: string[]): boolean {
  for (let e = error as { type?: string; cause?: unknown } | undefined; e;) {
    if (e.type && types.includes(e.type)) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** Whether kafkajs failed (after its retries) because the broker does not know a topic. */
export function isUnknownTopic(error: unknown): boolean {
  return hasErrorType(error, ['UNKNOWN_TOPIC_OR_PARTITION']);
}
