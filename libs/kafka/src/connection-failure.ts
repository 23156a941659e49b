/** Postgres SQLSTATEs (and socket errors) that say the database, not the request, failed. */
const CONNECTION_FAILURE = /^(08...|53300|57P0[123])$|^(ECONNREFUSED|ECONNRESET|ETIMEDOUT)$/;

export function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && CONNECTION_FAILURE.test(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect/.test(
    String((error as Error)?.message),
  );
}
