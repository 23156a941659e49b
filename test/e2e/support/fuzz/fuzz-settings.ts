import { randomInt } from 'node:crypto';

export interface FuzzSettings {
  seed: number;
  httpCases: number;
  yamlCases: number;
  kafkaMessages: number;
  /** Requests in flight at once: enough to find races, few enough for a shared 2-core machine. */
  concurrency: number;
}

/**
 * Counts come from the caller (the short e2e form and the long one differ);
 * BATON_FUZZ_SEED replays a run, and BATON_FUZZ_HTTP / _YAML / _KAFKA / _CONCURRENCY
 * override the counts.
 */
export function fuzzSettings(defaults: Omit<FuzzSettings, 'seed'>): FuzzSettings {
  const fromEnv = (name: string, fallback: number): number => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(`${name} must be a whole number, not "${raw}"`);
    return value;
  };
  const settings = {
    seed: fromEnv('BATON_FUZZ_SEED', randomInt(2 ** 31 - 1)),
    httpCases: fromEnv('BATON_FUZZ_HTTP', defaults.httpCases),
    yamlCases: fromEnv('BATON_FUZZ_YAML', defaults.yamlCases),
    kafkaMessages: fromEnv('BATON_FUZZ_KAFKA', defaults.kafkaMessages),
    concurrency: Math.max(1, fromEnv('BATON_FUZZ_CONCURRENCY', defaults.concurrency)),
  };
  process.stderr.write(
    `\nfuzz seed ${settings.seed} (replay: BATON_FUZZ_SEED=${settings.seed}); ` +
      `${settings.httpCases} HTTP, ${settings.yamlCases} YAML, ${settings.kafkaMessages} Kafka cases\n`,
  );
  return settings;
}
