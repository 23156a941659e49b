import type { BatonKafka } from '../baton-kafka';
import type { AttemptLedger } from './attempt-ledger';

/** What every consumer of one process shares, unless its spec says otherwise. */
export interface ConsumerSettings {
  /** Where suspect-window attempts are recorded; without one, crashes are not counted. */
  ledger?: AttemptLedger;
  /** A handler still running after this long is abandoned (0: never). */
  handlerTimeoutMs: number;
  /** Times the process may stop (or a handler time out) on one message before it is dead-lettered. */
  maxCrashes: number;
  /** At most this many messages after a partition's committed offset are suspects. */
  windowCap: number;
  /** Suspects handled after one durable record while none has crashed yet. */
  chunk: number;
}

export const DEFAULT_CONSUMER_SETTINGS: ConsumerSettings = {
  // Platform handlers are short database work; a minute is far past any healthy one.
  handlerTimeoutMs: 60_000,
  maxCrashes: 3,
  windowCap: 5_000,
  chunk: 100,
};

// Keyed by the service's BatonKafka, which every consumer of the service is built
// with: the service wires the settings once instead of in each of its consumers.
const byKafka = new WeakMap<BatonKafka, Partial<ConsumerSettings>>();

/** Sets (and merges into) the settings of every consumer built on `kafka` from now on. */
export function configureConsumers(kafka: BatonKafka, settings: Partial<ConsumerSettings>): void {
  byKafka.set(kafka, { ...byKafka.get(kafka), ...settings });
}

export function consumerSettingsOf(kafka: BatonKafka): ConsumerSettings {
  return { ...DEFAULT_CONSUMER_SETTINGS, ...byKafka.get(kafka) };
}
